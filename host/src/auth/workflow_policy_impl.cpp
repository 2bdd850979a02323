#include "auth/workflow_policy_impl.hpp"

#include <tessera/sdk/http.hpp>

#include "tenants/tenant_directory.hpp"

namespace tessera::host::auth {

AuthWorkflowPolicy::Compiled AuthWorkflowPolicy::role(const TenantRecord& tenant, const std::string& role_id) const {
    const auto now = std::chrono::steady_clock::now();
    const auto key = std::make_pair(tenant.slug, role_id);
    {
        std::lock_guard lock(mutex_);
        if (auto it = roles_.find(key); it != roles_.end() && now - it->second.loaded < kRoleCache) return it->second;
    }
    Compiled c;
    c.loaded = now;
    // An Owner's powers include managing the tenant itself: never lent to a script.
    if (role_id != "owner" && role_id.size() <= 64) {
        auto lease = auth_.pool().acquire(tenant.slug);
        if (auto def = auth_.store().role(lease.db(), role_id)) {
            c.exists = true;
            c.permissions = auth_.store().rolePermissions(*def);
            c.access = def->access;
        }
    }
    std::lock_guard lock(mutex_);
    if (roles_.size() > 10000) roles_.clear();
    roles_[key] = c;
    return c;
}

bool AuthWorkflowPolicy::knownRole(const TenantRecord& tenant, const std::string& role_id) const {
    return role(tenant, role_id).exists;
}

bool AuthWorkflowPolicy::allows(const TenantRecord& tenant, const std::string& role_id,
                                const std::string& permission) const {
    return role(tenant, role_id).permissions.count(permission) > 0;
}

sdk::AccessRules AuthWorkflowPolicy::access(const TenantRecord& tenant, const std::string& role_id,
                                            const std::string& resource) const {
    const auto compiled = role(tenant, role_id);
    const auto it = compiled.access.find(resource);
    return it == compiled.access.end() ? sdk::AccessRules{} : it->second;
}

SandboxLimits AuthWorkflowPolicy::limits(const TenantRecord& tenant, const SandboxLimits& defaults) const {
    const Plan plan = auth_.plans().forTenant(tenant.id);
    SandboxLimits out = defaults;
    if (plan.script_instructions > 0) out.instructions = static_cast<std::uint64_t>(plan.script_instructions);
    if (plan.script_memory_mb > 0) out.memory_bytes = static_cast<std::size_t>(plan.script_memory_mb) * 1024 * 1024;
    if (plan.script_wall_ms > 0) out.wall = std::chrono::milliseconds(plan.script_wall_ms);
    return out;
}

void AuthWorkflowPolicy::requireScriptAllowance(const TenantRecord& tenant, std::int64_t existing) const {
    const Plan plan = auth_.plans().forTenant(tenant.id);
    if (plan.max_scripts > 0 && existing >= plan.max_scripts)
        throw sdk::ApiError(402, "plan_limit_exceeded",
                            "the " + plan.name + " plan allows " + std::to_string(plan.max_scripts) +
                                " workflows; upgrade the plan or delete a workflow",
                            {{"scripts", "limit " + std::to_string(plan.max_scripts) + " reached"}});
}

}  // namespace tessera::host::auth
