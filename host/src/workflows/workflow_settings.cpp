#include "workflows/workflow_settings.hpp"

#include <cctype>
#include <cstdlib>
#include <stdexcept>

namespace tessera::host {
namespace {

std::string lookup(const Config& config, const std::string& key) {
    std::string env = "TESSERA_WORKFLOWS_";
    for (char c : key) env += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (const char* v = std::getenv(env.c_str())) return v;
    auto section = config.plugin_settings.find("workflows");
    if (section == config.plugin_settings.end()) return "";
    auto it = section->second.find(key);
    return it == section->second.end() ? "" : it->second;
}

long long number(const Config& config, const std::string& key, long long fallback, long long min) {
    const std::string v = lookup(config, key);
    if (v.empty()) return fallback;
    try {
        std::size_t used = 0;
        const long long n = std::stoll(v, &used);
        if (used != v.size() || n < min) throw std::invalid_argument(key);
        return n;
    } catch (const std::exception&) {
        throw std::runtime_error("workflows setting '" + key + "' must be an integer >= " + std::to_string(min));
    }
}

}  // namespace

WorkflowSettings WorkflowSettings::from(const Config& c) {
    WorkflowSettings s;
    s.limits.instructions = static_cast<std::uint64_t>(number(c, "instructions", 5'000'000, 1000));
    s.limits.memory_bytes = static_cast<std::size_t>(number(c, "memory_mb", 32, 1)) * 1024 * 1024;
    s.limits.wall = std::chrono::milliseconds(number(c, "wall_ms", 5000, 10));
    s.workers = static_cast<unsigned>(number(c, "workers", 2, 1));
    s.queue_per_tenant = static_cast<std::size_t>(number(c, "queue_per_tenant", 1000, 1));
    s.max_depth = static_cast<int>(number(c, "max_depth", 4, 1));
    s.retention_days = static_cast<int>(number(c, "retention_days", 30, 1));
    s.tick = std::chrono::milliseconds(number(c, "tick_ms", 1000, 50));
    s.late_after = std::chrono::seconds(number(c, "late_after_s", 60, 1));
    s.http_max_attempts = static_cast<int>(number(c, "http_max_attempts", 6, 1));
    s.http_backoff = std::chrono::milliseconds(number(c, "http_backoff_ms", 2000, 10));
    s.http_timeout = std::chrono::milliseconds(number(c, "http_timeout_ms", 10000, 100));
    const std::string priv = lookup(c, "allow_private_network");
    if (!priv.empty()) {
        if (priv == "true" || priv == "1") s.allow_private_network = true;
        else if (priv == "false" || priv == "0") s.allow_private_network = false;
        else throw std::runtime_error("workflows setting 'allow_private_network' must be true or false");
    }
    return s;
}

}  // namespace tessera::host
