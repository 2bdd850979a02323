#include "auth/login_throttle.hpp"

#include <algorithm>

namespace tessera::host::auth {

std::int64_t LoginThrottle::waitFor(const Record& r, int free, int lock_at, std::chrono::steady_clock::time_point now) const {
    using namespace std::chrono;
    if (r.failures < free) return 0;
    const auto delay = r.failures >= lock_at ? duration_cast<seconds>(kLockDuration)
                                             : seconds(1LL << std::min(r.failures - free, 8));
    const auto elapsed = duration_cast<seconds>(now - r.last_failure);
    return elapsed >= delay ? 0 : (delay - elapsed).count();
}

std::int64_t LoginThrottle::retryAfter(const std::string& account, const std::string& address) {
    const auto now = std::chrono::steady_clock::now();
    std::lock_guard lock(mutex_);
    std::int64_t wait = 0;
    if (auto it = accounts_.find(account); it != accounts_.end()) wait = waitFor(it->second, kFreeFailures, kLockFailures, now);
    if (auto it = addresses_.find(address); it != addresses_.end())
        wait = std::max(wait, waitFor(it->second, kAddressFreeFailures, kAddressLockFailures, now));
    return wait;
}

void LoginThrottle::failed(const std::string& account, const std::string& address) {
    const auto now = std::chrono::steady_clock::now();
    std::lock_guard lock(mutex_);
    prune(now);
    for (auto* map : {&accounts_, &addresses_}) {
        auto& r = (*map)[map == &accounts_ ? account : address];
        // A lock that ran out starts the count again rather than locking forever.
        if (now - r.last_failure > kLockDuration) r.failures = 0;
        ++r.failures;
        r.last_failure = now;
    }
}

void LoginThrottle::succeeded(const std::string& account) {
    std::lock_guard lock(mutex_);
    accounts_.erase(account);
}

void LoginThrottle::prune(std::chrono::steady_clock::time_point now) {
    // Bounded memory under a spray of distinct emails or addresses.
    constexpr std::size_t kMax = 100000;
    for (auto* map : {&accounts_, &addresses_})
        if (map->size() > kMax)
            std::erase_if(*map, [&](const auto& kv) { return now - kv.second.last_failure > kLockDuration; });
}

}  // namespace tessera::host::auth
