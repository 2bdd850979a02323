#pragma once
// What the dispatcher asks before and after every tenant route: who is calling, may
// they, and what to record. Identity and access control implement it; without a guard
// every route is open and calls are anonymous.

#include <memory>
#include <optional>
#include <string>

#include <tessera/sdk/http.hpp>

#include "http/http_types.hpp"
#include "http/router.hpp"

namespace tessera::host {

struct TenantRecord;

class RequestGuard {
public:
    struct Admission {
        std::optional<HttpResponse> reject;  // set: answer this instead of running the route
        sdk::Principal principal;
        // What the guard learned about the caller: the handler's scope carries it
        // (HostScope::caller) and finish() gets it back.
        std::shared_ptr<const void> caller;
    };

    virtual ~RequestGuard() = default;
    // Runs before the handler: authenticate, check the route's permission, rate limits.
    virtual Admission admit(const HttpRequest& request, const TenantRecord& tenant, const RouteEntry& route,
                            const std::string& request_id) = 0;
    // Runs after the handler with what was answered (for the audit log, cookies...).
    virtual void finish(const sdk::Request& request, const TenantRecord& tenant, const RouteEntry& route,
                        const std::shared_ptr<const void>& caller, HttpResponse& response) = 0;
};

}  // namespace tessera::host
