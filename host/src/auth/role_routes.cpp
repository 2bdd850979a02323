// Roles (built-in and custom) and the tenant's security settings.
#include <algorithm>

#include "auth/auth_routes.hpp"
#include "auth/route_support.hpp"
#include "core/clock.hpp"
#include "core/ids.hpp"

namespace tessera::host::auth::routes {
namespace {

sdk::Json roleJson(AuthService& auth, const RoleDefinition& r) {
    auto compiled = auth.store().rolePermissions(r);
    std::vector<std::string> granted(compiled.begin(), compiled.end());
    std::sort(granted.begin(), granted.end());
    return {{"id", r.id},
            {"name", r.name},
            {"builtin", r.builtin},
            {"permissions", r.builtin ? sdk::Json(granted) : sdk::Json(r.permissions)},
            {"granted", granted},
            {"access", accessToJson(r.access)}};
}

std::vector<std::string> validPermissions(AuthService& auth, const sdk::Json& body) {
    auto it = body.find("permissions");
    if (it == body.end() || !it->is_array()) invalidField("permissions", "must be a list of permissions or patterns");
    if (it->size() > 500) invalidField("permissions", "must list at most 500 entries");
    std::vector<std::string> out;
    for (const auto& p : *it) {
        if (!p.is_string()) invalidField("permissions", "must be a list of strings");
        const auto problem = patternProblem(p.get<std::string>(), auth.registry());
        if (!problem.empty()) invalidField("permissions", problem);
        out.push_back(p.get<std::string>());
    }
    return out;
}

RoleDefinition requireRole(AuthService& auth, TenantScope& scope, const std::string& id) {
    if (id.size() > 40) throw sdk::ApiError(404, "role_not_found", "no such role");
    auto role = auth.store().role(scope.db(), id);
    if (!role) throw sdk::ApiError(404, "role_not_found", "no such role");
    return *role;
}

}  // namespace

Response listRoles(AuthService& auth, const Request&, TenantScope& scope) {
    sdk::Json data = sdk::Json::array();
    for (const auto& row : scope.db().query("SELECT id FROM auth_roles ORDER BY builtin DESC, name"))
        if (auto r = auth.store().role(scope.db(), row["id"].asText())) data.push_back(roleJson(auth, *r));
    return Response::json({{"data", data}});
}

Response createRole(AuthService& auth, const Request& req, TenantScope& scope) {
    const auto body = sdk::parseJsonObject(req);
    const std::string name = requiredString(body, "name", 60);
    const auto permissions = validPermissions(auth, body);
    requireGrantable(scope, compilePatterns(permissions, auth.registry()), "permissions");
    sdk::Json access = body.contains("access") ? body["access"] : sdk::Json::object();
    validateAccess(access);
    const std::string id = newRecordId("role_", kAuthIdChars);
    const std::string now = isoNow();
    try {
        scope.db().execute("INSERT INTO auth_roles (id, name, builtin, permissions, access, created_at, updated_at) "
                           "VALUES (?, ?, 0, ?, ?, ?, ?)",
                           {id, name, sdk::Json(permissions).dump(), access.dump(), now, now});
    } catch (const sdk::UniqueViolation&) {
        throw sdk::ApiError(409, "role_name_taken", "a role with this name exists", {{"name", "is already used"}});
    }
    auto role = requireRole(auth, scope, id);
    auditEvent(req, scope, "auth.role.created", 201, {{"role_id", id}, {"name", name}, {"permissions", permissions}});
    return Response::json(roleJson(auth, role), 201);
}

Response updateRole(AuthService& auth, const Request& req, TenantScope& scope) {
    auto role = requireRole(auth, scope, req.param("id"));
    const auto body = sdk::parseJsonObject(req);
    if (role.builtin && (body.contains("name") || body.contains("permissions")))
        throw sdk::ApiError(422, "validation_failed", "built-in roles keep their name and permissions; only access can change",
                            {{body.contains("name") ? "name" : "permissions", "cannot change on a built-in role"}});
    std::string name = role.name;
    if (body.contains("name")) name = requiredString(body, "name", 60);
    std::vector<std::string> permissions = role.permissions;
    if (body.contains("permissions")) {
        permissions = validPermissions(auth, body);
        requireGrantable(scope, compilePatterns(permissions, auth.registry()), "permissions");
    }
    sdk::Json access = accessToJson(role.access);
    if (body.contains("access")) {
        validateAccess(body["access"]);
        access = body["access"];
    }
    try {
        scope.db().execute("UPDATE auth_roles SET name = ?, permissions = ?, access = ?, updated_at = ? WHERE id = ?",
                           {name, sdk::Json(permissions).dump(), access.dump(), isoNow(), role.id});
    } catch (const sdk::UniqueViolation&) {
        throw sdk::ApiError(409, "role_name_taken", "a role with this name exists", {{"name", "is already used"}});
    }
    auth.cache().clear();
    auditEvent(req, scope, "auth.role.updated", 200, sdk::parseJsonObject(req));
    return Response::json(roleJson(auth, requireRole(auth, scope, role.id)));
}

Response deleteRole(AuthService& auth, const Request& req, TenantScope& scope) {
    auto role = requireRole(auth, scope, req.param("id"));
    if (role.builtin) throw sdk::ApiError(409, "builtin_role", "built-in roles cannot be deleted");
    if (scope.db().queryOne("SELECT 1 FROM auth_users WHERE role_id = ?", {role.id}))
        throw sdk::ApiError(409, "role_in_use", "users still have this role; give them another role first");
    scope.db().execute("DELETE FROM auth_roles WHERE id = ?", {role.id});
    auth.cache().clear();
    auditEvent(req, scope, "auth.role.deleted", 204, {{"role_id", role.id}, {"name", role.name}});
    return Response::empty(204);
}

Response getSettings(AuthService& auth, const Request&, TenantScope& scope) {
    return Response::json({{"require_2fa_roles", auth.store().requiredTwoFactorRoles(scope.db())}});
}

Response updateSettings(AuthService& auth, const Request& req, TenantScope& scope) {
    const auto body = sdk::parseJsonObject(req);
    auto it = body.find("require_2fa_roles");
    if (it == body.end() || !it->is_array() || it->size() > 100)
        invalidField("require_2fa_roles", "must be a list of role ids, or [\"*\"] for every role");
    std::vector<std::string> roles;
    for (const auto& r : *it) {
        if (!r.is_string() || r.get<std::string>().size() > 40) invalidField("require_2fa_roles", "must be a list of role ids");
        const std::string id = r.get<std::string>();
        if (id != "*" && !auth.store().role(scope.db(), id)) invalidField("require_2fa_roles", "unknown role '" + id + "'");
        roles.push_back(id);
    }
    // Requiring 2FA of your own role before enrolling would lock you out of everything
    // but enrolment at once; services (GitHub, Google Workspace) refuse it the same way.
    const Identity& caller = callerIdentity(scope);
    const bool covers_caller = std::find(roles.begin(), roles.end(), "*") != roles.end() ||
                               std::find(roles.begin(), roles.end(), caller.role_id) != roles.end();
    if (covers_caller && !caller.two_factor_enabled)
        invalidField("require_2fa_roles", "includes your own role '" + caller.role_id +
                                              "': enable two-factor authentication on your account first");
    auto& db = scope.db();
    db.transaction([&] {
        db.execute("DELETE FROM tessera_settings WHERE key = 'auth.require_2fa_roles'");
        db.execute("INSERT INTO tessera_settings (key, value) VALUES ('auth.require_2fa_roles', ?)",
                   {sdk::Json(roles).dump()});
    });
    auth.cache().clear();
    auditEvent(req, scope, "auth.settings.updated", 200, {{"require_2fa_roles", roles}});
    return Response::json({{"require_2fa_roles", roles}});
}

}  // namespace tessera::host::auth::routes
