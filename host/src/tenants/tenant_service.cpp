#include "tenants/tenant_service.hpp"

#include <algorithm>

#include "app/host.hpp"
#include "tenants/secret_sealing.hpp"

namespace tessera::host {

const TenantRecord& TenantService::require(const std::string& slug, std::shared_ptr<const TenantRecord>& holder) {
    if (!TenantDirectory::validSlug(slug)) throw TenantError(TenantError::Kind::Invalid, "'" + slug + "' is not a valid tenant slug");
    holder = directory_.bySlug(slug);
    if (!holder) throw TenantError(TenantError::Kind::NotFound, "no tenant '" + slug + "'");
    return *holder;
}

std::vector<MigrationSet> TenantService::migrationSets(const TenantRecord& tenant) const {
    std::vector<MigrationSet> sets{MigrationSet{"host", tenantHostMigrations()}};
    for (const auto& id : plugins_.activeInOrder())
        if (tenant.pluginEnabled(id)) sets.push_back(registry_.migrations(id));
    return sets;
}

TenantRecord TenantService::create(const std::string& slug, const std::string& name) {
    std::vector<std::string> enabled;
    for (const auto& id : plugins_.activeInOrder())
        if (default_plugins_.empty() || std::count(default_plugins_.begin(), default_plugins_.end(), id))
            enabled.push_back(id);
    TenantRecord rec = directory_.insert(slug, name, enabled);
    try {
        pool_.createTenantStorage(slug);
        migrate(rec);
    } catch (...) {
        // Leave no half-created tenant behind.
        try {
            pool_.dropTenantStorage(slug);
            directory_.remove(slug);
        } catch (...) {
        }
        throw;
    }
    return rec;
}

void TenantService::remove(const std::string& slug) {
    std::shared_ptr<const TenantRecord> holder;
    require(slug, holder);
    directory_.setStatus(slug, "disabled");  // stop new requests before the data goes
    pool_.dropTenantStorage(slug);
    directory_.remove(slug);
}

void TenantService::setActive(const std::string& slug, bool active) {
    std::shared_ptr<const TenantRecord> holder;
    require(slug, holder);
    directory_.setStatus(slug, active ? "active" : "disabled");
}

void TenantService::enablePlugin(const std::string& slug, const std::string& plugin) {
    std::shared_ptr<const TenantRecord> holder;
    const TenantRecord& tenant = require(slug, holder);
    const PluginRecord* rec = plugins_.record(plugin);
    if (!rec) throw TenantError(TenantError::Kind::NotFound, "no plugin '" + plugin + "' is installed");
    if (rec->state != PluginState::Active)
        throw TenantError(TenantError::Kind::Conflict, "plugin '" + plugin + "' is not loaded: " + rec->reason);
    for (const auto& dep : plugins_.dependencies(plugin))
        if (!tenant.pluginEnabled(dep))
            throw TenantError(TenantError::Kind::Conflict, "plugin '" + plugin + "' needs '" + dep +
                                                               "'; enable '" + dep + "' for " + slug + " first");
    if (tenant.pluginEnabled(plugin)) return;
    {
        auto lease = pool_.acquire(slug);
        MigrationRunner(lease.db()).apply({registry_.migrations(plugin)});
    }
    directory_.setPlugin(slug, plugin, true);
}

void TenantService::disablePlugin(const std::string& slug, const std::string& plugin) {
    std::shared_ptr<const TenantRecord> holder;
    const TenantRecord& tenant = require(slug, holder);
    if (!tenant.pluginEnabled(plugin)) return;
    for (const auto& dependent : plugins_.dependents(plugin))
        if (tenant.pluginEnabled(dependent))
            throw TenantError(TenantError::Kind::Conflict, "plugin '" + dependent + "' depends on '" + plugin +
                                                               "'; disable '" + dependent + "' for " + slug + " first");
    directory_.setPlugin(slug, plugin, false);
}

int TenantService::migrate(const TenantRecord& tenant,
                           const std::function<void(const std::string&, const sdk::Migration&)>& onStep) {
    auto lease = pool_.acquire(tenant.slug);
    const int applied = MigrationRunner(lease.db()).apply(migrationSets(tenant), onStep);
    sealPlaintextSecrets(lease.db(), tenant.slug);
    return applied;
}

void TenantService::ensureMigrated(const TenantRecord& tenant) {
    std::string key = tenant.slug + "|";
    for (const auto& p : tenant.enabled_plugins) key += p + ",";
    {
        std::lock_guard lock(migrated_mutex_);
        if (migrated_.count(key)) return;
    }
    migrate(tenant);
    std::lock_guard lock(migrated_mutex_);
    migrated_.insert(key);
}

std::vector<MigrationStatus> TenantService::status(const TenantRecord& tenant) {
    auto lease = pool_.acquire(tenant.slug);
    return MigrationRunner(lease.db()).status(migrationSets(tenant));
}

}  // namespace tessera::host
