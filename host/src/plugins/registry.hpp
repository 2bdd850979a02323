#pragma once
// Everything plugins have declared and the host has accepted. A plugin's declarations
// are collected by a PluginRegistrar and enter the Registry all at once, or not at all.

#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <tessera/sdk/registrar.hpp>

#include "db/migration_runner.hpp"
#include "http/router.hpp"

namespace tessera::host {

struct Subscription {
    std::string plugin;
    std::string event;
    sdk::EventHandler handler;
};

struct ScriptFunctionEntry {
    std::string plugin;
    std::string permission;
    sdk::ScriptFunction fn;
};

struct ServiceEntry {
    std::string plugin;
    std::string type_name;
    std::shared_ptr<void> object;
};

// What one plugin declared in declare().
struct Declarations {
    std::string plugin;
    std::vector<sdk::Migration> migrations;
    std::map<std::string, std::string> permissions;
    std::vector<sdk::Route> routes;
    std::set<std::string> publishes;
    std::set<std::string> before_hooks;
    std::vector<Subscription> subscriptions;
    std::map<std::string, ServiceEntry> services;
    std::map<std::string, ScriptFunctionEntry> script_functions;
    std::map<std::string, sdk::Command> commands;
    std::set<std::string> counted_tables;
    std::function<int(sdk::TenantScope&)> reseal_secrets;
    std::set<std::string> depends;  // from the manifest, set by the loader
};

class Registry {
public:
    // Accepts `d` whole or throws sdk::RegistrationError naming the first conflict with
    // what is already registered; nothing of `d` stays on failure.
    void commit(Declarations d);
    // Forgets every declaration of `plugin` (its handlers are destroyed here, while its
    // library is still loaded).
    void remove(const std::string& plugin);

    // A built-in host module is enabled for every tenant.
    void markBuiltin(const std::string& id) { builtins_.insert(id); }
    bool enabledFor(const std::string& owner, const std::set<std::string>& tenant_plugins) const {
        return builtins_.count(owner) > 0 || tenant_plugins.count(owner) > 0;
    }

    const Router& router() const { return router_; }
    Router& router() { return router_; }
    const std::vector<Subscription>& subscriptions() const { return subscriptions_; }
    const ServiceEntry* service(const std::string& name) const;
    // Whether `plugin` may publish `event`: it or one of its dependencies declared it.
    bool mayPublish(const std::string& plugin, const std::string& event) const;
    // What workflow triggers may name for a tenant with these plugins enabled: the events
    // they publish and their before-hook points.
    std::set<std::string> publishedEvents(const std::set<std::string>& plugins) const;
    std::set<std::string> beforeHooks(const std::set<std::string>& plugins) const;
    const std::map<std::string, ScriptFunctionEntry>& scriptFunctions() const { return script_functions_; }
    // The command `name` of `plugin`, or null.
    const sdk::Command* command(const std::string& plugin, const std::string& name) const;
    const std::map<std::string, std::map<std::string, sdk::Command>>& commands() const { return commands_; }
    bool permissionExists(const std::string& name) const { return permissions_.count(name) > 0; }
    const std::map<std::string, std::pair<std::string, std::string>>& permissions() const { return permissions_; }
    // Tables whose rows count against the plan's records-per-plugin limit (empty: none).
    const std::set<std::string>& countedTables(const std::string& plugin) const;
    // The migrations of `plugin` (empty when it has none).
    MigrationSet migrations(const std::string& plugin) const;
    // Plugin id -> how it seals its secrets again (Registrar::resealsSecrets).
    const std::map<std::string, std::function<int(sdk::TenantScope&)>>& secretResealers() const {
        return secret_resealers_;
    }

private:
    Router router_;
    std::set<std::string> builtins_;
    std::vector<Subscription> subscriptions_;
    std::map<std::string, ServiceEntry> services_;
    std::map<std::string, std::set<std::string>> publishes_;
    std::map<std::string, std::set<std::string>> before_hooks_;
    std::map<std::string, std::set<std::string>> depends_;
    std::map<std::string, ScriptFunctionEntry> script_functions_;
    std::map<std::string, std::map<std::string, sdk::Command>> commands_;  // plugin -> name -> command
    std::map<std::string, std::pair<std::string, std::string>> permissions_;  // name -> (plugin, description)
    std::map<std::string, std::vector<sdk::Migration>> migrations_;
    std::map<std::string, std::set<std::string>> counted_tables_;
    std::map<std::string, std::function<int(sdk::TenantScope&)>> secret_resealers_;
};

// The sdk::Registrar handed to one plugin's declare(). Checks what it can on its own
// (shapes, duplicates inside the plugin); Registry::commit checks the rest.
class PluginRegistrar : public sdk::Registrar {
public:
    explicit PluginRegistrar(std::string plugin) { d_.plugin = std::move(plugin); }

    void migrations(const std::vector<sdk::Migration>& steps) override;
    void permission(const std::string& name, const std::string& description) override;
    void route(sdk::Route route) override;
    void publishes(const std::string& event) override;
    void runsBeforeHooks(const std::string& event) override;
    void subscribe(const std::string& event, sdk::EventHandler handler) override;
    void scriptFunction(const std::string& name, const std::string& permission, sdk::ScriptFunction fn) override;
    void command(sdk::Command command) override;
    void countsRecords(const std::string& table) override;
    void resealsSecrets(std::function<int(sdk::TenantScope&)> reseal) override;

    Declarations take() { return std::move(d_); }

protected:
    void provideService(const std::string& name, const char* type_name, std::shared_ptr<void> service) override;

private:
    Declarations d_;
};

}  // namespace tessera::host
