#include "workflows/workflow_types.hpp"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
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

std::string newSortableId(const char* prefix) {
    static std::atomic<std::uint64_t> last{0};
    const auto now = static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch()).count());
    std::uint64_t t = last.load();
    while (!last.compare_exchange_weak(t, std::max(now, t + 1))) {
    }
    t = std::max(now, t + 1);
    static const char* alphabet = "0123456789abcdefghjkmnpqrstvwxyz";  // ASCII order = digit order
    std::string id = prefix;
    for (int i = 10; i >= 0; --i) id += alphabet[(t >> (5 * i)) & 31];
    thread_local std::mt19937_64 rng{std::random_device{}()};
    auto r = rng();
    for (int i = 0; i < 9; ++i, r >>= 5) id += alphabet[r & 31];
    return id;
}

}  // namespace tessera::host
