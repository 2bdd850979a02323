#pragma once
// Handlers of the auth module's routes, grouped by concern (one .cpp each). The route
// table is auth_module.cpp.

#include <tessera/sdk/http.hpp>
#include <tessera/sdk/scope.hpp>

#include "auth/auth_service.hpp"

namespace tessera::host::auth::routes {

using sdk::Request;
using sdk::Response;
using sdk::TenantScope;

// session_routes.cpp
Response login(AuthService& auth, const Request& req, TenantScope& scope);
Response logout(AuthService& auth, const Request& req, TenantScope& scope);
Response me(AuthService& auth, const Request& req, TenantScope& scope);
Response changePassword(AuthService& auth, const Request& req, TenantScope& scope);
Response requestPasswordReset(AuthService& auth, const Request& req, TenantScope& scope);
Response resetPassword(AuthService& auth, const Request& req, TenantScope& scope);

// two_factor_routes.cpp
Response enrollTotp(AuthService& auth, const Request& req, TenantScope& scope);
Response verifyTotp(AuthService& auth, const Request& req, TenantScope& scope);
Response disableTotp(AuthService& auth, const Request& req, TenantScope& scope);
// Checks a TOTP or recovery code for a login; true when accepted (and consumed).
bool acceptSecondFactor(TenantScope& scope, const sdk::Row& user, const sdk::Json& body);

// token_routes.cpp
Response listTokens(AuthService& auth, const Request& req, TenantScope& scope);
Response createToken(AuthService& auth, const Request& req, TenantScope& scope);
Response revokeToken(AuthService& auth, const Request& req, TenantScope& scope);

// role_routes.cpp
Response listRoles(AuthService& auth, const Request& req, TenantScope& scope);
Response createRole(AuthService& auth, const Request& req, TenantScope& scope);
Response updateRole(AuthService& auth, const Request& req, TenantScope& scope);
Response deleteRole(AuthService& auth, const Request& req, TenantScope& scope);
Response getSettings(AuthService& auth, const Request& req, TenantScope& scope);
Response updateSettings(AuthService& auth, const Request& req, TenantScope& scope);

// user_routes.cpp
Response listUsers(AuthService& auth, const Request& req, TenantScope& scope);
Response getUser(AuthService& auth, const Request& req, TenantScope& scope);
Response createUserRoute(AuthService& auth, const Request& req, TenantScope& scope);
Response updateUser(AuthService& auth, const Request& req, TenantScope& scope);
Response getPlan(AuthService& auth, const Request& req, TenantScope& scope);

// audit_routes.cpp
Response listAudit(AuthService& auth, const Request& req, TenantScope& scope);

}  // namespace tessera::host::auth::routes
