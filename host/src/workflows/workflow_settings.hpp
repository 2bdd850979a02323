#pragma once
// Operator settings of the workflow runtime: [plugins.workflows] in tessera.toml, each
// overridable by TESSERA_WORKFLOWS_<KEY> (e.g. TESSERA_WORKFLOWS_INSTRUCTIONS=1000000).

#include <chrono>
#include <cstddef>
#include <string>

#include "config/config.hpp"
#include "scripting/lua_sandbox.hpp"

namespace tessera::host {

struct WorkflowSettings {
    SandboxLimits limits;                 // instructions, memory_mb, wall_ms
    unsigned workers = 2;                 // threads running after hooks, cron, schedules
    std::size_t queue_per_tenant = 1000;  // queued runs per tenant beyond which new ones are dropped
    int max_depth = 4;                    // workflow -> write -> workflow chain limit
    int retention_days = 30;              // run log
    std::chrono::milliseconds tick{1000};  // scheduler poll interval (tick_ms)
    std::chrono::seconds late_after{60};   // a job run this long after its due time is "late"
    int http_max_attempts = 6;
    std::chrono::milliseconds http_backoff{2000};  // first retry delay, doubled each attempt
    std::chrono::milliseconds http_timeout{10000};
    bool allow_private_network = false;  // let crm.http.request reach loopback/private addresses

    // Throws std::runtime_error naming the key of a malformed value.
    static WorkflowSettings from(const Config& config);
};

}  // namespace tessera::host
