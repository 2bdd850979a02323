#include "auth/identity.hpp"

#include <algorithm>

#include "auth/crypto.hpp"

namespace tessera::host::auth {
namespace {

const char* kUserColumns =
    "u.id AS user_id, u.email, u.name, u.role_id, u.status, u.totp_enabled, u.password_expires_at";

// last_used_at is advisory: refresh it at most once a minute per credential so that a
// busy token does not turn every cache miss into a write.
bool stale(const std::string& last_used, const std::string& now) {
    if (last_used.empty()) return true;
    return last_used.substr(0, 16) != now.substr(0, 16);
}

}  // namespace

std::optional<RoleDefinition> IdentityStore::role(sdk::Database& db, const std::string& role_id) const {
    auto row = db.queryOne("SELECT id, name, builtin, permissions, access FROM auth_roles WHERE id = ?", {role_id});
    if (!row) return std::nullopt;
    RoleDefinition r;
    r.id = (*row)["id"].asText();
    r.name = (*row)["name"].asText();
    r.builtin = (*row)["builtin"].asBool();
    auto perms = sdk::parseJson((*row)["permissions"].asText());
    if (perms.is_array())
        for (const auto& p : perms)
            if (p.is_string()) r.permissions.push_back(p.get<std::string>());
    r.access = parseAccess(sdk::parseJson((*row)["access"].asText()));
    return r;
}

std::unordered_set<std::string> IdentityStore::rolePermissions(const RoleDefinition& role) const {
    if (role.builtin) return builtinRolePermissions(role.id, registry_);
    return compilePatterns(role.permissions, registry_);
}

std::vector<std::string> IdentityStore::requiredTwoFactorRoles(sdk::Database& db) const {
    std::vector<std::string> out;
    auto row = db.queryOne("SELECT value FROM tessera_settings WHERE key = 'auth.require_2fa_roles'");
    if (!row) return out;
    auto json = sdk::parseJson((*row)["value"].asText());
    if (json.is_array())
        for (const auto& r : json)
            if (r.is_string()) out.push_back(r.get<std::string>());
    return out;
}

IdentityPtr IdentityStore::fromUserRow(sdk::Database& db, std::int64_t tenant_id, const sdk::Row& user) const {
    if (user["status"].asText() != "active") return nullptr;
    auto role_def = role(db, user["role_id"].asText());
    if (!role_def) return nullptr;
    auto id = std::make_shared<Identity>();
    id->tenant_id = tenant_id;
    id->user_id = user["user_id"].asText();
    id->email = user["email"].asText();
    id->name = user["name"].asText();
    id->role_id = role_def->id;
    id->permissions = rolePermissions(*role_def);
    id->access = role_def->access;
    id->two_factor_enabled = user["totp_enabled"].asBool();
    id->needs_password_change = !user["password_expires_at"].isNull();
    if (!id->two_factor_enabled) {
        const auto required = requiredTwoFactorRoles(db);
        id->needs_two_factor_enrollment = std::any_of(required.begin(), required.end(), [&](const std::string& r) {
            return r == "*" || r == id->role_id;
        });
    }
    return id;
}

IdentityPtr IdentityStore::byUserId(sdk::Database& db, std::int64_t tenant_id, const std::string& user_id) const {
    auto row = db.queryOne(std::string("SELECT ") + kUserColumns + " FROM auth_users u WHERE u.id = ?", {user_id});
    if (!row) return nullptr;
    return fromUserRow(db, tenant_id, *row);
}

IdentityPtr IdentityStore::byTokenHash(sdk::Database& db, std::int64_t tenant_id, const std::string& token_hash) const {
    auto row = db.queryOne(std::string("SELECT t.id AS token_id, t.name AS token_name, t.kind, t.scopes, t.expires_at, "
                                       "t.revoked_at, t.last_used_at, ") +
                               kUserColumns + " FROM auth_tokens t JOIN auth_users u ON u.id = t.user_id "
                                              "WHERE t.token_hash = ?",
                           {token_hash});
    if (!row) return nullptr;
    const std::string now = isoNow();
    if (!(*row)["revoked_at"].isNull()) return nullptr;
    if (!(*row)["expires_at"].isNull() && (*row)["expires_at"].asText() <= now) return nullptr;
    auto base = fromUserRow(db, tenant_id, *row);
    if (!base) return nullptr;
    auto id = std::make_shared<Identity>(*base);
    id->credential_kind = "token";
    id->credential_id = (*row)["token_id"].asText();
    id->credential_name = (*row)["token_name"].asText();
    // A personal or service token was issued on purpose (tenant create prints one for
    // scripts); only a token that a password sign-in gave out is held to the change.
    if ((*row)["kind"].asText() != "login") id->needs_password_change = false;
    // A token's scopes narrow its owner's current permissions; they never widen them.
    auto scopes = sdk::parseJson((*row)["scopes"].asText());
    if (scopes.is_array()) {
        std::unordered_set<std::string> narrowed;
        for (const auto& s : scopes)
            if (s.is_string() && id->permissions.count(s.get<std::string>())) narrowed.insert(s.get<std::string>());
        id->permissions = std::move(narrowed);
    }
    if (stale((*row)["last_used_at"].asText(), now))
        db.execute("UPDATE auth_tokens SET last_used_at = ? WHERE id = ?", {now, id->credential_id});
    return id;
}

IdentityPtr IdentityStore::bySessionHash(sdk::Database& db, std::int64_t tenant_id,
                                         const std::string& session_hash) const {
    auto row = db.queryOne(std::string("SELECT s.id AS session_id, s.csrf_token, s.expires_at, s.revoked_at, ") +
                               kUserColumns + " FROM auth_sessions s JOIN auth_users u ON u.id = s.user_id "
                                              "WHERE s.session_hash = ?",
                           {session_hash});
    if (!row) return nullptr;
    if (!(*row)["revoked_at"].isNull() || (*row)["expires_at"].asText() <= isoNow()) return nullptr;
    auto base = fromUserRow(db, tenant_id, *row);
    if (!base) return nullptr;
    auto id = std::make_shared<Identity>(*base);
    id->credential_kind = "session";
    id->credential_id = (*row)["session_id"].asText();
    id->csrf_token = (*row)["csrf_token"].asText();
    return id;
}

}  // namespace tessera::host::auth
