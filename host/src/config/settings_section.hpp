#pragma once
// One section of operator settings: [plugins.<section>] in tessera.toml, each key
// overridable by the environment variable TESSERA_<SECTION>_<KEY>. Host features (auth,
// workflows, mail) read their knobs through this so every one follows the same rules.

#include <cstdint>
#include <optional>
#include <string>

#include "config/config.hpp"

namespace tessera::host {

class SettingsSection {
public:
    SettingsSection(const Config& config, std::string section) : config_(config), section_(std::move(section)) {}

    // The value, or nullopt when neither the file nor the environment sets it.
    std::optional<std::string> text(const std::string& key) const;
    // Throws std::runtime_error "<section>.<key> must be a whole number from <min> to <max>, not '<v>'".
    std::int64_t number(const std::string& key, std::int64_t fallback, std::int64_t min, std::int64_t max) const;
    // Accepts true/false/1/0; throws std::runtime_error naming the key otherwise.
    bool flag(const std::string& key, bool fallback) const;

private:
    const Config& config_;
    std::string section_;
};

}  // namespace tessera::host
