#pragma once
// Host configuration: tessera.toml (optional) overridden by TESSERA_* environment
// variables, so `make run` needs no file and production can pin everything in one.

#include <chrono>
#include <cstddef>
#include <map>
#include <string>
#include <vector>

namespace tessera::host {

struct Config {
    std::string listen = "127.0.0.1:8080";
    std::string data_dir = "./data";
    std::string database_url;  // empty: sqlite://<data_dir>
    std::string plugin_dir = "./build/plugins";
    unsigned workers = 0;        // 0: number of cores
    std::string base_domain = "localhost";
    std::size_t max_body_bytes = 1024 * 1024;
    std::size_t max_header_bytes = 16 * 1024;  // request line and headers together
    std::size_t max_json_depth = 64;           // request bodies; at most sdk::kMaxJsonDepth
    // A request whose head has not all arrived this long after it began gets 408 and a close.
    std::chrono::seconds header_timeout{30};
    // Peers (addresses or CIDR ranges) whose X-Forwarded-For / Forwarded / X-Forwarded-Proto
    // are believed; from anyone else those headers are ignored. Default: none.
    std::vector<std::string> trusted_proxies;
    bool access_log = true;
    std::string log_level = "info";
    std::vector<std::string> required_plugins;
    // Plugins enabled for a newly created tenant; empty means every loaded plugin.
    std::vector<std::string> default_plugins;
    std::size_t max_open_connections = 256;   // SQLite files / PostgreSQL sessions, all tenants
    std::size_t connections_per_tenant = 4;   // SQLite only
    std::chrono::milliseconds pool_wait{5000};
    std::chrono::seconds shutdown_grace{20};
    std::map<std::string, std::map<std::string, std::string>> plugin_settings;

    std::string databaseUrl() const { return database_url.empty() ? "sqlite://" + data_dir : database_url; }
};

// Loads `path` if non-empty (a missing explicit file is an error), else ./tessera.toml
// if present, then applies environment overrides. Throws std::runtime_error naming the
// offending key or variable.
Config loadConfig(const std::string& path);

}  // namespace tessera::host
