#include "config/config.hpp"

#include <cstdlib>
#include <filesystem>
#include <stdexcept>

#include <toml++/toml.h>

namespace tessera::host {
namespace {

std::size_t parseSize(const std::string& what, const std::string& text) {
    try {
        std::size_t pos = 0;
        long long v = std::stoll(text, &pos);
        if (pos != text.size() || v < 0) throw std::invalid_argument(text);
        return static_cast<std::size_t>(v);
    } catch (const std::exception&) {
        throw std::runtime_error(what + ": expected a non-negative integer, got '" + text + "'");
    }
}

bool parseBool(const std::string& what, const std::string& text) {
    if (text == "1" || text == "true" || text == "yes" || text == "on") return true;
    if (text == "0" || text == "false" || text == "no" || text == "off") return false;
    throw std::runtime_error(what + ": expected true or false, got '" + text + "'");
}

std::vector<std::string> splitList(const std::string& text) {
    std::vector<std::string> out;
    std::string item;
    for (char c : text) {
        if (c == ',' || c == ' ') {
            if (!item.empty()) out.push_back(std::move(item));
            item.clear();
        } else {
            item += c;
        }
    }
    if (!item.empty()) out.push_back(item);
    return out;
}

template <class T>
void readInto(const toml::table& t, const char* key, T& out) {
    if (auto v = t[key].value<T>()) out = *v;
    else if (t.contains(key)) throw std::runtime_error(std::string("tessera.toml: '") + key + "' has the wrong type");
}

void readStringList(const toml::table& t, const char* key, std::vector<std::string>& out) {
    if (!t.contains(key)) return;
    auto* arr = t[key].as_array();
    if (!arr) throw std::runtime_error(std::string("tessera.toml: '") + key + "' must be an array of strings");
    out.clear();
    for (auto& el : *arr) {
        auto s = el.value<std::string>();
        if (!s) throw std::runtime_error(std::string("tessera.toml: '") + key + "' must be an array of strings");
        out.push_back(*s);
    }
}

void applyFile(Config& c, const std::string& path) {
    toml::table t;
    try {
        t = toml::parse_file(path);
    } catch (const toml::parse_error& e) {
        throw std::runtime_error(path + ": " + std::string(e.description()) + " at line " +
                                 std::to_string(e.source().begin.line));
    }
    readInto(t, "listen", c.listen);
    readInto(t, "data_dir", c.data_dir);
    readInto(t, "database_url", c.database_url);
    readInto(t, "plugin_dir", c.plugin_dir);
    readInto(t, "base_domain", c.base_domain);
    readInto(t, "log_level", c.log_level);
    readInto(t, "access_log", c.access_log);
    if (auto w = t["workers"].value<int64_t>()) c.workers = static_cast<unsigned>(*w);
    if (auto g = t["shutdown_grace_seconds"].value<int64_t>()) {
        if (*g < 0) throw std::runtime_error(path + ": shutdown_grace_seconds must not be negative");
        c.shutdown_grace = std::chrono::seconds(*g);
    }
    if (auto* http = t["http"].as_table()) {
        if (auto v = (*http)["max_body_bytes"].value<int64_t>()) c.max_body_bytes = static_cast<std::size_t>(*v);
        if (auto v = (*http)["max_header_bytes"].value<int64_t>()) c.max_header_bytes = static_cast<std::size_t>(*v);
    }
    if (auto* db = t["database"].as_table()) {
        if (auto v = (*db)["max_open_connections"].value<int64_t>()) c.max_open_connections = static_cast<std::size_t>(*v);
        if (auto v = (*db)["connections_per_tenant"].value<int64_t>()) c.connections_per_tenant = static_cast<std::size_t>(*v);
    }
    if (auto* plugins = t["plugins"].as_table()) {
        readStringList(*plugins, "required", c.required_plugins);
        readStringList(*plugins, "default", c.default_plugins);
        for (auto& [key, node] : *plugins) {
            auto* section = node.as_table();
            if (!section) continue;
            for (auto& [k, v] : *section) {
                if (auto s = v.value<std::string>()) c.plugin_settings[std::string(key)][std::string(k)] = *s;
                else if (auto i = v.value<int64_t>()) c.plugin_settings[std::string(key)][std::string(k)] = std::to_string(*i);
                else if (auto b = v.value<bool>()) c.plugin_settings[std::string(key)][std::string(k)] = *b ? "true" : "false";
            }
        }
    }
}

void applyEnvironment(Config& c) {
    auto env = [](const char* name) -> const char* {
        const char* v = std::getenv(name);
        return (v && *v) ? v : nullptr;
    };
    if (auto v = env("TESSERA_LISTEN")) c.listen = v;
    if (auto v = env("TESSERA_DATA_DIR")) c.data_dir = v;
    if (auto v = env("TESSERA_DATABASE_URL")) c.database_url = v;
    if (auto v = env("TESSERA_PLUGIN_DIR")) c.plugin_dir = v;
    if (auto v = env("TESSERA_BASE_DOMAIN")) c.base_domain = v;
    if (auto v = env("TESSERA_LOG_LEVEL")) c.log_level = v;
    if (auto v = env("TESSERA_WORKERS")) c.workers = static_cast<unsigned>(parseSize("TESSERA_WORKERS", v));
    if (auto v = env("TESSERA_SHUTDOWN_GRACE_SECONDS"))
        c.shutdown_grace = std::chrono::seconds(parseSize("TESSERA_SHUTDOWN_GRACE_SECONDS", v));
    if (auto v = env("TESSERA_MAX_BODY_BYTES")) c.max_body_bytes = parseSize("TESSERA_MAX_BODY_BYTES", v);
    if (auto v = env("TESSERA_ACCESS_LOG")) c.access_log = parseBool("TESSERA_ACCESS_LOG", v);
    if (auto v = env("TESSERA_REQUIRED_PLUGINS")) c.required_plugins = splitList(v);
    if (auto v = env("TESSERA_DEFAULT_PLUGINS")) c.default_plugins = splitList(v);
    if (auto v = env("TESSERA_MAX_OPEN_CONNECTIONS"))
        c.max_open_connections = parseSize("TESSERA_MAX_OPEN_CONNECTIONS", v);
}

}  // namespace

Config loadConfig(const std::string& path) {
    Config c;
    if (!path.empty()) {
        if (!std::filesystem::exists(path)) throw std::runtime_error("config file '" + path + "' does not exist");
        applyFile(c, path);
    } else if (std::filesystem::exists("tessera.toml")) {
        applyFile(c, "tessera.toml");
    }
    applyEnvironment(c);
    if (c.max_open_connections < 2) throw std::runtime_error("max_open_connections must be at least 2");
    if (c.connections_per_tenant < 1) throw std::runtime_error("connections_per_tenant must be at least 1");
    return c;
}

}  // namespace tessera::host
