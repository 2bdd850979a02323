#pragma once
// Who a credential stands for, resolved once and then cached: the user, the role's
// compiled permissions and access rules, and the credential itself.

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include <tessera/sdk/database.hpp>
#include <tessera/sdk/http.hpp>
#include <tessera/sdk/scope.hpp>

#include "auth/permissions.hpp"
#include "plugins/registry.hpp"

namespace tessera::host::auth {

struct Identity {
    std::int64_t tenant_id = 0;
    std::string user_id;
    std::string email;
    std::string name;
    std::string role_id;
    std::string credential_kind;  // "token" or "session"
    std::string credential_id;    // tok_... or ses_...
    std::string credential_name;  // a token's name
    std::string csrf_token;       // sessions only
    std::unordered_set<std::string> permissions;
    std::map<std::string, sdk::AccessRules> access;
    bool two_factor_enabled = false;
    // The tenant requires 2FA for this role and the user has not enrolled yet: only the
    // account routes (me, logout, 2FA enrolment) are open.
    bool needs_two_factor_enrollment = false;
    // Signed in (session or login token) with a one-time password an operator chose:
    // only the account routes are open, so the user replaces it first.
    bool needs_password_change = false;

    bool allows(const std::string& permission) const { return permissions.count(permission) > 0; }
    sdk::Principal principal() const {
        return {user_id, credential_kind == "token" ? "token" : "user", email};
    }
};

using IdentityPtr = std::shared_ptr<const Identity>;

// Reads identities from a tenant database.
class IdentityStore {
public:
    explicit IdentityStore(const Registry& registry) : registry_(registry) {}

    // nullptr when the token is unknown, revoked, expired or its user disabled.
    IdentityPtr byTokenHash(sdk::Database& db, std::int64_t tenant_id, const std::string& token_hash) const;
    IdentityPtr bySessionHash(sdk::Database& db, std::int64_t tenant_id, const std::string& session_hash) const;
    // The user's identity with full role permissions (no credential), or nullptr.
    IdentityPtr byUserId(sdk::Database& db, std::int64_t tenant_id, const std::string& user_id) const;

    std::optional<RoleDefinition> role(sdk::Database& db, const std::string& role_id) const;
    std::unordered_set<std::string> rolePermissions(const RoleDefinition& role) const;
    // Roles for which the tenant requires 2FA ("*" for all).
    std::vector<std::string> requiredTwoFactorRoles(sdk::Database& db) const;

    const Registry& registry() const { return registry_; }

private:
    IdentityPtr fromUserRow(sdk::Database& db, std::int64_t tenant_id, const sdk::Row& user) const;

    const Registry& registry_;
};

}  // namespace tessera::host::auth
