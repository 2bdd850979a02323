#pragma once
// Resolved credentials, keyed by tenant and the credential's SHA-256, so that a request
// with a known token costs a hash and a map lookup instead of a database round trip.
// Entries live for a short TTL (default 1 s): that bounds how late a revocation made by
// another process (the CLI) takes effect. Revocations in this process clear the cache
// at once (clear()). Unknown credentials are cached as absent too, so that guessing
// costs the database nothing more.

#include <chrono>
#include <cstdint>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "auth/identity.hpp"

namespace tessera::host::auth {

class CredentialCache {
public:
    CredentialCache(std::chrono::milliseconds ttl, std::size_t capacity) : ttl_(ttl), capacity_(capacity) {}

    // nullopt: not cached (ask the database). A cached nullptr: known to be invalid.
    std::optional<IdentityPtr> find(std::int64_t tenant_id, const std::string& credential_hash);
    void put(std::int64_t tenant_id, const std::string& credential_hash, IdentityPtr identity);
    // Drops everything: after a revocation, role change or user change in this process.
    void clear();

private:
    struct Entry {
        IdentityPtr identity;
        std::chrono::steady_clock::time_point expires;
        std::list<std::string>::iterator lru;
    };
    static std::string key(std::int64_t tenant_id, const std::string& hash) {
        return std::to_string(tenant_id) + ':' + hash;
    }

    std::chrono::milliseconds ttl_;
    std::size_t capacity_;
    std::mutex mutex_;
    std::unordered_map<std::string, Entry> entries_;
    std::list<std::string> lru_;  // front: most recently used
};

}  // namespace tessera::host::auth
