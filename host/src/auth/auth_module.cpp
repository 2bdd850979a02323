#include "auth/auth_module.hpp"

#include <functional>

#include "auth/auth_routes.hpp"

namespace tessera::host::auth {

void AuthModule::declare(sdk::Registrar& r) {
    r.permission(kSelfPermission, "Use one's own account: profile, password, two-factor, own API tokens (implicit)");
    r.permission("users.read", "List the tenant's users, roles and plan");
    r.permission("users.manage", "Add users, change their role, disable them");
    r.permission("roles.manage", "Define custom roles and the tenant's security settings (2FA enforcement)");
    r.permission("tokens.manage", "List and revoke other users' API tokens");
    r.permission("audit.read", "Read the audit log");

    // Every handler takes the auth service first (auth_routes.hpp, one file per concern).
    using M = sdk::Method;
    namespace rt = routes;
    const auto auth = std::ref(auth_);
    r.route({.method = M::Post, .path = "/api/v1/auth/login",
             .handler = sdk::bindHandler(rt::login, auth), .is_public = true});
    r.route({.method = M::Post, .path = "/api/v1/auth/password-reset/request",
             .handler = sdk::bindHandler(rt::requestPasswordReset, auth), .is_public = true});
    r.route({.method = M::Post, .path = "/api/v1/auth/password-reset",
             .handler = sdk::bindHandler(rt::resetPassword, auth), .is_public = true});
    r.route({.method = M::Post, .path = "/api/v1/auth/logout", .permission = kSelfPermission,
             .handler = sdk::bindHandler(rt::logout, auth)});
    r.route({.method = M::Get, .path = "/api/v1/auth/me", .permission = kSelfPermission,
             .handler = sdk::bindHandler(rt::me, auth)});
    r.route({.method = M::Post, .path = "/api/v1/auth/password", .permission = kSelfPermission,
             .handler = sdk::bindHandler(rt::changePassword, auth)});
    r.route({.method = M::Post, .path = "/api/v1/auth/2fa/totp/enroll", .permission = kSelfPermission,
             .handler = sdk::bindHandler(rt::enrollTotp, auth)});
    r.route({.method = M::Post, .path = "/api/v1/auth/2fa/totp/verify", .permission = kSelfPermission,
             .handler = sdk::bindHandler(rt::verifyTotp, auth)});
    r.route({.method = M::Delete, .path = "/api/v1/auth/2fa/totp", .permission = kSelfPermission,
             .handler = sdk::bindHandler(rt::disableTotp, auth)});
    r.route({.method = M::Get, .path = "/api/v1/auth/settings", .permission = "users.read",
             .handler = sdk::bindHandler(rt::getSettings, auth)});
    r.route({.method = M::Put, .path = "/api/v1/auth/settings", .permission = "roles.manage",
             .handler = sdk::bindHandler(rt::updateSettings, auth)});
    r.route({.method = M::Get, .path = "/api/v1/auth/plan", .permission = "users.read",
             .handler = sdk::bindHandler(rt::getPlan, auth)});

    r.route({.method = M::Get, .path = "/api/v1/tokens", .permission = kSelfPermission,
             .handler = sdk::bindHandler(rt::listTokens, auth)});
    r.route({.method = M::Post, .path = "/api/v1/tokens", .permission = kSelfPermission,
             .handler = sdk::bindHandler(rt::createToken, auth)});
    r.route({.method = M::Delete, .path = "/api/v1/tokens/{id}", .permission = kSelfPermission,
             .handler = sdk::bindHandler(rt::revokeToken, auth)});

    r.route({.method = M::Get, .path = "/api/v1/roles", .permission = "users.read",
             .handler = sdk::bindHandler(rt::listRoles, auth)});
    r.route({.method = M::Post, .path = "/api/v1/roles", .permission = "roles.manage",
             .handler = sdk::bindHandler(rt::createRole, auth)});
    r.route({.method = M::Put, .path = "/api/v1/roles/{id}", .permission = "roles.manage",
             .handler = sdk::bindHandler(rt::updateRole, auth)});
    r.route({.method = M::Delete, .path = "/api/v1/roles/{id}", .permission = "roles.manage",
             .handler = sdk::bindHandler(rt::deleteRole, auth)});

    r.route({.method = M::Get, .path = "/api/v1/users", .permission = "users.read",
             .handler = sdk::bindHandler(rt::listUsers, auth)});
    r.route({.method = M::Post, .path = "/api/v1/users", .permission = "users.manage",
             .handler = sdk::bindHandler(rt::createUserRoute, auth)});
    r.route({.method = M::Get, .path = "/api/v1/users/{id}", .permission = "users.read",
             .handler = sdk::bindHandler(rt::getUser, auth)});
    r.route({.method = M::Patch, .path = "/api/v1/users/{id}", .permission = "users.manage",
             .handler = sdk::bindHandler(rt::updateUser, auth)});

    r.route({.method = M::Get, .path = "/api/v1/audit", .permission = "audit.read",
             .handler = sdk::bindHandler(rt::listAudit, auth)});
}

}  // namespace tessera::host::auth
