#pragma once
// The sdk::TenantScope the host gives to one handler call, event delivery or job: one
// tenant, one plugin, lazily one pooled connection. It is the only way plugin code
// reaches tenant data.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <tessera/sdk/scope.hpp>

#include "core/logging.hpp"
#include "db/connection_pool.hpp"
#include "plugins/registry.hpp"
#include "mail/mail_outbox.hpp"
#include "tenants/plugin_secrets.hpp"
#include "tenants/scope_policies.hpp"
#include "tenants/tenant_directory.hpp"
#include "tenants/tenant_service.hpp"

namespace tessera::host {

struct ScopeServices {
    ConnectionPool& pool;
    TenantService& tenants;
    const Registry& registry;
    const AccessPolicy* access = nullptr;
    WriteHooks* hooks = nullptr;
    MailOutbox* mail = nullptr;

    // The service `name` for `tenant` if a plugin enabled for it provides one of
    // `type_name`, else null: what every scope's findService answers.
    void* service(const TenantRecord& tenant, const std::string& name, const char* type_name) const;
};

// The identity of work the host starts itself (jobs, event deliveries without a user).
const sdk::Principal& systemPrincipal();

// The one scope: a workflow run's (workflows/workflow_scope.hpp) only replaces where the
// access rules and before hooks come from and switches the acting plugin per call.
class HostScope : public sdk::TenantScope, private sdk::EventPublisher {
public:
    HostScope(ScopeServices services, std::shared_ptr<const TenantRecord> tenant, std::string plugin,
              std::string request_id, sdk::Principal principal = systemPrincipal(), int event_depth = 0);

    const sdk::TenantInfo& tenant() const override { return info_; }
    sdk::Database& db() override;
    sdk::Logger& log() override { return logger_; }
    sdk::EventPublisher& events() override { return *this; }
    const sdk::Principal& principal() const override { return principal_; }
    sdk::AccessRules access(const std::string& resource) const override;
    void beforeWrite(const std::string& event, sdk::Json& record) override;

    // Events published during the call, to deliver once it has succeeded.
    const std::vector<sdk::Event>& pendingEvents() const { return pending_; }
    std::vector<sdk::Event> takeEvents() { return std::move(pending_); }
    const std::shared_ptr<const TenantRecord>& record() const { return tenant_; }
    int eventDepth() const { return event_depth_; }

    // What the request guard learned about the caller (auth's Identity), for the access
    // policy and the built-in routes; null outside a request. Carried by the scope, not
    // by the thread, because a handler may run on another thread than its admission.
    void setCaller(std::shared_ptr<const void> caller) { caller_ = std::move(caller); }
    const std::shared_ptr<const void>& caller() const { return caller_; }

protected:
    // From now on the scope acts for `plugin`: the events it may publish and the secrets
    // it may open are that plugin's.
    void actAs(const std::string& plugin);

private:
    void publish(const std::string& name, sdk::Json payload) override;
    void* findService(const std::string& name, const char* type_name) override;

    ScopeServices services_;
    std::shared_ptr<const TenantRecord> tenant_;
    sdk::TenantInfo info_;
    std::string plugin_;
    std::string request_id_;
    sdk::Principal principal_;
    int event_depth_;
    StampedLogger logger_;
    std::optional<ConnectionPool::Lease> lease_;
    std::vector<sdk::Event> pending_;
    PluginSecrets secrets_;
    std::shared_ptr<const void> caller_;
};

}  // namespace tessera::host
