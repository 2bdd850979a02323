// Users of the tenant, and the tenant's plan with its usage.
#include "auth/auth_routes.hpp"
#include "auth/crypto.hpp"
#include "auth/route_support.hpp"
#include "auth/users.hpp"

namespace tessera::host::auth::routes {
namespace {

sdk::Json requireUserJson(TenantScope& scope, const std::string& id) {
    if (!plausibleId(id, "usr_")) throw sdk::ApiError(404, "user_not_found", "no such user");
    auto row = scope.db().queryOne(std::string(kUserSelect) + " WHERE id = ?", {id});
    if (!row) throw sdk::ApiError(404, "user_not_found", "no such user");
    return userJson(*row);
}

std::int64_t activeOwners(sdk::Database& db) {
    return (*db.queryOne("SELECT COUNT(*) AS n FROM auth_users WHERE role_id = 'owner' AND status = 'active'"))["n"].asInt();
}

void checkUserQuota(AuthService& auth, TenantScope& scope) {
    const Plan plan = auth.plans().forTenant(scope.tenant().id);
    if (plan.max_users > 0 && countActiveUsers(scope.db()) >= plan.max_users)
        throw sdk::ApiError(402, "plan_limit_exceeded",
                            "the " + plan.name + " plan allows " + std::to_string(plan.max_users) +
                                " active users; upgrade the plan or disable a user",
                            {{"users", "limit " + std::to_string(plan.max_users) + " reached"}});
}

}  // namespace

Response listUsers(AuthService&, const Request&, TenantScope& scope) {
    sdk::Json data = sdk::Json::array();
    for (const auto& r : scope.db().query(std::string(kUserSelect) + " ORDER BY email_key LIMIT 1000"))
        data.push_back(userJson(r));
    return Response::json({{"data", data}});
}

Response getUser(AuthService&, const Request& req, TenantScope& scope) {
    return Response::json(requireUserJson(scope, req.param("id")));
}

Response createUserRoute(AuthService& auth, const Request& req, TenantScope& scope) {
    const Identity& caller = callerIdentity(scope);
    const auto body = sdk::parseJsonObject(req);
    NewUser u;
    u.email = requiredString(body, "email", 254);
    if (auto p = emailProblem(u.email); !p.empty()) invalidField("email", p);
    u.name = optionalString(body, "name", 200).value_or("");
    u.role_id = requiredString(body, "role", 40);
    const auto assigned = auth.store().role(scope.db(), u.role_id);
    if (!assigned) invalidField("role", "unknown role '" + u.role_id + "'");
    if (u.role_id == "owner" && caller.role_id != "owner")
        throw sdk::ApiError(403, "permission_denied", "only an Owner can make another Owner", {{"role", "owner"}});
    if (u.role_id != "owner") requireGrantable(scope, auth.store().rolePermissions(*assigned), "role");
    if (auto p = optionalString(body, "password", 1024)) {
        if (auto weak = PasswordHasher::weakness(*p); !weak.empty()) invalidField("password", weak);
        u.password = *p;
    }
    checkUserQuota(auth, scope);
    const std::string id = createUser(scope.db(), auth.hasher(), u);
    if (!u.password) {
        // No password given: the user chooses one through a reset link (an invitation).
        const std::string secret = randomSecret("rst_", 32);
        scope.db().execute("INSERT INTO auth_password_resets (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
                           {sha256Hex(secret), id, isoNow(), isoIn(std::chrono::hours(72))});
        queueEmail(auth, scope, "invitation", u.email, "You are invited to " + scope.tenant().name,
                   "You have an account at " + scope.tenant().name + ". Choose your password at:\n" +
                       auth.settings().public_url + "/reset-password?tenant=" + scope.tenant().slug + "&token=" + secret +
                       "\n\nThe link works once and expires in 72 hours.\n");
    }
    auditEvent(req, scope, "auth.user.created", 201, {{"user_id", id}, {"email", u.email}, {"role", u.role_id}});
    return Response::json(requireUserJson(scope, id), 201);
}

Response updateUser(AuthService& auth, const Request& req, TenantScope& scope) {
    const Identity& caller = callerIdentity(scope);
    const auto current = requireUserJson(scope, req.param("id"));
    const auto body = sdk::parseJsonObject(req);
    const std::string id = current["id"];
    std::string name = current["name"], role = current["role"], status = current["status"];
    if (body.contains("name")) name = optionalString(body, "name", 200).value_or("");
    if (body.contains("role")) {
        role = requiredString(body, "role", 40);
        const auto assigned = auth.store().role(scope.db(), role);
        if (!assigned) invalidField("role", "unknown role '" + role + "'");
        if (role != current["role"] && role != "owner") requireGrantable(scope, auth.store().rolePermissions(*assigned), "role");
    }
    if (body.contains("status")) {
        status = requiredString(body, "status", 20);
        if (status != "active" && status != "disabled") invalidField("status", "must be 'active' or 'disabled'");
    }
    const bool touches_owner = role == "owner" || current["role"] == "owner";
    if (touches_owner && role != current["role"] && caller.role_id != "owner")
        throw sdk::ApiError(403, "permission_denied", "only an Owner can grant or remove the Owner role", {{"role", "owner"}});
    if (current["role"] == "owner" && current["status"] == "active" && (role != "owner" || status != "active") &&
        activeOwners(scope.db()) <= 1)
        throw sdk::ApiError(409, "last_owner", "a tenant keeps at least one active Owner");
    if (status == "active" && current["status"] != "active") checkUserQuota(auth, scope);
    scope.db().execute("UPDATE auth_users SET name = ?, role_id = ?, status = ?, updated_at = ? WHERE id = ?",
                       {name, role, status, isoNow(), id});
    if (status == "disabled")
        scope.db().execute("UPDATE auth_sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL", {isoNow(), id});
    auth.cache().clear();
    if (role != current["role"])
        auditEvent(req, scope, "auth.user.role_changed", 200, {{"user_id", id}, {"from", current["role"]}, {"to", role}});
    auditEvent(req, scope, "auth.user.updated", 200, {{"user_id", id}, {"name", name}, {"role", role}, {"status", status}});
    return Response::json(requireUserJson(scope, id));
}

Response getPlan(AuthService& auth, const Request&, TenantScope& scope) {
    const Plan p = auth.plans().forTenant(scope.tenant().id);
    auto limit = [](std::int64_t v) { return v > 0 ? sdk::Json(v) : sdk::Json(nullptr); };
    return Response::json({{"plan", {{"id", p.id}, {"name", p.name}}},
                           {"limits", {{"users", limit(p.max_users)},
                                       {"requests_per_minute", limit(p.requests_per_minute)},
                                       {"records_per_plugin", limit(p.max_records_per_plugin)},
                                       {"storage_mb", limit(p.max_storage_mb)},
                                       {"scripts", limit(p.max_scripts)},
                                       {"script_instructions", limit(p.script_instructions)},
                                       {"script_memory_mb", limit(p.script_memory_mb)},
                                       {"script_wall_ms", limit(p.script_wall_ms)}}},
                           {"usage", {{"users", countActiveUsers(scope.db())},
                                      {"storage_bytes", auth.usage().storageBytes(scope.tenant())},
                                      {"scripts", (*scope.db().queryOne("SELECT COUNT(*) AS n FROM workflows"))["n"].asInt()}}}});
}

}  // namespace tessera::host::auth::routes
