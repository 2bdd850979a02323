#pragma once
/// The C++ side of a plugin and the entry macro that exports its handshake.

#include <chrono>
#include <functional>
#include <string>

#include <tessera/sdk/build_id.hpp>
#include <tessera/sdk/handshake.h>
#include <tessera/sdk/logger.hpp>
#include <tessera/sdk/registrar.hpp>
#include <tessera/sdk/scope.hpp>

namespace tessera::sdk {

/// What a started plugin may use for background work. Owned by the host; valid from
/// start() until stop() returns.
class HostContext {
public:
    virtual ~HostContext() = default;

    /// Logger stamped with this plugin's id.
    virtual Logger& log() = 0;
    /// Calls `job` every `interval` on the host's worker pool, for each tenant where
    /// this plugin is enabled, each in its own scope. Exceptions are logged per
    /// tenant. Jobs stop before stop() is called.
    virtual void everyTenant(const std::string& name, std::chrono::seconds interval,
                             std::function<void(TenantScope&)> job) = 0;
    /// Runs `work` once in the scope of the tenant with `slug`, if it exists and has
    /// this plugin enabled. Returns false otherwise.
    virtual bool withTenant(const std::string& slug, const std::function<void(TenantScope&)>& work) = 0;
    /// The value of a key in this plugin's config section ([plugins.<id>] in
    /// tessera.toml), or `fallback`.
    virtual std::string config(const std::string& key, const std::string& fallback) const = 0;
};

/// Base class of every plugin. The host calls, in order: declare() once, start() once
/// if every declaration was accepted, stop() once before unloading.
class Plugin {
public:
    virtual ~Plugin() = default;
    /// Declare migrations, permissions, routes, events and services. Must not start
    /// threads or touch any database.
    virtual void declare(Registrar& registrar) = 0;
    /// Start background work. Throwing here unloads the plugin.
    virtual void start(HostContext& host) { (void)host; }
    /// Stop background work started in start(). Must not throw.
    virtual void stop() {}
};

}  // namespace tessera::sdk

/// Exports the handshake for `PluginClass` (a tessera::sdk::Plugin with a default
/// constructor). Use exactly once per plugin library, in <id>_plugin.cpp:
///
///     TESSERA_PLUGIN(HelloPlugin)
///
/// The id and version are the manifest's: tessera_add_plugin() reads plugin.json when it
/// configures the build and defines TESSERA_PLUGIN_ID and TESSERA_PLUGIN_VERSION, so they
/// are written once. TESSERA_PLUGIN(PluginClass, "id", "1.0.0") still compiles (SDK 2.0
/// plugins); the loader refuses it when the literals differ from the manifest.
#define TESSERA_PLUGIN(...) TESSERA_PLUGIN_PICK_(__VA_ARGS__, TESSERA_PLUGIN_EXPLICIT_, _, TESSERA_PLUGIN_FROM_MANIFEST_, _)(__VA_ARGS__)
#define TESSERA_PLUGIN_PICK_(_1, _2, _3, NAME, ...) NAME
#define TESSERA_PLUGIN_FROM_MANIFEST_(PluginClass) TESSERA_PLUGIN_EXPLICIT_(PluginClass, TESSERA_PLUGIN_ID, TESSERA_PLUGIN_VERSION)

#define TESSERA_PLUGIN_EXPLICIT_(PluginClass, ID, VERSION)                                 \
    extern "C" TESSERA_API const TesseraPluginHandshake* tessera_plugin_handshake(void) {  \
        static const TesseraPluginHandshake handshake = {                                  \
            sizeof(TesseraPluginHandshake),                                                \
            TESSERA_ABI_VERSION,                                                           \
            ID,                                                                            \
            VERSION,                                                                       \
            TESSERA_BUILD_ID,                                                              \
            []() noexcept -> void* {                                                       \
                try {                                                                      \
                    return static_cast<::tessera::sdk::Plugin*>(new PluginClass());        \
                } catch (...) {                                                            \
                    return nullptr;                                                        \
                }                                                                          \
            },                                                                             \
            [](void* p) noexcept { delete static_cast<::tessera::sdk::Plugin*>(p); },      \
        };                                                                                 \
        return &handshake;                                                                 \
    }
