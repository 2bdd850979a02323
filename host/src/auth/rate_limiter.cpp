#include "auth/rate_limiter.hpp"

#include <algorithm>
#include <cmath>

namespace tessera::host::auth {

std::int64_t RateLimiter::take(std::int64_t tenant_id, std::int64_t per_minute) {
    if (per_minute <= 0) return 0;
    const auto now = std::chrono::steady_clock::now();
    const double capacity = static_cast<double>(per_minute);
    const double per_second = capacity / 60.0;
    std::lock_guard lock(mutex_);
    auto [it, fresh] = buckets_.try_emplace(tenant_id);
    Bucket& b = it->second;
    if (fresh || b.per_minute != per_minute) {
        // A new bucket, or the plan changed: start full at the new size.
        b.tokens = capacity;
        b.per_minute = per_minute;
        b.refilled = now;
    } else {
        const double elapsed = std::chrono::duration<double>(now - b.refilled).count();
        b.tokens = std::min(capacity, b.tokens + elapsed * per_second);
        b.refilled = now;
    }
    if (b.tokens >= 1.0) {
        b.tokens -= 1.0;
        return 0;
    }
    return std::max<std::int64_t>(1, static_cast<std::int64_t>(std::ceil((1.0 - b.tokens) / per_second)));
}

}  // namespace tessera::host::auth
