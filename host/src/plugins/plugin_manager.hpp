#pragma once
// Finds plugin libraries, checks each one's handshake and manifest before running any
// of its code, orders them by dependency, lets each declare its surface and starts
// them. A refused plugin leaves nothing registered and its library unloaded; the host
// carries on without it unless it is required.

#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <tessera/sdk/plugin.hpp>

#include "plugins/manifest.hpp"
#include "plugins/registry.hpp"

namespace tessera::host {

enum class PluginState { Active, Refused };

struct PluginRecord {
    std::string id;
    std::string version;
    std::string description;
    std::string path;
    PluginState state = PluginState::Refused;
    std::string reason;  // why it was refused
    std::vector<std::string> depends;
    bool required = false;
};

// A required plugin could not be loaded or started: the host must not run.
class RequiredPluginError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class PluginManager {
public:
    using ContextFactory = std::function<std::unique_ptr<sdk::HostContext>(const std::string& plugin)>;

    PluginManager(Registry& registry, std::vector<std::string> required);
    ~PluginManager();
    PluginManager(const PluginManager&) = delete;
    PluginManager& operator=(const PluginManager&) = delete;

    // Loads every plugin under each directory of `dirs` (separated by ':'), in
    // dependency order, and runs their declare(). Throws RequiredPluginError.
    void load(const std::string& dirs);
    // Runs start() of every active plugin in dependency order. Throws RequiredPluginError.
    void start(const ContextFactory& makeContext);
    // stop() in reverse order, then forgets registrations and unloads libraries.
    void stop();

    const std::deque<PluginRecord>& records() const { return records_; }
    const PluginRecord* record(const std::string& id) const;
    // Active plugins, dependencies before dependents.
    std::vector<std::string> activeInOrder() const;
    // Active plugins that depend on `id` directly.
    std::vector<std::string> dependents(const std::string& id) const;
    // The manifest dependencies of an active plugin.
    std::vector<std::string> dependencies(const std::string& id) const;

    // The host's build id, as compared with each plugin's.
    static const char* hostBuildId();

private:
    struct Loaded;
    void refuse(Loaded& p, const std::string& reason);
    void unload(Loaded& p);
    void checkRequired();

    Registry& registry_;
    std::vector<std::string> required_;
    std::vector<std::unique_ptr<Loaded>> loaded_;  // active ones, in dependency order
    std::deque<PluginRecord> records_;  // a deque: Loaded points into it while it grows
};

}  // namespace tessera::host
