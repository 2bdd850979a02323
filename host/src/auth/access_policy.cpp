#include "auth/access_policy.hpp"

namespace tessera::host::auth {

sdk::AccessRules RoleAccessPolicy::rules(const TenantRecord& tenant, const sdk::Principal& principal,
                                         const std::shared_ptr<const void>& caller, const std::string& resource) const {
    // The host's own work and public routes are not limited by a role.
    if (principal.anonymous() || principal.kind == "system") return {};
    IdentityPtr identity = std::static_pointer_cast<const Identity>(caller);
    if (!identity || identity->user_id != principal.id || identity->tenant_id != tenant.id) {
        // A user principal outside a request (e.g. a workflow acting as a user).
        tenants_.ensureMigrated(tenant);
        auto lease = auth_.pool().acquire(tenant.slug);
        identity = auth_.store().byUserId(lease.db(), tenant.id, principal.id);
        // An unknown or disabled user sees nothing of its own: only what it owns, none.
        if (!identity) {
            sdk::AccessRules none;
            none.own_records_only = true;
            return none;
        }
    }
    auto it = identity->access.find(resource);
    return it == identity->access.end() ? sdk::AccessRules{} : it->second;
}

}  // namespace tessera::host::auth
