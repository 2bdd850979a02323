#include "workflows/workflow_scope.hpp"

namespace tessera::host {

WorkflowScope::WorkflowScope(ScopeServices services, std::shared_ptr<const TenantRecord> tenant,
                             sdk::Principal principal, std::string request_id, BeforeWrite before_write,
                             AccessRulesOf access_rules)
    : HostScope(services, tenant, "workflows", std::move(request_id), std::move(principal)),
      before_write_(std::move(before_write)), access_rules_(std::move(access_rules)) {}

void WorkflowScope::beforeWrite(const std::string& event, sdk::Json& record) {
    if (before_write_) before_write_(*HostScope::record(), principal(), event, record);
}

}  // namespace tessera::host
