#include "app/plugin_host_context.hpp"

#include <spdlog/spdlog.h>

namespace tessera::host {

PluginHostContext::PluginHostContext(std::string plugin, const Config& config, Executor& executor,
                                     TenantDirectory& directory, ScopeServices services, EventBus& events)
    : plugin_(std::move(plugin)), config_(config), executor_(executor), directory_(directory), services_(services),
      events_(events), logger_(plugin_) {}

PluginHostContext::~PluginHostContext() {
    std::lock_guard lock(mutex_);
    for (auto t : timers_) executor_.cancel(t);
}

bool PluginHostContext::runIn(const std::shared_ptr<const TenantRecord>& tenant, const std::string& what,
                              const std::function<void(sdk::TenantScope&)>& work) {
    HostScope scope(services_, tenant, plugin_, "job-" + what);
    try {
        work(scope);
    } catch (const std::exception& e) {
        spdlog::error("[{} tenant={}] {} failed: {}", plugin_, tenant->slug, what, e.what());
        return false;
    } catch (...) {
        spdlog::error("[{} tenant={}] {} failed", plugin_, tenant->slug, what);
        return false;
    }
    events_.dispatch(tenant, scope.takeEvents());
    return true;
}

void PluginHostContext::everyTenant(const std::string& name, std::chrono::seconds interval,
                                    std::function<void(sdk::TenantScope&)> job) {
    auto id = executor_.every(interval, [this, name, job = std::move(job)] {
        for (const auto& rec : directory_.list()) {
            if (!rec.active() || !rec.pluginEnabled(plugin_)) continue;
            runIn(std::make_shared<const TenantRecord>(rec), name, job);
        }
    });
    std::lock_guard lock(mutex_);
    timers_.push_back(id);
}

bool PluginHostContext::withTenant(const std::string& slug, const std::function<void(sdk::TenantScope&)>& work) {
    if (!TenantDirectory::validSlug(slug)) return false;
    auto rec = directory_.bySlug(slug);
    if (!rec || !rec->active() || !rec->pluginEnabled(plugin_)) return false;
    return runIn(rec, "withTenant", work);
}

std::string PluginHostContext::config(const std::string& key, const std::string& fallback) const {
    auto section = config_.plugin_settings.find(plugin_);
    if (section == config_.plugin_settings.end()) return fallback;
    auto it = section->second.find(key);
    return it == section->second.end() ? fallback : it->second;
}

}  // namespace tessera::host
