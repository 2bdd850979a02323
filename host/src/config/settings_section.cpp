#include "config/settings_section.hpp"

#include <cctype>
#include <cstdlib>
#include <stdexcept>

namespace tessera::host {

std::optional<std::string> SettingsSection::text(const std::string& key) const {
    std::string env = "TESSERA_" + section_ + "_" + key;
    for (auto& c : env) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (const char* v = std::getenv(env.c_str()); v && *v) return std::string(v);
    auto section = config_.plugin_settings.find(section_);
    if (section == config_.plugin_settings.end()) return std::nullopt;
    auto it = section->second.find(key);
    if (it == section->second.end()) return std::nullopt;
    return it->second;
}

std::int64_t SettingsSection::number(const std::string& key, std::int64_t fallback, std::int64_t min,
                                     std::int64_t max) const {
    const auto v = text(key);
    if (!v) return fallback;
    std::size_t used = 0;
    long long n = 0;
    try {
        n = std::stoll(*v, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used == 0 || used != v->size() || n < min || n > max)
        throw std::runtime_error(section_ + "." + key + " must be a whole number from " + std::to_string(min) + " to " +
                                 std::to_string(max) + ", not '" + *v + "'");
    return n;
}

bool SettingsSection::flag(const std::string& key, bool fallback) const {
    const auto v = text(key);
    if (!v) return fallback;
    if (*v == "true" || *v == "1") return true;
    if (*v == "false" || *v == "0") return false;
    throw std::runtime_error(section_ + "." + key + " must be true or false, not '" + *v + "'");
}

}  // namespace tessera::host
