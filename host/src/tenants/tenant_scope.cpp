#include "tenants/tenant_scope.hpp"

#include <cstring>
#include <stdexcept>
#include <typeinfo>

namespace tessera::host {

void* ScopeServices::service(const TenantRecord& tenant, const std::string& name, const char* type_name) const {
    const ServiceEntry* entry = registry.service(name);
    if (!entry || std::strcmp(entry->type_name.c_str(), type_name) != 0) return nullptr;
    if (!registry.enabledFor(entry->plugin, tenant.enabled_plugins)) return nullptr;
    return entry->object.get();
}

const sdk::Principal& systemPrincipal() {
    static const sdk::Principal system{"system", "system", "Tessera"};
    return system;
}

HostScope::HostScope(ScopeServices services, std::shared_ptr<const TenantRecord> tenant, std::string plugin,
                     std::string request_id, sdk::Principal principal, int event_depth)
    : services_(services), tenant_(std::move(tenant)), info_(tenant_->info()), plugin_(std::move(plugin)),
      request_id_(std::move(request_id)), principal_(std::move(principal)), event_depth_(event_depth),
      logger_(plugin_, tenant_->slug, request_id_), secrets_(tenant_->slug, plugin_) {}

sdk::Database& HostScope::db() {
    if (!lease_) {
        services_.tenants.ensureMigrated(*tenant_);
        lease_.emplace(services_.pool.acquire(tenant_->slug));
    }
    return lease_->db();
}

void HostScope::actAs(const std::string& plugin) {
    plugin_ = plugin;
    secrets_ = PluginSecrets(tenant_->slug, plugin_);
}

void HostScope::publish(const std::string& name, sdk::Json payload) {
    if (!services_.registry.mayPublish(plugin_, name))
        throw std::logic_error("plugin '" + plugin_ + "' publishes '" + name + "', which neither it nor its dependencies declare");
    pending_.push_back(sdk::Event{name, plugin_, info_, std::move(payload), request_id_});
}

sdk::AccessRules HostScope::access(const std::string& resource) const {
    if (!services_.access) return {};
    return services_.access->rules(*tenant_, principal_, caller_, resource);
}

void HostScope::beforeWrite(const std::string& event, sdk::Json& record) {
    if (services_.hooks) services_.hooks->before(*tenant_, principal_, event, record);
}

void* HostScope::findService(const std::string& name, const char* type_name) {
    // The host's own service, bound to this scope's tenant and plugin.
    if (name == sdk::Secrets::kServiceName)
        return std::strcmp(type_name, typeid(sdk::Secrets).name()) == 0 ? static_cast<sdk::Secrets*>(&secrets_) : nullptr;
    return services_.service(*tenant_, name, type_name);
}

}  // namespace tessera::host
