#include "auth/auth_module.hpp"

#include "auth/auth_routes.hpp"

namespace tessera::host::auth {

void AuthModule::declare(sdk::Registrar& r) {
    r.permission(kSelfPermission, "Use one's own account: profile, password, two-factor, own API tokens (implicit)");
    r.permission("users.read", "List the tenant's users, roles and plan");
    r.permission("users.manage", "Add users, change their role, disable them");
    r.permission("roles.manage", "Define custom roles and the tenant's security settings (2FA enforcement)");
    r.permission("tokens.manage", "List and revoke other users' API tokens");
    r.permission("audit.read", "Read the audit log");

    using sdk::Method;
    auto add = [&](Method m, const char* path, const char* permission, auto fn, bool is_public = false) {
        sdk::Route route;
        route.method = m;
        route.path = path;
        route.permission = permission;
        route.is_public = is_public;
        route.handler = [this, fn](const sdk::Request& req, sdk::TenantScope& scope) { return fn(auth_, req, scope); };
        r.route(std::move(route));
    };
    namespace rt = routes;
    add(Method::Post, "/api/v1/auth/login", "", rt::login, true);
    add(Method::Post, "/api/v1/auth/password-reset/request", "", rt::requestPasswordReset, true);
    add(Method::Post, "/api/v1/auth/password-reset", "", rt::resetPassword, true);
    add(Method::Post, "/api/v1/auth/logout", kSelfPermission, rt::logout);
    add(Method::Get, "/api/v1/auth/me", kSelfPermission, rt::me);
    add(Method::Post, "/api/v1/auth/password", kSelfPermission, rt::changePassword);
    add(Method::Post, "/api/v1/auth/2fa/totp/enroll", kSelfPermission, rt::enrollTotp);
    add(Method::Post, "/api/v1/auth/2fa/totp/verify", kSelfPermission, rt::verifyTotp);
    add(Method::Delete, "/api/v1/auth/2fa/totp", kSelfPermission, rt::disableTotp);
    add(Method::Get, "/api/v1/auth/settings", "users.read", rt::getSettings);
    add(Method::Put, "/api/v1/auth/settings", "roles.manage", rt::updateSettings);
    add(Method::Get, "/api/v1/auth/plan", "users.read", rt::getPlan);

    add(Method::Get, "/api/v1/tokens", kSelfPermission, rt::listTokens);
    add(Method::Post, "/api/v1/tokens", kSelfPermission, rt::createToken);
    add(Method::Delete, "/api/v1/tokens/{id}", kSelfPermission, rt::revokeToken);

    add(Method::Get, "/api/v1/roles", "users.read", rt::listRoles);
    add(Method::Post, "/api/v1/roles", "roles.manage", rt::createRole);
    add(Method::Put, "/api/v1/roles/{id}", "roles.manage", rt::updateRole);
    add(Method::Delete, "/api/v1/roles/{id}", "roles.manage", rt::deleteRole);

    add(Method::Get, "/api/v1/users", "users.read", rt::listUsers);
    add(Method::Post, "/api/v1/users", "users.manage", rt::createUserRoute);
    add(Method::Get, "/api/v1/users/{id}", "users.read", rt::getUser);
    add(Method::Patch, "/api/v1/users/{id}", "users.manage", rt::updateUser);

    add(Method::Get, "/api/v1/audit", "audit.read", rt::listAudit);
}

}  // namespace tessera::host::auth
