#include "events/event_bus.hpp"

#include <spdlog/spdlog.h>

namespace tessera::host {

void EventBus::dispatch(const std::shared_ptr<const TenantRecord>& tenant, std::vector<sdk::Event> events, int depth) {
    if (events.empty()) return;
    if (depth >= kMaxDepth) {
        spdlog::warn("tenant={} event chain deeper than {} levels stopped at '{}'", tenant->slug, kMaxDepth,
                     events.front().name);
        return;
    }
    for (auto& event : events) {
        auto shared = std::make_shared<const sdk::Event>(std::move(event));
        if (observer_) observer_->onEvent(tenant, *shared, depth);
        for (const auto& sub : services_.registry.subscriptions()) {
            if (sub.event != shared->name || !services_.registry.enabledFor(sub.plugin, tenant->enabled_plugins)) continue;
            const Subscription* s = &sub;
            executor_.post([this, tenant, shared, s, depth] {
                HostScope scope(services_, tenant, s->plugin, shared->request_id, systemPrincipal(), depth + 1);
                try {
                    s->handler(*shared, scope);
                } catch (const std::exception& e) {
                    spdlog::error("[{} tenant={} req={}] subscriber of '{}' failed: {}", s->plugin, tenant->slug,
                                  shared->request_id, shared->name, e.what());
                    return;
                } catch (...) {
                    spdlog::error("[{} tenant={} req={}] subscriber of '{}' failed", s->plugin, tenant->slug,
                                  shared->request_id, shared->name);
                    return;
                }
                dispatch(tenant, scope.takeEvents(), depth + 1);
            });
        }
    }
}

}  // namespace tessera::host
