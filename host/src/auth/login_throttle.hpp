#pragma once
// Slows down and then locks password guessing, per account (tenant + email as typed,
// whether or not it exists, so the response reveals nothing) and per client address.
// After kFreeFailures failures each further attempt must wait an exponentially growing
// delay; at kLockFailures the key is locked for kLockDuration. A success clears the
// account's record. State is per process and in memory: a restart forgets it.

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

namespace tessera::host::auth {

class LoginThrottle {
public:
    static constexpr int kFreeFailures = 3;
    static constexpr int kLockFailures = 10;
    // An address may be an office behind one NAT: it gets more room than an account.
    static constexpr int kAddressFreeFailures = 20;
    static constexpr int kAddressLockFailures = 100;
    static constexpr std::chrono::minutes kLockDuration{15};

    // Seconds the caller must wait before another attempt, or 0 to go ahead.
    std::int64_t retryAfter(const std::string& account_key, const std::string& address_key);
    void failed(const std::string& account_key, const std::string& address_key);
    void succeeded(const std::string& account_key);

private:
    struct Record {
        int failures = 0;
        std::chrono::steady_clock::time_point last_failure;
    };
    std::int64_t waitFor(const Record& r, int free, int lock_at, std::chrono::steady_clock::time_point now) const;
    void prune(std::chrono::steady_clock::time_point now);

    std::mutex mutex_;
    std::unordered_map<std::string, Record> accounts_;
    std::unordered_map<std::string, Record> addresses_;
};

}  // namespace tessera::host::auth
