#include "auth/tenant_bootstrap.hpp"

#include <pwd.h>
#include <unistd.h>

#include <stdexcept>

#include "auth/audit_log.hpp"
#include "auth/crypto.hpp"
#include "auth/tokens.hpp"
#include "auth/users.hpp"
#include "core/clock.hpp"

namespace tessera::host::auth {
namespace {

void auditCli(sdk::Database& db, const std::string& action, const sdk::Json& details) {
    AuditEntry e;
    e.actor_id = "system";
    e.actor_kind = "system";
    // The operator's login name tells a reviewer who ran the command on the server.
    const passwd* pw = ::getpwuid(::geteuid());
    e.actor_name = std::string("tessera CLI (") + (pw ? pw->pw_name : std::to_string(::geteuid()).c_str()) + ")";
    e.action = action;
    e.changed_fields = details;
    writeAudit(db, e);
}

}  // namespace

void auditOperatorAction(AuthService& auth, TenantService& tenants, const TenantRecord& tenant,
                         const std::string& action, const sdk::Json& details) {
    tenants.ensureMigrated(tenant);
    auto lease = auth.pool().acquire(tenant.slug);
    auditCli(lease.db(), action, details);
}

OwnerCredentials createOwner(AuthService& auth, TenantService& tenants, const TenantRecord& tenant,
                             const std::string& email) {
    if (auto p = emailProblem(email); !p.empty()) throw std::invalid_argument("--admin-email " + p);
    tenants.ensureMigrated(tenant);
    auto lease = auth.pool().acquire(tenant.slug);
    auto& db = lease.db();
    OwnerCredentials out;
    out.password = randomSecret("", 15);  // 120 bits, 20 characters
    out.password_expires_at = isoIn(auth.settings().one_time_password_lifetime);
    db.transaction([&] {
        NewUser u{email, "", "owner", out.password, out.password_expires_at};
        try {
            out.user_id = createUser(db, auth.hasher(), u);
        } catch (const sdk::ApiError&) {
            throw std::invalid_argument("tenant '" + tenant.slug + "' already has a user " + email);
        }
        TokenRequest t;
        t.user_id = out.user_id;
        t.name = "created by tessera tenant create";
        out.token = issueToken(db, t).secret;
        auditCli(db, "auth.user.created", {{"user_id", out.user_id}, {"email", email}, {"role", "owner"}});
        auditCli(db, "auth.token.created", {{"user_id", out.user_id}, {"name", t.name}});
    });
    return out;
}

std::string createTokenFor(AuthService& auth, TenantService& tenants, const TenantRecord& tenant,
                           const CliTokenRequest& request) {
    if (request.name.empty() || request.name.size() > 100) throw std::invalid_argument("--name must have 1-100 characters");
    if (request.expires_days && (*request.expires_days < 1 || *request.expires_days > 3650))
        throw std::invalid_argument("--expires-days must be from 1 to 3650");
    tenants.ensureMigrated(tenant);
    auto lease = auth.pool().acquire(tenant.slug);
    auto& db = lease.db();
    auto user = findUserByEmail(db, request.email);
    if (!user) throw std::invalid_argument("tenant '" + tenant.slug + "' has no user " + request.email);
    auto identity = auth.store().byUserId(db, tenant.id, (*user)["id"].asText());
    if (!identity) throw std::invalid_argument("user " + request.email + " is disabled");
    TokenRequest t;
    t.user_id = identity->user_id;
    t.name = request.name;
    if (!request.scopes.empty()) {
        for (const auto& s : request.scopes) {
            if (!auth.registry().permissionExists(s)) throw std::invalid_argument("unknown permission '" + s + "'");
            if (!identity->allows(s)) throw std::invalid_argument(request.email + " does not have the permission '" + s + "'");
        }
        t.scopes = request.scopes;
    }
    if (request.expires_days) t.expires_at = isoIn(std::chrono::hours(24 * *request.expires_days));
    std::string secret;
    db.transaction([&] {
        auto issued = issueToken(db, t);
        secret = issued.secret;
        auditCli(db, "auth.token.created", {{"token_id", issued.id}, {"user_id", t.user_id}, {"name", t.name},
                                            {"scopes", issued.record["scopes"]}});
    });
    return secret;
}

bool revokeTokenById(AuthService& auth, TenantService& tenants, const TenantRecord& tenant, const std::string& id) {
    tenants.ensureMigrated(tenant);
    auto lease = auth.pool().acquire(tenant.slug);
    auto& db = lease.db();
    if (db.execute("UPDATE auth_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", {isoNow(), id}) == 0)
        return false;
    auditCli(db, "auth.token.revoked", {{"token_id", id}});
    return true;
}

}  // namespace tessera::host::auth
