// TOTP enrolment, verification, recovery codes and removal.
#include "auth/auth_routes.hpp"
#include "auth/crypto.hpp"
#include "auth/route_support.hpp"
#include "auth/totp.hpp"
#include "auth/users.hpp"
#include "core/tenant_secrets.hpp"

namespace tessera::host::auth::routes {
namespace {

constexpr int kRecoveryCodes = 10;

std::string normalisedCode(std::string code) {
    std::string out;
    for (char c : code)
        if (c != '-' && c != ' ') out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

}  // namespace

bool acceptSecondFactor(TenantScope& scope, const sdk::Row& user, const sdk::Json& body) {
    auto& db = scope.db();
    const std::string user_id = user["id"].asText();
    if (auto it = body.find("totp_code"); it != body.end() && it->is_string()) {
        const std::string secret =
            openTenantSecret(scope.tenant().slug, secret_columns::kTotpSecret, user["totp_secret"].asText());
        auto step = totpMatchStep(secret, it->get<std::string>());
        if (!step) return false;
        // A code is good once: the step must move forward.
        return db.execute("UPDATE auth_users SET totp_last_step = ? WHERE id = ? AND totp_last_step < ?",
                          {*step, user_id, *step}) == 1;
    }
    if (auto it = body.find("recovery_code"); it != body.end() && it->is_string() && it->get<std::string>().size() < 100) {
        const std::string hash = sha256Hex(normalisedCode(it->get<std::string>()));
        return db.execute("UPDATE auth_recovery_codes SET used_at = ? WHERE user_id = ? AND code_hash = ? AND used_at IS NULL",
                          {isoNow(), user_id, hash}) == 1;
    }
    return false;
}

Response enrollTotp(AuthService&, const Request& req, TenantScope& scope) {
    const Identity& id = callerIdentity(scope);
    auto user = findUserById(scope.db(), id.user_id);
    if (!user) throw sdk::ApiError(404, "user_not_found", "no such user");
    if ((*user)["totp_enabled"].asBool())
        throw sdk::ApiError(409, "totp_already_enabled", "two-factor authentication is already on; remove it first");
    const std::string secret = newTotpSecret();
    scope.db().execute("UPDATE auth_users SET totp_pending_secret = ?, updated_at = ? WHERE id = ?",
                       {sealTenantSecret(scope.tenant().slug, secret_columns::kTotpPendingSecret, secret), isoNow(),
                        id.user_id});
    auditEvent(req, scope, "auth.2fa.enrollment_started", 200);
    return Response::json({{"secret", secret},
                           {"provisioning_uri", totpProvisioningUri(secret, "Tessera " + scope.tenant().name, id.email)},
                           {"next", "POST /api/v1/auth/2fa/totp/verify with a code from the authenticator app"}});
}

Response verifyTotp(AuthService& auth, const Request& req, TenantScope& scope) {
    const Identity& id = callerIdentity(scope);
    const auto body = sdk::parseJsonObject(req);
    const std::string code = requiredString(body, "code", 20);
    auto& db = scope.db();
    auto user = findUserById(db, id.user_id);
    if (!user) throw sdk::ApiError(404, "user_not_found", "no such user");
    if ((*user)["totp_pending_secret"].isNull())
        throw sdk::ApiError(409, "totp_not_enrolling", "start with POST /api/v1/auth/2fa/totp/enroll");
    const std::string secret = openTenantSecret(scope.tenant().slug, secret_columns::kTotpPendingSecret,
                                                (*user)["totp_pending_secret"].asText());
    auto step = totpMatchStep(secret, code);
    if (!step) {
        auditEvent(req, scope, "auth.2fa.verification_failed", 422);
        invalidField("code", "does not match the authenticator");
    }
    std::vector<std::string> codes;
    db.transaction([&] {
        db.execute("UPDATE auth_users SET totp_secret = ?, totp_pending_secret = NULL, totp_enabled = 1, "
                   "totp_last_step = ?, updated_at = ? WHERE id = ?",
                   {sealTenantSecret(scope.tenant().slug, secret_columns::kTotpSecret, secret), *step, isoNow(),
                    id.user_id});
        db.execute("DELETE FROM auth_recovery_codes WHERE user_id = ?", {id.user_id});
        for (int i = 0; i < kRecoveryCodes; ++i) {
            const std::string raw = randomCode(10);
            const std::string shown = raw.substr(0, 5) + "-" + raw.substr(5);
            db.execute("INSERT INTO auth_recovery_codes (user_id, code_hash) VALUES (?, ?)", {id.user_id, sha256Hex(raw)});
            codes.push_back(shown);
        }
    });
    auth.cache().clear();
    auditEvent(req, scope, "auth.2fa.enabled", 200);
    return Response::json({{"two_factor_enabled", true},
                           {"recovery_codes", codes},
                           {"message", "store the recovery codes somewhere safe: they are shown only now"}});
}

Response disableTotp(AuthService& auth, const Request& req, TenantScope& scope) {
    const Identity& id = callerIdentity(scope);
    const auto body = sdk::parseJsonObject(req);
    const std::string password = requiredString(body, "password", 1024);
    auto& db = scope.db();
    auto user = findUserById(db, id.user_id);
    if (!user || (*user)["password_hash"].isNull() || !auth.hasher().verify((*user)["password_hash"].asText(), password)) {
        auditEvent(req, scope, "auth.2fa.disable_failed", 422);
        invalidField("password", "is wrong");
    }
    for (const auto& role : auth.store().requiredTwoFactorRoles(db))
        if (role == "*" || role == id.role_id)
            throw sdk::ApiError(409, "two_factor_required", "this tenant requires two-factor authentication for your role");
    db.transaction([&] {
        db.execute("UPDATE auth_users SET totp_secret = NULL, totp_pending_secret = NULL, totp_enabled = 0, "
                   "updated_at = ? WHERE id = ?",
                   {isoNow(), id.user_id});
        db.execute("DELETE FROM auth_recovery_codes WHERE user_id = ?", {id.user_id});
    });
    auth.cache().clear();
    auditEvent(req, scope, "auth.2fa.disabled", 204);
    return Response::empty(204);
}

}  // namespace tessera::host::auth::routes
