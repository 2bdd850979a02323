#pragma once
// Settings of identity and access, from the [plugins.auth] section of tessera.toml and
// TESSERA_AUTH_* environment variables (which win). Read once at startup.

#include <chrono>
#include <cstdint>
#include <string>

#include "config/config.hpp"

namespace tessera::host::auth {

struct AuthSettings {
    // Argon2id cost (OWASP's 2023 minimum: 19 MiB, 2 passes, 1 lane).
    std::uint32_t argon2_time_cost = 2;
    std::uint32_t argon2_memory_kib = 19456;
    std::uint32_t argon2_parallelism = 1;
    std::chrono::seconds session_lifetime{12 * 3600};
    std::chrono::seconds reset_lifetime{3600};
    // How long the password `tessera tenant create` prints keeps working unless the
    // owner replaces it: it is read off a terminal and must not stay valid for ever.
    std::chrono::seconds one_time_password_lifetime{72 * 3600};
    // How long a resolved credential is trusted without asking the database again; it
    // bounds how late another process's revocation takes effect.
    std::chrono::milliseconds credential_cache_ttl{1000};
    // How long a tenant's measured records and storage are trusted before measuring again.
    std::chrono::milliseconds usage_cache_ttl{30000};
    // Plan of tenants without an assignment.
    std::string default_plan = "enterprise";
    // Where reset links point ("https://crm.example.com").
    std::string public_url = "http://localhost:8080";
    // Development mode logs password reset links (they are in the outbox either way).
    bool development = true;
};

// Throws std::runtime_error naming a bad value.
AuthSettings loadAuthSettings(const Config& config);

}  // namespace tessera::host::auth
