#pragma once
// The RequestGuard of identity and access: rate limit, authentication (bearer token or
// session cookie + CSRF), 2FA enforcement, the route's permission; and after the
// handler, the audit record of every state-changing request.

#include "auth/auth_service.hpp"
#include "http/request_guard.hpp"
#include "tenants/tenant_service.hpp"

namespace tessera::host::auth {

class AuthGuard final : public RequestGuard {
public:
    AuthGuard(AuthService& auth, TenantService& tenants) : auth_(auth), tenants_(tenants) {}

    Admission admit(const HttpRequest& request, const TenantRecord& tenant, const RouteEntry& route,
                    const std::string& request_id) override;
    void finish(const sdk::Request& request, const TenantRecord& tenant, const RouteEntry& route,
                const std::shared_ptr<const void>& caller, HttpResponse& response) override;

    // The identity a credential resolves to (cache first). Exposed for the benchmark.
    IdentityPtr resolve(const TenantRecord& tenant, const std::string& kind, const std::string& secret);

private:
    Admission reject(int status, const std::string& code, const std::string& message, const std::string& request_id,
                     const sdk::Json& fields = sdk::Json::object());
    bool createsCountedRecord(const std::string& method, const RouteEntry& route) const;
    // A 402 when the write would exceed the plan's storage or records-per-plugin limit.
    std::optional<Admission> overQuota(const HttpRequest& request, const TenantRecord& tenant, const RouteEntry& route,
                                       const Plan& plan, const std::string& request_id);
    void auditDenial(const TenantRecord& tenant, const HttpRequest& request, const RouteEntry& route, int status,
                     const std::string& action, const IdentityPtr& identity, const std::string& request_id);

    AuthService& auth_;
    TenantService& tenants_;
};

}  // namespace tessera::host::auth
