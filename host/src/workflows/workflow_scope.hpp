#pragma once
// The sdk::TenantScope a workflow run hands to plugin script functions. Unlike a
// HostScope (one plugin, one call) it lives for the whole run: every crm.* call of the
// run shares one connection, which is what lets a dry run roll all of them back in one
// transaction, and the publishing plugin switches per call so a plugin's own events
// (contact.updated...) are accepted when its function runs.

#include <functional>
#include <memory>
#include <string>

#include "tenants/tenant_scope.hpp"

namespace tessera::host {

class WorkflowScope final : public HostScope {
public:
    // `before_write` runs the tenant's before hooks for writes made during this run, one
    // level deeper than the run itself.
    using BeforeWrite = std::function<void(const TenantRecord&, const sdk::Principal&, const std::string&, sdk::Json&)>;
    // The row rules of the role the workflow runs as, per resource (scope.access()).
    using AccessRulesOf = std::function<sdk::AccessRules(const std::string& resource)>;

    WorkflowScope(ScopeServices services, std::shared_ptr<const TenantRecord> tenant, sdk::Principal principal,
                  std::string request_id, BeforeWrite before_write, AccessRulesOf access_rules);

    sdk::AccessRules access(const std::string& resource) const override { return access_rules_(resource); }
    void beforeWrite(const std::string& event, sdk::Json& record) override;

    // The plugin whose script function runs now (its events are the ones it may publish,
    // its secrets the ones it may open).
    using HostScope::actAs;

private:
    BeforeWrite before_write_;
    AccessRulesOf access_rules_;
};

}  // namespace tessera::host
