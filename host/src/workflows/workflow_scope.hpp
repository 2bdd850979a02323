#pragma once
// The sdk::TenantScope a workflow run hands to plugin script functions. Unlike a
// HostScope (one plugin, one call) it lives for the whole run: every crm.* call of the
// run shares one connection, which is what lets a dry run roll all of them back in one
// transaction, and the publishing plugin switches per call so a plugin's own events
// (contact.updated...) are accepted when its function runs.

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <tessera/sdk/scope.hpp>

#include "core/logging.hpp"
#include "tenants/tenant_scope.hpp"

namespace tessera::host {

class WorkflowScope final : public sdk::TenantScope, private sdk::EventPublisher {
public:
    // `before_write` runs the tenant's before hooks for writes made during this run, one
    // level deeper than the run itself.
    using BeforeWrite = std::function<void(const TenantRecord&, const sdk::Principal&, const std::string&, sdk::Json&)>;
    // The row rules of the role the workflow runs as, per resource (scope.access()).
    using AccessRulesOf = std::function<sdk::AccessRules(const std::string& resource)>;

    WorkflowScope(ScopeServices services, std::shared_ptr<const TenantRecord> tenant, sdk::Principal principal,
                  std::string request_id, BeforeWrite before_write, AccessRulesOf access_rules);

    const sdk::TenantInfo& tenant() const override { return info_; }
    sdk::Database& db() override;
    sdk::Logger& log() override { return logger_; }
    sdk::EventPublisher& events() override { return *this; }
    const sdk::Principal& principal() const override { return principal_; }
    sdk::AccessRules access(const std::string& resource) const override;
    void beforeWrite(const std::string& event, sdk::Json& record) override;

    // The plugin whose script function runs now (its events are the ones it may publish).
    void actAs(const std::string& plugin) { plugin_ = plugin; }
    std::vector<sdk::Event> takeEvents() { return std::move(pending_); }
    const std::vector<sdk::Event>& pendingEvents() const { return pending_; }

private:
    void publish(const std::string& name, sdk::Json payload) override;
    void* findService(const std::string& name, const char* type_name) override;

    ScopeServices services_;
    std::shared_ptr<const TenantRecord> tenant_;
    sdk::TenantInfo info_;
    sdk::Principal principal_;
    std::string request_id_;
    BeforeWrite before_write_;
    AccessRulesOf access_rules_;
    std::string plugin_ = "workflows";
    StampedLogger logger_;
    std::optional<ConnectionPool::Lease> lease_;
    std::vector<sdk::Event> pending_;
};

}  // namespace tessera::host
