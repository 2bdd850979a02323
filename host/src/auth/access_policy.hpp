#pragma once
// AccessPolicy from roles: a role's per-resource options (own_records_only,
// hidden_fields) become the sdk::AccessRules a plugin applies with scope.access().

#include "auth/auth_service.hpp"
#include "tenants/scope_policies.hpp"
#include "tenants/tenant_service.hpp"

namespace tessera::host::auth {

class RoleAccessPolicy final : public AccessPolicy {
public:
    RoleAccessPolicy(AuthService& auth, TenantService& tenants) : auth_(auth), tenants_(tenants) {}
    sdk::AccessRules rules(const TenantRecord& tenant, const sdk::Principal& principal,
                           const std::shared_ptr<const void>& caller, const std::string& resource) const override;

private:
    AuthService& auth_;
    TenantService& tenants_;
};

}  // namespace tessera::host::auth
