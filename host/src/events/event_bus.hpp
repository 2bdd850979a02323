#pragma once
// Delivers published events to subscribers on the worker pool, each subscriber in its
// own scope and guarded, only for tenants where the subscriber's plugin is enabled.

#include <memory>
#include <vector>

#include <tessera/sdk/events.hpp>

#include "core/executor.hpp"
#include "tenants/tenant_scope.hpp"

namespace tessera::host {

// Sees every dispatched event of every plugin, whatever its name (tenant workflows
// trigger on any event). Called on the dispatching thread: it must only queue work.
class EventObserver {
public:
    virtual ~EventObserver() = default;
    virtual void onEvent(const std::shared_ptr<const TenantRecord>& tenant, const sdk::Event& event, int depth) = 0;
};

class EventBus {
public:
    // Subscribers that publish in turn are followed this many levels deep, no further,
    // so two plugins reacting to each other cannot loop forever.
    static constexpr int kMaxDepth = 8;

    EventBus(ScopeServices services, Executor& executor) : services_(services), executor_(executor) {}

    void dispatch(const std::shared_ptr<const TenantRecord>& tenant, std::vector<sdk::Event> events, int depth = 0);
    // Set once before serving; `observer` must outlive the bus's use.
    void setObserver(EventObserver* observer) { observer_ = observer; }

private:
    EventObserver* observer_ = nullptr;
    ScopeServices services_;
    Executor& executor_;
};

}  // namespace tessera::host
