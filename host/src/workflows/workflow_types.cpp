#include "workflows/workflow_types.hpp"

#include <cctype>
#include <cstdio>
#include <ctime>
#include <random>

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

std::string newWorkflowId(const char* prefix) {
    thread_local std::mt19937_64 rng{std::random_device{}()};
    static const char* alphabet = "0123456789abcdefghjkmnpqrstvwxyz";
    std::string id = prefix;
    auto v = rng(), w = rng();
    for (int i = 0; i < 20; ++i) {
        id += alphabet[(i < 12 ? v : w) & 31];
        if (i < 12) v >>= 5;
        else w >>= 5;
    }
    return id;
}

}  // namespace tessera::host
