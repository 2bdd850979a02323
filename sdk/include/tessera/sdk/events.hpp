#pragma once
/// Domain events. A plugin declares the events it publishes in declare(); publishing an
/// undeclared event is refused. Subscribers run after the publishing request has
/// finished, on the host's worker pool, each in its own tenant scope: a failing
/// subscriber is logged and never affects the publisher or other subscribers.

#include <string>

#include <tessera/sdk/http.hpp>

namespace tessera::sdk {

struct Event {
    std::string name;     ///< e.g. "contact.created".
    std::string source;   ///< Id of the publishing plugin.
    TenantInfo tenant;
    Json payload;
    std::string request_id;  ///< Request that caused it, if any.
};

/// Publishes events for the tenant of the scope it came from. Thread-safe.
class EventPublisher {
public:
    virtual ~EventPublisher() = default;
    /// Queues `name` with `payload` for delivery once the current request or job ends
    /// successfully. Throws std::logic_error unless this plugin or one of its manifest
    /// dependencies declared `name` (a service runs in its caller's scope and publishes
    /// its own plugin's events from there).
    virtual void publish(const std::string& name, Json payload) = 0;
};

}  // namespace tessera::sdk
