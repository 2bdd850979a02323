// Sign-in, sign-out, the caller's profile, password change and password reset.
#include <algorithm>
#include <spdlog/spdlog.h>

#include "auth/auth_routes.hpp"
#include "auth/crypto.hpp"
#include "auth/route_support.hpp"
#include "auth/sessions.hpp"
#include "auth/tokens.hpp"
#include "auth/users.hpp"

namespace tessera::host::auth::routes {
namespace {

Response tooManyAttempts(std::int64_t wait) {
    auto r = Response::error(429, "too_many_attempts",
                             "too many failed sign-in attempts; retry after " + std::to_string(wait) + " s");
    r.headers["Retry-After"] = std::to_string(wait);
    return r;
}

// One message for an unknown email, a wrong password and a disabled account.
Response invalidCredentials() {
    return Response::error(401, "invalid_credentials", "the email or password is wrong");
}

sdk::Json meJson(const Identity& id) {
    sdk::Json perms = sdk::Json::array();
    std::vector<std::string> sorted(id.permissions.begin(), id.permissions.end());
    std::sort(sorted.begin(), sorted.end());
    for (const auto& p : sorted) perms.push_back(p);
    sdk::Json out = {{"user", {{"id", id.user_id}, {"email", id.email}, {"name", id.name}, {"role", id.role_id},
                               {"two_factor_enabled", id.two_factor_enabled}}},
                     {"credential", {{"kind", id.credential_kind}, {"id", id.credential_id}}},
                     {"permissions", perms},
                     {"access", accessToJson(id.access)},
                     {"two_factor_enrollment_required", id.needs_two_factor_enrollment},
                     {"password_change_required", id.needs_password_change}};
    if (id.credential_kind == "session") out["csrf_token"] = id.csrf_token;
    return out;
}

}  // namespace

Response login(AuthService& auth, const Request& req, TenantScope& scope) {
    const auto body = sdk::parseJsonObject(req);
    const std::string email = requiredString(body, "email", 254);
    const std::string password = requiredString(body, "password", 1024);
    bool want_token = false, want_session = true;
    if (auto it = body.find("token"); it != body.end()) {
        if (!it->is_boolean()) invalidField("token", "must be true or false");
        want_token = it->get<bool>();
    }
    if (auto it = body.find("session"); it != body.end()) {
        if (!it->is_boolean()) invalidField("session", "must be true or false");
        want_session = it->get<bool>();
    }
    if (!want_token && !want_session) invalidField("session", "ask for a session, a token or both");

    const std::string account_key = std::to_string(scope.tenant().id) + "|" + emailKey(email);
    // Per tenant too: failures in one tenant must never slow another tenant's sign-ins,
    // even from the same address (an office NAT, a shared proxy).
    const std::string address_key = std::to_string(scope.tenant().id) + "|" + req.client_address;
    if (const auto wait = auth.throttle().retryAfter(account_key, address_key)) {
        auditEvent(req, scope, "auth.login.throttled", 429, {{"email", email.substr(0, 254)}}, email.substr(0, 254));
        return tooManyAttempts(wait);
    }

    auto user = findUserByEmail(scope.db(), email);
    bool ok = false;
    if (user && !(*user)["password_hash"].isNull())
        ok = auth.hasher().verify((*user)["password_hash"].asText(), password);
    else
        auth.hasher().verifyNothing(password);
    if (ok && (*user)["status"].asText() != "active") ok = false;
    const bool one_time = ok && !(*user)["password_expires_at"].isNull();
    if (one_time && (*user)["password_expires_at"].asText() <= isoNow()) {
        // The right password, so not a failure the throttle counts: only too late.
        auditEvent(req, scope, "auth.login.failed", 401, {{"email", email.substr(0, 254)}, {"reason", "password_expired"}},
                   email.substr(0, 254));
        return Response::error(401, "password_expired",
                               "this one-time password expired at " + (*user)["password_expires_at"].asText() +
                                   ": ask for a reset link (POST /api/v1/auth/password-reset/request)",
                               {{"password", "expired"}});
    }
    if (!ok) {
        auth.throttle().failed(account_key, address_key);
        auditEvent(req, scope, "auth.login.failed", 401, {{"email", email.substr(0, 254)}, {"reason", "credentials"}},
                   email.substr(0, 254));
        return invalidCredentials();
    }
    if ((*user)["totp_enabled"].asBool()) {
        const bool has_code = body.contains("totp_code") || body.contains("recovery_code");
        if (!has_code)
            return Response::error(401, "totp_required",
                                   "this account uses two-factor authentication: send totp_code (or recovery_code)",
                                   {{"totp_code", "is required"}});
        bool second_factor_ok = false;
        try {
            second_factor_ok = acceptSecondFactor(scope, *user, body);
        } catch (const sdk::ApiError& e) {
            // The stored TOTP secret does not open (master key changed): the reason is in
            // the server log; the audit log keeps the attempt.
            auditEvent(req, scope, "auth.login.failed", e.status(),
                       {{"email", email.substr(0, 254)}, {"reason", e.code()}}, email.substr(0, 254));
            throw;
        }
        if (!second_factor_ok) {
            auth.throttle().failed(account_key, address_key);
            auditEvent(req, scope, "auth.login.failed", 401, {{"email", email.substr(0, 254)}, {"reason", "second_factor"}},
                       email.substr(0, 254));
            return Response::error(401, "invalid_totp", "the two-factor code is wrong or was already used",
                                   {{"totp_code", "is wrong"}});
        }
    }
    auth.throttle().succeeded(account_key);

    const std::string user_id = (*user)["id"].asText();
    const std::string now = isoNow();
    scope.db().execute("UPDATE auth_users SET last_login_at = ? WHERE id = ?", {now, user_id});
    sdk::Json out = {{"user", userJson(*scope.db().queryOne(std::string(kUserSelect) + " WHERE id = ?", {user_id}))},
                     {"password_change_required", one_time}};
    Response r;
    const auto lifetime = auth.settings().session_lifetime;
    if (want_session) {
        const auto s = createSession(scope.db(), user_id, req.client_address, lifetime);
        out["csrf_token"] = s.csrf_token;
        out["session_expires_at"] = s.expires_at;
        r.headers["Set-Cookie"] = sessionCookie(s, overTls(req.headers), lifetime);
    }
    if (want_token) {
        TokenRequest t;
        t.user_id = user_id;
        t.name = "login";
        t.kind = "login";
        t.expires_at = isoIn(lifetime);
        auto issued = issueToken(scope.db(), t);
        out["token"] = issued.secret;
        out["token_id"] = issued.id;
        out["token_expires_at"] = *t.expires_at;
    }
    // Attribute the event to the user who just signed in.
    sdk::Json details = {{"email", (*user)["email"].asText()}, {"user_id", user_id},
                         {"session", want_session}, {"token", want_token}};
    auditEvent(req, scope, "auth.login.succeeded", 200, details, (*user)["email"].asText());
    auto json = Response::json(out);
    json.headers.insert(r.headers.begin(), r.headers.end());
    return json;
}

Response logout(AuthService& auth, const Request& req, TenantScope& scope) {
    const Identity& id = callerIdentity(scope);
    if (id.credential_kind == "session") revokeSession(scope.db(), id.credential_id);
    else if (id.credential_kind == "token")
        scope.db().execute("UPDATE auth_tokens SET revoked_at = ? WHERE id = ? AND kind = 'login' AND revoked_at IS NULL",
                           {isoNow(), id.credential_id});
    auth.cache().clear();
    auditEvent(req, scope, "auth.logout", 204);
    auto r = Response::empty(204);
    if (id.credential_kind == "session") r.headers["Set-Cookie"] = clearedSessionCookie(overTls(req.headers));
    return r;
}

Response me(AuthService&, const Request&, TenantScope& scope) { return Response::json(meJson(callerIdentity(scope))); }

Response changePassword(AuthService& auth, const Request& req, TenantScope& scope) {
    const Identity& id = callerIdentity(scope);
    const auto body = sdk::parseJsonObject(req);
    const std::string current = requiredString(body, "current_password", 1024);
    const std::string next = requiredString(body, "new_password", 1024);
    if (auto weak = PasswordHasher::weakness(next); !weak.empty()) invalidField("new_password", weak);
    auto user = findUserById(scope.db(), id.user_id);
    if (!user || (*user)["password_hash"].isNull() || !auth.hasher().verify((*user)["password_hash"].asText(), current)) {
        auditEvent(req, scope, "auth.password.change_failed", 422);
        invalidField("current_password", "is wrong");
    }
    setPassword(scope.db(), auth.hasher(), id.user_id, next);
    auth.cache().clear();
    auditEvent(req, scope, "auth.password.changed", 204);
    auto r = Response::empty(204);
    if (id.credential_kind == "session") r.headers["Set-Cookie"] = clearedSessionCookie(overTls(req.headers));
    return r;
}

Response requestPasswordReset(AuthService& auth, const Request& req, TenantScope& scope) {
    const auto body = sdk::parseJsonObject(req);
    const std::string email = requiredString(body, "email", 254);
    // The same answer whether or not the account exists.
    const Response accepted = Response::json(
        {{"status", "accepted"}, {"message", "if the account exists, a reset link is on its way"}}, 202);
    auto user = findUserByEmail(scope.db(), email);
    auditEvent(req, scope, "auth.password_reset.requested", 202, {{"email", email}}, email);
    if (!user || (*user)["status"].asText() != "active") return accepted;
    const std::string secret = randomSecret("rst_", 32);
    scope.db().execute("INSERT INTO auth_password_resets (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
                       {sha256Hex(secret), (*user)["id"].asText(), isoNow(), isoIn(auth.settings().reset_lifetime)});
    const std::string link = auth.settings().public_url + "/reset-password?tenant=" + scope.tenant().slug +
                             "&token=" + secret;
    queueEmail(auth, scope, "password_reset", (*user)["email"].asText(), "Reset your password",
               "Someone asked to reset the password of your account at " + scope.tenant().name +
                   ".\n\nTo choose a new password, open:\n" + link + "\n\nThe link works once and expires in " +
                   std::to_string(auth.settings().reset_lifetime.count() / 60) +
                   " minutes. If you did not ask, ignore this message.\n");
    return accepted;
}

Response resetPassword(AuthService& auth, const Request& req, TenantScope& scope) {
    const auto body = sdk::parseJsonObject(req);
    const std::string token = requiredString(body, "token", 200);
    const std::string password = requiredString(body, "password", 1024);
    if (auto weak = PasswordHasher::weakness(password); !weak.empty()) invalidField("password", weak);
    auto& db = scope.db();
    std::string user_id;
    db.transaction([&] {
        const std::string now = isoNow();
        auto row = db.queryOne("SELECT user_id FROM auth_password_resets WHERE token_hash = ? AND used_at IS NULL "
                               "AND expires_at > ?",
                               {sha256Hex(token), now});
        if (!row) return;
        // Single use: only the request that flips used_at may go on.
        if (db.execute("UPDATE auth_password_resets SET used_at = ? WHERE token_hash = ? AND used_at IS NULL",
                       {now, sha256Hex(token)}) != 1)
            return;
        user_id = (*row)["user_id"].asText();
        setPassword(db, auth.hasher(), user_id, password);
    });
    if (user_id.empty()) {
        auditEvent(req, scope, "auth.password_reset.failed", 422);
        invalidField("token", "is invalid, expired or already used");
    }
    auth.cache().clear();
    auditEvent(req, scope, "auth.password_reset.completed", 204, {{"user_id", user_id}});
    return Response::empty(204);
}

}  // namespace tessera::host::auth::routes
