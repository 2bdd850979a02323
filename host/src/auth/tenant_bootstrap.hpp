#pragma once
// What the CLI does with identities: the first Owner of a new tenant, tokens for
// scripts, plan assignment. Runs in the CLI process against the databases directly.

#include <optional>
#include <string>
#include <vector>

#include "auth/auth_service.hpp"
#include "tenants/tenant_service.hpp"

namespace tessera::host::auth {

struct OwnerCredentials {
    std::string user_id;
    std::string password;  // one-time: shown once, replaced at first sign-in
    std::string password_expires_at;
    std::string token;
};

// Creates the Owner `email` in the tenant with a random password and an API token.
OwnerCredentials createOwner(AuthService& auth, TenantService& tenants, const TenantRecord& tenant,
                             const std::string& email);

struct CliTokenRequest {
    std::string email;
    std::string name;
    std::vector<std::string> scopes;  // empty: the user's permissions
    std::optional<int> expires_days;
};
// Issues a token for an existing user; throws std::invalid_argument naming the problem.
std::string createTokenFor(AuthService& auth, TenantService& tenants, const TenantRecord& tenant,
                           const CliTokenRequest& request);
// Writes an operator's change to the tenant (plan, plugins, status, domains) to the
// tenant's audit log, attributed to the CLI and the OS user running it.
void auditOperatorAction(AuthService& auth, TenantService& tenants, const TenantRecord& tenant,
                         const std::string& action, const sdk::Json& details);
// Revokes a token by id; false when there is none.
bool revokeTokenById(AuthService& auth, TenantService& tenants, const TenantRecord& tenant, const std::string& id);

}  // namespace tessera::host::auth
