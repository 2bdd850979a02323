#pragma once
// Auth's answer to the workflow engine's questions (workflows/workflow_policy.hpp): roles
// from the tenant's auth_roles (custom roles compiled like a user's, cached for a couple
// of seconds so crm.* calls do not each read the role) and limits from the tenant's plan.

#include <chrono>
#include <map>
#include <mutex>
#include <unordered_set>
#include <utility>

#include "auth/auth_service.hpp"
#include "workflows/workflow_policy.hpp"

namespace tessera::host::auth {

class AuthWorkflowPolicy final : public WorkflowPolicy {
public:
    explicit AuthWorkflowPolicy(AuthService& auth) : auth_(auth) {}

    bool knownRole(const TenantRecord& tenant, const std::string& role) const override;
    bool allows(const TenantRecord& tenant, const std::string& role, const std::string& permission) const override;
    sdk::AccessRules access(const TenantRecord& tenant, const std::string& role,
                            const std::string& resource) const override;
    SandboxLimits limits(const TenantRecord& tenant, const SandboxLimits& defaults) const override;
    void requireScriptAllowance(const TenantRecord& tenant, std::int64_t existing) const override;

    static constexpr std::chrono::seconds kRoleCache{2};

private:
    struct Compiled {
        bool exists = false;
        std::unordered_set<std::string> permissions;
        std::map<std::string, sdk::AccessRules> access;
        std::chrono::steady_clock::time_point loaded;
    };
    Compiled role(const TenantRecord& tenant, const std::string& role_id) const;

    AuthService& auth_;
    mutable std::mutex mutex_;
    mutable std::map<std::pair<std::string, std::string>, Compiled> roles_;
};

}  // namespace tessera::host::auth
