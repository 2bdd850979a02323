#include "workflows/workflow_settings.hpp"

#include <limits>

#include "config/settings_section.hpp"

namespace tessera::host {

WorkflowSettings WorkflowSettings::from(const Config& c) {
    const SettingsSection in(c, "workflows");
    constexpr auto kMax = std::numeric_limits<std::int64_t>::max();
    WorkflowSettings s;
    s.limits.instructions = static_cast<std::uint64_t>(in.number("instructions", 5'000'000, 1000, kMax));
    s.limits.memory_bytes = static_cast<std::size_t>(in.number("memory_mb", 32, 1, 64 * 1024)) * 1024 * 1024;
    s.limits.wall = std::chrono::milliseconds(in.number("wall_ms", 5000, 10, kMax));
    s.workers = static_cast<unsigned>(in.number("workers", 2, 1, 256));
    s.queue_per_tenant = static_cast<std::size_t>(in.number("queue_per_tenant", 1000, 1, kMax));
    s.max_depth = static_cast<int>(in.number("max_depth", 4, 1, 64));
    s.retention_days = static_cast<int>(in.number("retention_days", 30, 1, 36500));
    s.tick = std::chrono::milliseconds(in.number("tick_ms", 1000, 50, kMax));
    s.late_after = std::chrono::seconds(in.number("late_after_s", 60, 1, kMax));
    s.http_max_attempts = static_cast<int>(in.number("http_max_attempts", 6, 1, 100));
    s.http_backoff = std::chrono::milliseconds(in.number("http_backoff_ms", 2000, 10, kMax));
    s.http_timeout = std::chrono::milliseconds(in.number("http_timeout_ms", 10000, 100, kMax));
    s.allow_private_network = in.flag("allow_private_network", s.allow_private_network);
    return s;
}

}  // namespace tessera::host
