#pragma once
// Where every request goes: request id, route, tenant, plugin enabled?, handler (behind
// the guard), events, access log. Runs on a worker thread.

#include <atomic>
#include <string>

#include "config/config.hpp"
#include "events/event_bus.hpp"
#include "http/http_types.hpp"
#include "http/request_guard.hpp"
#include "tenants/tenant_scope.hpp"

namespace tessera::host {

class Dispatcher {
public:
    Dispatcher(const Config& config, ScopeServices services, TenantDirectory& directory, EventBus& events,
               RequestGuard* guard = nullptr)
        : config_(config), services_(services), directory_(directory), events_(events), guard_(guard) {}

    HttpResponse handle(HttpRequest& request);

    // The uniform error body {"error":{code,message[,fields]},"request_id"}.
    static HttpResponse error(int status, const std::string& code, const std::string& message,
                              const std::string& request_id, const sdk::Json& fields = sdk::Json::object());

private:
    HttpResponse route(HttpRequest& request, const std::string& request_id, std::string& tenant_slug);
    HttpResponse health(bool ready, const std::string& request_id);
    // Resolves the tenant from X-Tenant or Host; on failure fills `failure`.
    std::shared_ptr<const TenantRecord> resolveTenant(const HttpRequest& request, const std::string& request_id,
                                                      std::optional<HttpResponse>& failure);

    const Config& config_;
    ScopeServices services_;
    TenantDirectory& directory_;
    EventBus& events_;
    RequestGuard* guard_;
};

std::string newRequestId();
std::optional<sdk::Method> parseMethod(const std::string& method);

}  // namespace tessera::host
