#pragma once
// Tenant lifecycle across the control database, the tenant's own storage and the
// plugins: create, delete, enable or disable a plugin, migrate.

#include <functional>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "db/connection_pool.hpp"
#include "db/migration_runner.hpp"
#include "plugins/plugin_manager.hpp"
#include "plugins/registry.hpp"
#include "tenants/tenant_directory.hpp"

namespace tessera::host {

class TenantService {
public:
    TenantService(ConnectionPool& pool, TenantDirectory& directory, Registry& registry, PluginManager& plugins,
                  std::vector<std::string> default_plugins)
        : pool_(pool), directory_(directory), registry_(registry), plugins_(plugins),
          default_plugins_(std::move(default_plugins)) {}

    // Creates the tenant with the default plugins enabled and migrated.
    TenantRecord create(const std::string& slug, const std::string& name);
    // Deletes the tenant and all of its data.
    void remove(const std::string& slug);
    void setActive(const std::string& slug, bool active);

    // Enabling applies the plugin's migrations first; its dependencies must already be
    // enabled. Disabling keeps the data and is refused while an enabled plugin needs it.
    void enablePlugin(const std::string& slug, const std::string& plugin);
    void disablePlugin(const std::string& slug, const std::string& plugin);

    // Applies pending migrations of the tenant's enabled plugins. Returns how many ran.
    int migrate(const TenantRecord& tenant,
                const std::function<void(const std::string&, const sdk::Migration&)>& onStep = {});
    // migrate() once per tenant and plugin set in this process; cheap after the first call.
    void ensureMigrated(const TenantRecord& tenant);
    std::vector<MigrationStatus> status(const TenantRecord& tenant);

private:
    std::vector<MigrationSet> migrationSets(const TenantRecord& tenant) const;
    const TenantRecord& require(const std::string& slug, std::shared_ptr<const TenantRecord>& holder);

    ConnectionPool& pool_;
    TenantDirectory& directory_;
    Registry& registry_;
    PluginManager& plugins_;
    std::vector<std::string> default_plugins_;
    std::mutex migrated_mutex_;
    std::set<std::string> migrated_;  // "slug|plugin,plugin"
};

}  // namespace tessera::host
