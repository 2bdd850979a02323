#pragma once
// Roles and what they grant. A role lists permission patterns; they are compiled
// against the permissions plugins declared (Registry::permissions()) into an exact set,
// so the per-request check is one hash lookup.
//
// Patterns: an exact name ("contacts.write"), "*" (everything), "<prefix>.*" (all of a
// plugin, e.g. "contacts.*") or "*.<action>" (that action of every plugin, e.g. "*.read").
// Wildcards other than "*" never match the auth module's own permissions, so a custom
// role cannot grant role management or audit access by accident.

#include <map>
#include <set>
#include <string>
#include <unordered_set>
#include <vector>

#include <tessera/sdk/http.hpp>
#include <tessera/sdk/scope.hpp>

#include "plugins/registry.hpp"

namespace tessera::host::auth {

inline constexpr const char* kAuthModule = "auth";
// Implicit for every authenticated identity: its own profile, password, 2FA, tokens.
inline constexpr const char* kSelfPermission = "account.self";

struct RoleDefinition {
    std::string id;
    std::string name;
    bool builtin = false;
    std::vector<std::string> permissions;          // patterns (custom roles)
    std::map<std::string, sdk::AccessRules> access;  // per resource
};

bool isBuiltinRole(const std::string& id);
// Owner, Admin, Member and Read-only, compiled against `registry`.
std::unordered_set<std::string> builtinRolePermissions(const std::string& role_id, const Registry& registry);
std::unordered_set<std::string> compilePatterns(const std::vector<std::string>& patterns, const Registry& registry);
// Empty when `pattern` is acceptable for a custom role, else why not.
std::string patternProblem(const std::string& pattern, const Registry& registry);

// {"contacts":{"own_records_only":true,"hidden_fields":["tax_id"]}} <-> rules.
std::map<std::string, sdk::AccessRules> parseAccess(const sdk::Json& json);
sdk::Json accessToJson(const std::map<std::string, sdk::AccessRules>& access);
// Throws sdk::ApiError 422 naming the offending key of a role's "access" object.
void validateAccess(const sdk::Json& json);

}  // namespace tessera::host::auth
