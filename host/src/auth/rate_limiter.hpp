#pragma once
// Per-tenant request rate limit: a token bucket holding up to one minute of the plan's
// requests, refilled continuously. All in memory: no database work per request.

#include <chrono>
#include <cstdint>
#include <mutex>
#include <unordered_map>

namespace tessera::host::auth {

class RateLimiter {
public:
    // Takes one request from the tenant's bucket. Returns 0 when allowed, else the
    // seconds until a request will be (for Retry-After). `per_minute` 0 is unlimited.
    std::int64_t take(std::int64_t tenant_id, std::int64_t per_minute);

private:
    struct Bucket {
        double tokens = 0;
        std::int64_t per_minute = 0;
        std::chrono::steady_clock::time_point refilled;
    };
    std::mutex mutex_;
    std::unordered_map<std::int64_t, Bucket> buckets_;
};

}  // namespace tessera::host::auth
