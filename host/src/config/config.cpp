#include "config/config.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>

#include <tessera/sdk/json.hpp>
#include <toml++/toml.h>

#include "core/address_range.hpp"

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

// A key the host does not know is refused, not ignored: a misspelt `max_body_byte`
// would otherwise leave the default in force without a word.
void refuseUnknownKeys(const toml::table& t, const std::string& where, std::initializer_list<std::string_view> known) {
    for (const auto& [key, node] : t) {
        if (std::find(known.begin(), known.end(), key.str()) != known.end()) continue;
        std::string list;
        for (auto k : known) list += std::string(list.empty() ? "" : ", ") + std::string(k);
        throw std::runtime_error(where + ": unknown key '" + std::string(key.str()) + "' (known: " + list + ")");
    }
}

std::size_t readCount(const toml::table& t, const std::string& where, const char* key, std::size_t current) {
    if (!t.contains(key)) return current;
    auto v = t[key].value<int64_t>();
    if (!v || *v < 0) throw std::runtime_error(where + ": '" + key + "' must be a non-negative integer");
    return static_cast<std::size_t>(*v);
}

void applyFile(Config& c, const std::string& path) {
    toml::table t;
    try {
        t = toml::parse_file(path);
    } catch (const toml::parse_error& e) {
        throw std::runtime_error(path + ": " + std::string(e.description()) + " at line " +
                                 std::to_string(e.source().begin.line));
    }
    refuseUnknownKeys(t, path,
                      {"listen", "data_dir", "database_url", "plugin_dir", "base_domain", "log_level", "access_log",
                       "workers", "shutdown_grace_seconds", "trusted_proxies", "http", "database", "plugins"});
    readInto(t, "listen", c.listen);
    readInto(t, "data_dir", c.data_dir);
    readInto(t, "database_url", c.database_url);
    readInto(t, "plugin_dir", c.plugin_dir);
    readInto(t, "base_domain", c.base_domain);
    readInto(t, "log_level", c.log_level);
    readInto(t, "access_log", c.access_log);
    readStringList(t, "trusted_proxies", c.trusted_proxies);
    c.workers = static_cast<unsigned>(readCount(t, path, "workers", c.workers));
    c.shutdown_grace = std::chrono::seconds(readCount(t, path, "shutdown_grace_seconds", c.shutdown_grace.count()));
    if (t.contains("http")) {
        auto* http = t["http"].as_table();
        if (!http) throw std::runtime_error(path + ": 'http' must be a table");
        refuseUnknownKeys(*http, path + " [http]",
                          {"max_body_bytes", "max_header_bytes", "max_json_depth", "header_timeout_seconds"});
        c.max_body_bytes = readCount(*http, path + " [http]", "max_body_bytes", c.max_body_bytes);
        c.max_header_bytes = readCount(*http, path + " [http]", "max_header_bytes", c.max_header_bytes);
        c.max_json_depth = readCount(*http, path + " [http]", "max_json_depth", c.max_json_depth);
        c.header_timeout = std::chrono::seconds(
            readCount(*http, path + " [http]", "header_timeout_seconds", c.header_timeout.count()));
    }
    if (t.contains("database")) {
        auto* db = t["database"].as_table();
        if (!db) throw std::runtime_error(path + ": 'database' must be a table");
        refuseUnknownKeys(*db, path + " [database]", {"max_open_connections", "connections_per_tenant"});
        c.max_open_connections = readCount(*db, path + " [database]", "max_open_connections", c.max_open_connections);
        c.connections_per_tenant =
            readCount(*db, path + " [database]", "connections_per_tenant", c.connections_per_tenant);
    }
    if (auto* plugins = t["plugins"].as_table()) {
        readStringList(*plugins, "required", c.required_plugins);
        readStringList(*plugins, "default", c.default_plugins);
        for (auto& [key, node] : *plugins) {
            if (key.str() == "required" || key.str() == "default") continue;
            auto* section = node.as_table();
            if (!section)
                throw std::runtime_error(path + ": [plugins] '" + std::string(key.str()) +
                                         "' must be a table of a plugin's settings, or 'required' / 'default'");
            for (auto& [k, v] : *section) {
                if (auto s = v.value<std::string>()) c.plugin_settings[std::string(key)][std::string(k)] = *s;
                else if (auto i = v.value<int64_t>()) c.plugin_settings[std::string(key)][std::string(k)] = std::to_string(*i);
                else if (auto b = v.value<bool>()) c.plugin_settings[std::string(key)][std::string(k)] = *b ? "true" : "false";
                else
                    throw std::runtime_error(path + ": [plugins." + std::string(key.str()) + "] '" + std::string(k.str()) +
                                             "' must be a string, an integer or a boolean");
            }
        }
    } else if (t.contains("plugins")) {
        throw std::runtime_error(path + ": 'plugins' must be a table");
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
    if (auto v = env("TESSERA_MAX_HEADER_BYTES")) c.max_header_bytes = parseSize("TESSERA_MAX_HEADER_BYTES", v);
    if (auto v = env("TESSERA_HEADER_TIMEOUT_SECONDS"))
        c.header_timeout = std::chrono::seconds(parseSize("TESSERA_HEADER_TIMEOUT_SECONDS", v));
    if (auto v = env("TESSERA_MAX_JSON_DEPTH")) c.max_json_depth = parseSize("TESSERA_MAX_JSON_DEPTH", v);
    if (auto v = env("TESSERA_TRUSTED_PROXIES")) c.trusted_proxies = splitList(v);
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
    if (c.max_json_depth < 1 || c.max_json_depth > sdk::kMaxJsonDepth)
        throw std::runtime_error("max_json_depth must be from 1 to " + std::to_string(sdk::kMaxJsonDepth));
    if (c.max_header_bytes < 1024) throw std::runtime_error("max_header_bytes must be at least 1024");
    if (c.header_timeout.count() < 1 || c.header_timeout.count() > 3600)
        throw std::runtime_error("header_timeout_seconds must be from 1 to 3600");
    for (const auto& cidr : c.trusted_proxies)
        if (!AddressRange::parse(cidr))
            throw std::runtime_error("trusted_proxies: '" + cidr + "' is not an address or CIDR range (10.0.0.0/8, ::1)");
    return c;
}

}  // namespace tessera::host
