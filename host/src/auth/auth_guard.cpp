#include "auth/auth_guard.hpp"

#include <spdlog/spdlog.h>

#include "auth/audit_log.hpp"
#include "auth/crypto.hpp"
#include "auth/permissions.hpp"
#include "auth/sessions.hpp"
#include "http/dispatcher.hpp"

namespace tessera::host::auth {

namespace {

bool stateChanging(const std::string& method) {
    return method == "POST" || method == "PUT" || method == "PATCH" || method == "DELETE";
}

// Tokens and session ids are base64url; anything else is refused before it reaches a
// hash, a cache or a database.
bool plausibleSecret(const std::string& s) {
    if (s.empty() || s.size() > 200) return false;
    for (unsigned char c : s)
        if (!(std::isalnum(c) || c == '-' || c == '_')) return false;
    return true;
}

bool startsWithNoCase(const std::string& s, const std::string& prefix) {
    if (s.size() < prefix.size()) return false;
    for (std::size_t i = 0; i < prefix.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(s[i])) != std::tolower(static_cast<unsigned char>(prefix[i])))
            return false;
    return true;
}

}  // namespace

RequestGuard::Admission AuthGuard::reject(int status, const std::string& code, const std::string& message,
                                          const std::string& request_id, const sdk::Json& fields) {
    Admission a;
    a.reject = Dispatcher::error(status, code, message, request_id, fields);
    if (status == 401) a.reject->headers["WWW-Authenticate"] = code == "invalid_token"
                                                                   ? "Bearer error=\"invalid_token\""
                                                                   : "Bearer";
    return a;
}

IdentityPtr AuthGuard::resolve(const TenantRecord& tenant, const std::string& kind, const std::string& secret) {
    // The kind is part of the key: a session id presented as a bearer token is unknown.
    const std::string hash = kind + sha256Hex(secret);
    if (auto cached = auth_.cache().find(tenant.id, hash)) return *cached;
    tenants_.ensureMigrated(tenant);
    IdentityPtr identity;
    {
        auto lease = auth_.pool().acquire(tenant.slug);
        identity = kind == "t" ? auth_.store().byTokenHash(lease.db(), tenant.id, hash.substr(1))
                               : auth_.store().bySessionHash(lease.db(), tenant.id, hash.substr(1));
    }
    auth_.cache().put(tenant.id, hash, identity);
    return identity;
}

void AuthGuard::auditDenial(const TenantRecord& tenant, const HttpRequest& request, const RouteEntry& route,
                            int status, const std::string& action, const IdentityPtr& identity,
                            const std::string& request_id) {
    try {
        AuditEntry e;
        if (identity) e.setActor(identity->principal(), identity->credential_id);
        e.action = action;
        e.method = request.method;
        e.route = route.route.path;
        e.status = status;
        e.client_address = request.client_address;
        e.request_id = request_id;
        auto lease = auth_.pool().acquire(tenant.slug);
        writeAudit(lease.db(), e);
    } catch (const std::exception& ex) {
        spdlog::error("[auth tenant={} req={}] audit write failed: {}", tenant.slug, request_id, ex.what());
    }
}

bool AuthGuard::createsCountedRecord(const std::string& method, const RouteEntry& route) const {
    return method == "POST" && route.route.path.find('{') == std::string::npos &&
           !auth_.registry().countedTables(route.plugin).empty();
}

std::optional<RequestGuard::Admission> AuthGuard::overQuota(const HttpRequest& request, const TenantRecord& tenant,
                                                            const RouteEntry& route, const Plan& plan,
                                                            const std::string& request_id) {
    // Reads, deletes and the caller's own account stay open, so a tenant over its plan
    // can always look, clean up, or sign out.
    if (!stateChanging(request.method) || request.method == "DELETE" || route.route.permission == kSelfPermission)
        return std::nullopt;
    const std::int64_t mib = 1024 * 1024;
    if (plan.max_storage_mb > 0) {
        const std::int64_t used = auth_.usage().storageBytes(tenant.info());
        if (used >= plan.max_storage_mb * mib)
            return reject(402, "plan_limit_exceeded",
                          "the " + plan.name + " plan allows " + std::to_string(plan.max_storage_mb) +
                              " MB of storage and " + std::to_string((used + mib - 1) / mib) +
                              " MB are used; delete data or upgrade the plan",
                          request_id, {{"storage_mb", "limit " + std::to_string(plan.max_storage_mb) + " reached"}});
    }
    if (plan.max_records_per_plugin > 0 && createsCountedRecord(request.method, route)) {
        const auto used = auth_.usage().records(tenant.info(), route.plugin, auth_.registry().countedTables(route.plugin));
        if (used >= plan.max_records_per_plugin)
            return reject(402, "plan_limit_exceeded",
                          "the " + plan.name + " plan allows " + std::to_string(plan.max_records_per_plugin) +
                              " records per plugin and " + route.plugin + " holds " + std::to_string(used) +
                              "; delete records or upgrade the plan",
                          request_id,
                          {{"records_per_plugin", "limit " + std::to_string(plan.max_records_per_plugin) + " reached for " +
                                                      route.plugin}});
    }
    return std::nullopt;
}

