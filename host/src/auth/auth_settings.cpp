#include "auth/auth_settings.hpp"

#include <cctype>
#include <cstdlib>
#include <stdexcept>

namespace tessera::host::auth {
namespace {

std::uint64_t parseNumber(const std::string& name, const std::string& value, std::uint64_t min, std::uint64_t max) {
    std::size_t used = 0;
    unsigned long long v = 0;
    try {
        v = std::stoull(value, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used == 0 || used != value.size() || v < min || v > max)
        throw std::runtime_error(name + " must be a whole number from " + std::to_string(min) + " to " +
                                 std::to_string(max) + ", not '" + value + "'");
    return v;
}

}  // namespace

AuthSettings loadAuthSettings(const Config& config) {
    std::map<std::string, std::string> values;
    if (auto it = config.plugin_settings.find("auth"); it != config.plugin_settings.end()) values = it->second;
    static const char* keys[] = {"argon2_time_cost", "argon2_memory_kib", "argon2_parallelism", "session_hours",
                                 "reset_minutes",    "credential_cache_ms", "default_plan",    "public_url",
                                 "development"};
    for (const char* key : keys) {
        std::string env_name = std::string("TESSERA_AUTH_") + key;
        for (auto& c : env_name) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        if (const char* v = std::getenv(env_name.c_str()); v && *v) values[key] = v;
    }
    AuthSettings s;
    auto get = [&](const char* key) -> const std::string* {
        auto it = values.find(key);
        return it == values.end() ? nullptr : &it->second;
    };
    if (auto v = get("argon2_time_cost")) s.argon2_time_cost = static_cast<std::uint32_t>(parseNumber("auth.argon2_time_cost", *v, 1, 20));
    if (auto v = get("argon2_memory_kib"))
        s.argon2_memory_kib = static_cast<std::uint32_t>(parseNumber("auth.argon2_memory_kib", *v, 8, 4u * 1024 * 1024));
    if (auto v = get("argon2_parallelism"))
        s.argon2_parallelism = static_cast<std::uint32_t>(parseNumber("auth.argon2_parallelism", *v, 1, 16));
    if (auto v = get("session_hours")) s.session_lifetime = std::chrono::hours(parseNumber("auth.session_hours", *v, 1, 24 * 90));
    if (auto v = get("reset_minutes")) s.reset_lifetime = std::chrono::minutes(parseNumber("auth.reset_minutes", *v, 5, 24 * 60));
    if (auto v = get("credential_cache_ms"))
        s.credential_cache_ttl = std::chrono::milliseconds(parseNumber("auth.credential_cache_ms", *v, 0, 60000));
    if (auto v = get("default_plan")) s.default_plan = *v;
    if (auto v = get("public_url")) s.public_url = *v;
    if (auto v = get("development")) {
        if (*v != "true" && *v != "false") throw std::runtime_error("auth.development must be true or false");
        s.development = *v == "true";
    }
    return s;
}

}  // namespace tessera::host::auth
