#pragma once
// Where every request goes: request id, route, tenant, plugin enabled?, handler (behind
// the guard), events, access log. Runs on a worker thread; a write to a SQLite tenant
// continues in the tenant's group commit (tenants/group_commit.hpp).

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <vector>
#include <string>

#include "config/config.hpp"
#include "core/address_range.hpp"
#include "events/event_bus.hpp"
#include "http/http_types.hpp"
#include "http/request_guard.hpp"
#include "tenants/group_commit.hpp"
#include "tenants/tenant_scope.hpp"

namespace tessera::host {

class Dispatcher {
public:
    // Answers a request; called once per request, on any thread.
    using Reply = std::function<void(HttpResponse)>;

    // `groups`: SQLite's group commit; null runs writes on their own (PostgreSQL).
    Dispatcher(const Config& config, ScopeServices services, TenantDirectory& directory, EventBus& events,
               RequestGuard* guard = nullptr, GroupCommit* groups = nullptr)
        : config_(config), services_(services), directory_(directory), events_(events), guard_(guard),
          groups_(groups), trusted_proxies_(trustedProxies(config)) {}

    // Reads are answered before it returns; writes to a SQLite tenant join the tenant's
    // next group commit and are answered once it is committed.
    void handle(HttpRequest& request, Reply reply);

    // The uniform error body {"error":{code,message[,fields]},"request_id"}.
    static HttpResponse error(int status, const std::string& code, const std::string& message,
                              const std::string& request_id, const sdk::Json& fields = sdk::Json::object());

private:
    using Respond = std::function<void(HttpResponse, const std::string& tenant_slug)>;
    // One admitted call of a route handler, from admission to answer.
    struct Call {
        const RouteEntry* entry = nullptr;
        std::shared_ptr<const TenantRecord> tenant;
        std::string request_id;
        sdk::Request req;
        std::shared_ptr<const void> caller;  // the guard's, see RequestGuard::Admission
        std::shared_ptr<HostScope> scope;
        HttpResponse response;
        std::vector<sdk::Event> events;  // delivered once the call's writes are committed
    };

    // The answer, or nothing when `respond` will be called later (a grouped write).
    std::optional<HttpResponse> route(HttpRequest& request, const std::string& request_id, std::string& tenant_slug,
                                      const Respond& respond);
    // Runs the handler; false when it failed with something other than an sdk::ApiError.
    bool invoke(Call& call);
    // After the handler: connection back, the guard's finish(), request id in error bodies.
    void settle(Call& call);
    static HttpResponse busy(const std::string& request_id);
    static std::vector<AddressRange> trustedProxies(const Config& config);
    // The real client's address into request.client_address; forwarding headers dropped
    // unless a trusted proxy sent them, so nothing after this believes a forged one.
    void resolveClient(HttpRequest& request) const;
    HttpResponse health(bool ready, const std::string& request_id);
    // Resolves the tenant from X-Tenant or Host; on failure fills `failure`.
    std::shared_ptr<const TenantRecord> resolveTenant(const HttpRequest& request, const std::string& request_id,
                                                      std::optional<HttpResponse>& failure);

    const Config& config_;
    ScopeServices services_;
    TenantDirectory& directory_;
    EventBus& events_;
    RequestGuard* guard_;
    GroupCommit* groups_;
    std::vector<AddressRange> trusted_proxies_;
};

// 16 random characters of the id alphabet: unique enough to find one request in the
// logs, not a secret.
std::string newRequestId();
std::optional<sdk::Method> parseMethod(const std::string& method);

}  // namespace tessera::host