RequestGuard::Admission AuthGuard::admit(const HttpRequest& request, const TenantRecord& tenant,
                                         const RouteEntry& route, const std::string& request_id) {
    const Plan plan = auth_.plans().forTenant(tenant.id);
    if (const auto wait = auth_.limiter().take(tenant.id, plan.requests_per_minute)) {
        auto a = reject(429, "rate_limited",
                        "the " + plan.name + " plan allows " + std::to_string(plan.requests_per_minute) +
                            " requests per minute; retry after " + std::to_string(wait) + " s",
                        request_id, {{"requests_per_minute", plan.requests_per_minute}});
        a.reject->headers["Retry-After"] = std::to_string(wait);
        return a;
    }
    if (route.route.is_public) return {};

    std::string kind, secret;
    if (auto h = request.headers.find("Authorization"); h != request.headers.end()) {
        if (!startsWithNoCase(h->second, "Bearer "))
            return reject(401, "invalid_authorization", "use 'Authorization: Bearer <token>'", request_id,
                          {{"Authorization", "must be a Bearer token"}});
        secret = h->second.substr(7);
        while (!secret.empty() && secret.front() == ' ') secret.erase(0, 1);
        while (!secret.empty() && secret.back() == ' ') secret.pop_back();
        kind = "t";
    } else if (auto c = request.headers.find("Cookie"); c != request.headers.end()) {
        if (auto v = cookieValue(c->second, kSessionCookie)) {
            secret = *v;
            kind = "s";
        }
    }
    if (kind.empty())
        return reject(401, "authentication_required",
                      "sign in (POST /api/v1/auth/login) or send 'Authorization: Bearer <token>'", request_id);

    IdentityPtr identity;
    if (plausibleSecret(secret)) identity = resolve(tenant, kind, secret);
    if (!identity) {
        auditDenial(tenant, request, route, 401, kind == "t" ? "auth.token.rejected" : "auth.session.rejected",
                    nullptr, request_id);
        return reject(401, "invalid_token",
                      kind == "t" ? "the token is unknown, expired or revoked" : "the session has ended; sign in again",
                      request_id);
    }

    if (kind == "s" && stateChanging(request.method)) {
        auto h = request.headers.find(kCsrfHeader);
        if (h == request.headers.end() || !constantTimeEquals(h->second, identity->csrf_token)) {
            auditDenial(tenant, request, route, 403, "auth.csrf.rejected", identity, request_id);
            return reject(403, "csrf_failed",
                          "requests signed in with a session cookie must send the session's X-CSRF-Token header",
                          request_id, {{kCsrfHeader, "missing or wrong"}});
        }
    }

    const std::string& permission = route.route.permission;
    if (identity->needs_two_factor_enrollment && permission != kSelfPermission)
        return reject(403, "two_factor_required",
                      "this tenant requires two-factor authentication for your role: enrol at "
                      "POST /api/v1/auth/2fa/totp/enroll first",
                      request_id);
    if (identity->needs_password_change && permission != kSelfPermission)
        return reject(403, "password_change_required",
                      "this sign-in used a one-time password: choose your own first at POST /api/v1/auth/password",
                      request_id);
    if (permission != kSelfPermission && !identity->allows(permission)) {
        auditDenial(tenant, request, route, 403, "auth.permission.denied", identity, request_id);
        return reject(403, "permission_denied", "this needs the permission '" + permission + "'", request_id,
                      {{"permission", permission}});
    }
    if (auto over = overQuota(request, tenant, route, plan, request_id)) return std::move(*over);
    Admission a;
    a.principal = identity->principal();
    a.caller = identity;
    return a;
}

void AuthGuard::finish(const sdk::Request& request, const TenantRecord& tenant, const RouteEntry& route,
                       const std::shared_ptr<const void>& caller, HttpResponse& response) {
    const auto identity = std::static_pointer_cast<const Identity>(caller);
    const std::string method = sdk::methodName(request.method);
    if (!stateChanging(method)) return;
    if (response.status == 201 && createsCountedRecord(method, route)) auth_.usage().recordCreated(tenant.info(), route.plugin);
    try {
        AuditEntry e;
        e.setActor(request.principal, identity ? identity->credential_id : std::string());
        e.action = method + " " + route.route.path;
        e.method = method;
        e.route = route.route.path;
        e.status = response.status;
        for (const auto& [k, v] : request.path_params) e.record[k] = v.substr(0, 200);
        e.changed_fields = maskedFields(request.body);
        e.client_address = request.client_address;
        e.request_id = request.request_id;
        auto lease = auth_.pool().acquire(tenant.slug);
        writeAudit(lease.db(), e);
    } catch (const std::exception& ex) {
        spdlog::error("[auth tenant={} req={}] audit write failed: {}", tenant.slug, request.request_id, ex.what());
    }
}

}  // namespace tessera::host::auth
