#pragma once
// The assembled host: control database, tenants, plugins, worker pool and HTTP. The CLI
// builds one for every command; `serve` also starts plugins and the HTTP server.

#include <memory>

#include "app/builtin_module.hpp"
#include "config/config.hpp"
#include "core/executor.hpp"
#include "db/connection_pool.hpp"
#include "events/event_bus.hpp"
#include "http/dispatcher.hpp"
#include "mail/mail_outbox.hpp"
#include "mail/mail_settings.hpp"
#include "plugins/plugin_manager.hpp"
#include "plugins/registry.hpp"
#include "tenants/tenant_directory.hpp"
#include "tenants/tenant_service.hpp"

namespace tessera::host {

namespace auth {
class AuthService;
}

// The host's own schema, embedded at build time: the control database's
// (migrations/control/) and the part every tenant database holds (migrations/tenant/).
std::vector<sdk::Migration> controlMigrations();
std::vector<sdk::Migration> tenantHostMigrations();

class Host {
public:
    // Opens the control database, applies the host's migrations and loads plugins
    // (declare only). Throws on a bad database URL or a refused required plugin.
    explicit Host(Config config);
    ~Host();

    // Starts plugins, serves HTTP until SIGINT/SIGTERM, then shuts down in order.
    // Returns the process exit code.
    int serve();

    const Config& config() const { return config_; }
    ConnectionPool& pool() { return *pool_; }
    TenantDirectory& directory() { return *directory_; }
    TenantService& tenants() { return *tenants_; }
    PluginManager& plugins() { return *plugins_; }
    auth::AuthService& auth() { return *auth_; }
    Registry& registry() { return registry_; }

private:
    Config config_;
    std::unique_ptr<ConnectionPool> pool_;
    std::unique_ptr<TenantDirectory> directory_;
    MailSettings mail_settings_;
    MailOutbox mail_;
    std::unique_ptr<auth::AuthService> auth_;  // before builtins_: the auth module borrows it
    Registry registry_;
    std::vector<std::unique_ptr<BuiltinModule>> builtins_;
    std::unique_ptr<PluginManager> plugins_;
    std::unique_ptr<TenantService> tenants_;
};

// Blocks SIGINT/SIGTERM (to be received with sigwait) and ignores SIGPIPE. Call first
// in main, before any thread exists, so every thread inherits the mask.
void prepareSignals();

}  // namespace tessera::host
