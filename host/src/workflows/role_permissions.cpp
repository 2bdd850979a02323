#include "workflows/role_permissions.hpp"

#include "auth/permissions.hpp"

namespace tessera::host {

bool BuiltinRolePermissions::known(const TenantRecord&, const std::string& role) const {
    return auth::isBuiltinRole(role);
}

bool BuiltinRolePermissions::allows(const TenantRecord&, const std::string& role, const std::string& permission) const {
    if (!auth::isBuiltinRole(role)) return false;
    std::lock_guard lock(mutex_);
    auto it = compiled_.find(role);
    // Plugins are all declared before the first run, so compiling once per role is exact.
    if (it == compiled_.end()) it = compiled_.emplace(role, auth::builtinRolePermissions(role, registry_)).first;
    return it->second.count(permission) > 0;
}

}  // namespace tessera::host
