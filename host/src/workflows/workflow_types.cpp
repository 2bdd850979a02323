#include "workflows/workflow_types.hpp"

namespace tessera::host {

sdk::Json WorkflowRecord::toJson(bool with_source) const {
    sdk::Json j = {{"id", id},           {"name", name},
                   {"trigger", trigger}, {"condition", condition.empty() ? sdk::Json() : sdk::Json(condition)},
                   {"run_as", run_as},   {"enabled", enabled},
                   {"version", version}, {"created_at", created_at},
                   {"updated_at", updated_at}};
    if (with_source) j["source"] = source;
    return j;
}

sdk::Json RunRecord::toJson() const {
    return {{"id", id},
            {"workflow_id", workflow_id},
            {"version", version},
            {"trigger", trigger},
            {"status", status},
            {"late", late},
            {"depth", depth},
            {"started_at", started_at},
            {"duration_us", duration_us},
            {"instructions", instructions},
            {"memory_bytes", memory_bytes},
            {"logs", logs},
            {"error", error.empty() ? sdk::Json() : sdk::Json(error)},
            {"error_line", error_line ? sdk::Json(error_line) : sdk::Json()},
            {"event", event}};
}

}  // namespace tessera::host
