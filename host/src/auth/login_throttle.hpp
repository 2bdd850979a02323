#pragma once
// Slows down and then locks password guessing, per account (tenant + email as typed,
// whether or not it exists, so the response reveals nothing) and per client address.
// After kFreeFailures failures each further attempt must wait an exponentially growing
// delay; at kLockFailures the key is locked for kLockDuration. A success clears the
// account's record. The counts live in the control database (auth_login_failures), so
// every host process on it, and the next one after a restart, sees the same counts.

#include <chrono>
#include <cstdint>
#include <string>

namespace tessera::host {
class ConnectionPool;
}

namespace tessera::host::auth {

class LoginThrottle {
public:
    static constexpr int kFreeFailures = 3;
    static constexpr int kLockFailures = 10;
    // An address may be an office behind one NAT: it gets more room than an account.
    static constexpr int kAddressFreeFailures = 20;
    static constexpr int kAddressLockFailures = 100;
    static constexpr std::chrono::minutes kLockDuration{15};

    explicit LoginThrottle(ConnectionPool& pool) : pool_(pool) {}

    // Seconds the caller must wait before another attempt, or 0 to go ahead.
    std::int64_t retryAfter(const std::string& account_key, const std::string& address_key);
    void failed(const std::string& account_key, const std::string& address_key);
    void succeeded(const std::string& account_key);

private:
    ConnectionPool& pool_;
};

}  // namespace tessera::host::auth
