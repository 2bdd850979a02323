#pragma once
// sdk::HostContext for one started plugin: its logger, its timers, its config section.

#include <cstdint>
#include <mutex>
#include <vector>

#include <tessera/sdk/plugin.hpp>

#include "config/config.hpp"
#include "core/executor.hpp"
#include "core/logging.hpp"
#include "events/event_bus.hpp"

namespace tessera::host {

class PluginHostContext final : public sdk::HostContext {
public:
    PluginHostContext(std::string plugin, const Config& config, Executor& executor, TenantDirectory& directory,
                      ScopeServices services, EventBus& events);
    ~PluginHostContext() override;

    sdk::Logger& log() override { return logger_; }
    void everyTenant(const std::string& name, std::chrono::seconds interval,
                     std::function<void(sdk::TenantScope&)> job) override;
    bool withTenant(const std::string& slug, const std::function<void(sdk::TenantScope&)>& work) override;
    std::string config(const std::string& key, const std::string& fallback) const override;

private:
    bool runIn(const std::shared_ptr<const TenantRecord>& tenant, const std::string& what,
               const std::function<void(sdk::TenantScope&)>& work);

    std::string plugin_;
    const Config& config_;
    Executor& executor_;
    TenantDirectory& directory_;
    ScopeServices services_;
    EventBus& events_;
    StampedLogger logger_;
    std::mutex mutex_;
    std::vector<std::uint64_t> timers_;
};

}  // namespace tessera::host
