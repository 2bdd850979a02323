#pragma once
// Argon2id password hashing (libargon2). The encoded form carries its own salt and
// cost, so raising the cost in config applies to new hashes without breaking old ones.

#include <string>

#include "auth/auth_settings.hpp"

namespace tessera::host::auth {

class PasswordHasher {
public:
    explicit PasswordHasher(const AuthSettings& settings)
        : time_cost_(settings.argon2_time_cost), memory_kib_(settings.argon2_memory_kib),
          parallelism_(settings.argon2_parallelism) {}

    std::string hash(const std::string& password) const;
    bool verify(const std::string& encoded, const std::string& password) const;
    // Spends the same work as verify() for an account that does not exist, so the
    // response time does not reveal whether an email is registered.
    void verifyNothing(const std::string& password) const;

    // Empty when acceptable, else what is wrong (for a 422 field message).
    static std::string weakness(const std::string& password);

private:
    std::uint32_t time_cost_, memory_kib_, parallelism_;
};

}  // namespace tessera::host::auth
