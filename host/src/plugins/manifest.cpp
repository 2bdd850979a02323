#include "plugins/manifest.hpp"

#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>

#include <tessera/sdk/json.hpp>

namespace tessera::host {

bool isValidPluginId(const std::string& id) {
    static const std::regex re("^[a-z][a-z0-9_]{0,62}$");
    return std::regex_match(id, re);
}

Manifest Manifest::parse(const std::string& text) {
    sdk::JsonError error = sdk::JsonError::none;
    const sdk::Json j = sdk::parseJson(text, &error);
    if (error == sdk::JsonError::too_deep)
        throw std::runtime_error("nests deeper than " + std::to_string(sdk::kMaxJsonDepth) + " levels");
    if (error != sdk::JsonError::none) throw std::runtime_error("not valid JSON");
    if (!j.is_object()) throw std::runtime_error("must be a JSON object");
    auto str = [&](const char* key, bool required) -> std::string {
        if (!j.contains(key)) {
            if (required) throw std::runtime_error(std::string("field '") + key + "' is missing");
            return {};
        }
        if (!j[key].is_string()) throw std::runtime_error(std::string("field '") + key + "' must be a string");
        return j[key].get<std::string>();
    };
    Manifest m;
    m.id = str("id", true);
    if (!isValidPluginId(m.id)) throw std::runtime_error("field 'id' must be snake_case, got '" + m.id + "'");
    const std::string version = str("version", true);
    auto v = SemVer::parse(version);
    if (!v) throw std::runtime_error("field 'version' must be semver (MAJOR.MINOR.PATCH), got '" + version + "'");
    m.version = *v;
    m.description = str("description", false);
    m.build_id = str("build_id", false);
    const std::string sdk = str("sdk", true);
    try {
        m.sdk = VersionRange::parse(sdk);
    } catch (const std::invalid_argument& e) {
        throw std::runtime_error(std::string("field 'sdk': ") + e.what());
    }
    if (j.contains("depends")) {
        if (!j["depends"].is_object())
            throw std::runtime_error("field 'depends' must be an object of id -> version range");
        for (auto& [dep, range] : j["depends"].items()) {
            if (!range.is_string()) throw std::runtime_error("field 'depends." + dep + "' must be a string range");
            if (!isValidPluginId(dep)) throw std::runtime_error("field 'depends': '" + dep + "' is not a plugin id");
            try {
                m.depends.emplace(dep, VersionRange::parse(range.get<std::string>()));
            } catch (const std::invalid_argument& e) {
                throw std::runtime_error("field 'depends." + dep + "': " + e.what());
            }
        }
    }
    return m;
}

Manifest Manifest::load(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw std::runtime_error("plugin.json is missing");
    std::stringstream ss;
    ss << in.rdbuf();
    try {
        return parse(ss.str());
    } catch (const std::runtime_error& e) {
        throw std::runtime_error(std::string("plugin.json: ") + e.what());
    }
}

}  // namespace tessera::host
