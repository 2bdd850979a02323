#include "workflows/workflow_scope.hpp"

#include <stdexcept>

namespace tessera::host {

WorkflowScope::WorkflowScope(ScopeServices services, std::shared_ptr<const TenantRecord> tenant,
                             sdk::Principal principal, std::string request_id, BeforeWrite before_write,
                             AccessRulesOf access_rules)
    : services_(services), tenant_(std::move(tenant)), info_(tenant_->info()), principal_(std::move(principal)),
      request_id_(std::move(request_id)), before_write_(std::move(before_write)),
      access_rules_(std::move(access_rules)),
      logger_("workflows", tenant_->slug, request_id_) {}

sdk::Database& WorkflowScope::db() {
    if (!lease_) {
        services_.tenants.ensureMigrated(*tenant_);
        lease_.emplace(services_.pool.acquire(tenant_->slug));
    }
    return lease_->db();
}

sdk::AccessRules WorkflowScope::access(const std::string& resource) const { return access_rules_(resource); }

void WorkflowScope::beforeWrite(const std::string& event, sdk::Json& record) {
    if (before_write_) before_write_(*tenant_, principal_, event, record);
}

void WorkflowScope::publish(const std::string& name, sdk::Json payload) {
    if (!services_.registry.mayPublish(plugin_, name))
        throw std::logic_error("plugin '" + plugin_ + "' publishes '" + name + "', which neither it nor its dependencies declare");
    pending_.push_back(sdk::Event{name, plugin_, info_, std::move(payload), request_id_});
}

void* WorkflowScope::findService(const std::string& name, const char* type_name) {
    return services_.service(*tenant_, name, type_name);
}

}  // namespace tessera::host
