#include "auth/auth_settings.hpp"

#include "config/settings_section.hpp"

namespace tessera::host::auth {

AuthSettings loadAuthSettings(const Config& config) {
    const SettingsSection in(config, "auth");
    AuthSettings s;
    s.argon2_time_cost = static_cast<std::uint32_t>(in.number("argon2_time_cost", s.argon2_time_cost, 1, 20));
    s.argon2_memory_kib = static_cast<std::uint32_t>(in.number("argon2_memory_kib", s.argon2_memory_kib, 8, 4 * 1024 * 1024));
    s.argon2_parallelism = static_cast<std::uint32_t>(in.number("argon2_parallelism", s.argon2_parallelism, 1, 16));
    s.session_lifetime = std::chrono::hours(in.number("session_hours", std::chrono::duration_cast<std::chrono::hours>(s.session_lifetime).count(), 1, 24 * 90));
    s.reset_lifetime = std::chrono::minutes(in.number("reset_minutes", std::chrono::duration_cast<std::chrono::minutes>(s.reset_lifetime).count(), 5, 24 * 60));
    s.one_time_password_lifetime = std::chrono::hours(in.number(
        "one_time_password_hours",
        std::chrono::duration_cast<std::chrono::hours>(s.one_time_password_lifetime).count(), 1, 24 * 30));
    s.credential_cache_ttl =
        std::chrono::milliseconds(in.number("credential_cache_ms", s.credential_cache_ttl.count(), 0, 60000));
    s.usage_cache_ttl = std::chrono::milliseconds(in.number("usage_cache_ms", s.usage_cache_ttl.count(), 0, 3600000));
    s.default_plan = in.text("default_plan").value_or(s.default_plan);
    s.public_url = in.text("public_url").value_or(s.public_url);
    s.development = in.flag("development", s.development);
    return s;
}

}  // namespace tessera::host::auth
