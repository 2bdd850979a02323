#include "auth/login_throttle.hpp"

#include <algorithm>

#include "db/connection_pool.hpp"

namespace tessera::host::auth {
namespace {

using std::chrono::milliseconds;

std::int64_t nowMs() {
    return std::chrono::duration_cast<milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

constexpr std::int64_t kLockMs = std::chrono::duration_cast<milliseconds>(LoginThrottle::kLockDuration).count();

// Seconds left to wait after `failures` failures, the last at `last_ms`.
std::int64_t waitFor(std::int64_t failures, std::int64_t last_ms, int free, int lock_at, std::int64_t now_ms) {
    if (failures < free) return 0;
    const std::int64_t delay_ms =
        failures >= lock_at ? kLockMs : 1000LL << std::min<std::int64_t>(failures - free, 8);
    const std::int64_t left_ms = last_ms + delay_ms - now_ms;
    return left_ms <= 0 ? 0 : (left_ms + 999) / 1000;
}

}  // namespace

std::int64_t LoginThrottle::retryAfter(const std::string& account, const std::string& address) {
    const std::int64_t now = nowMs();
    auto lease = pool_.acquireControl();
    std::int64_t wait = 0;
    for (const auto& row : lease.db().query("SELECT kind, failures, last_failure_ms FROM auth_login_failures "
                                            "WHERE (kind = 'account' AND key = ?) OR (kind = 'address' AND key = ?)",
                                            {account, address})) {
        const bool by_account = row["kind"].asText() == "account";
        wait = std::max(wait, waitFor(row["failures"].asInt(), row["last_failure_ms"].asInt(),
                                      by_account ? kFreeFailures : kAddressFreeFailures,
                                      by_account ? kLockFailures : kAddressLockFailures, now));
    }
    return wait;
}

void LoginThrottle::failed(const std::string& account, const std::string& address) {
    const std::int64_t now = nowMs();
    auto lease = pool_.acquireControl();
    auto& db = lease.db();
    db.transaction([&] {
        // Bounded storage under a spray of distinct emails or addresses.
        db.execute("DELETE FROM auth_login_failures WHERE last_failure_ms < ?", {now - kLockMs});
        for (const auto& [kind, key] : {std::pair<const char*, const std::string&>{"account", account},
                                        std::pair<const char*, const std::string&>{"address", address}})
            // A lock that ran out (its rows pruned above) starts the count again rather than
            // locking forever.
            db.execute("INSERT INTO auth_login_failures (kind, key, failures, last_failure_ms) VALUES (?, ?, 1, ?) "
                       "ON CONFLICT (kind, key) DO UPDATE SET failures = auth_login_failures.failures + 1, "
                       "last_failure_ms = excluded.last_failure_ms",
                       {std::string(kind), key, now});
    });
}

void LoginThrottle::succeeded(const std::string& account) {
    auto lease = pool_.acquireControl();
    lease.db().execute("DELETE FROM auth_login_failures WHERE kind = 'account' AND key = ?", {account});
}

}  // namespace tessera::host::auth
