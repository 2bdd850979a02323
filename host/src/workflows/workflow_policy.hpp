#pragma once
// What a tenant's workflows may do, as decided by identity and plans: which roles a
// workflow can run as (built-in or the tenant's custom roles) and what each holds, the
// limits of one run on the tenant's plan, and how many workflows the plan allows. The
// workflow engine asks; auth answers (host/src/auth/workflow_policy_impl.hpp).

#include <cstdint>
#include <string>

#include <tessera/sdk/scope.hpp>

#include "scripting/lua_sandbox.hpp"

namespace tessera::host {

struct TenantRecord;

class WorkflowPolicy {
public:
    virtual ~WorkflowPolicy() = default;
    // Whether a workflow of `tenant` may run as `role` (never "owner").
    virtual bool knownRole(const TenantRecord& tenant, const std::string& role) const = 0;
    virtual bool allows(const TenantRecord& tenant, const std::string& role, const std::string& permission) const = 0;
    // The row rules `role` has on `resource` (own records only, hidden fields): what a run
    // as that role gets from scope.access(), like a user of the role.
    virtual sdk::AccessRules access(const TenantRecord& tenant, const std::string& role,
                                    const std::string& resource) const = 0;
    // `defaults` (the operator's) narrowed or widened by the tenant's plan.
    virtual SandboxLimits limits(const TenantRecord& tenant, const SandboxLimits& defaults) const = 0;
    // Throws sdk::ApiError 402 naming "scripts" when the plan allows no more workflows
    // than `existing`.
    virtual void requireScriptAllowance(const TenantRecord& tenant, std::int64_t existing) const = 0;
};

}  // namespace tessera::host
