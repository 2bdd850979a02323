#pragma once
// Everything plugins have declared and the host has accepted. A plugin's declarations
// are collected by a PluginRegistrar and enter the Registry all at once, or not at all.

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
    std::vector<Subscription> subscriptions;
    std::map<std::string, ServiceEntry> services;
};

class Registry {
public:
    // Accepts `d` whole or throws sdk::RegistrationError naming the first conflict with
    // what is already registered; nothing of `d` stays on failure.
    void commit(Declarations d);
    // Forgets every declaration of `plugin` (its handlers are destroyed here, while its
    // library is still loaded).
    void remove(const std::string& plugin);

    const Router& router() const { return router_; }
    Router& router() { return router_; }
    const std::vector<Subscription>& subscriptions() const { return subscriptions_; }
    const ServiceEntry* service(const std::string& name) const;
    bool declaresEvent(const std::string& plugin, const std::string& event) const;
    bool permissionExists(const std::string& name) const { return permissions_.count(name) > 0; }
    const std::map<std::string, std::pair<std::string, std::string>>& permissions() const { return permissions_; }
    // The migrations of `plugin` (empty when it has none).
    MigrationSet migrations(const std::string& plugin) const;

private:
    Router router_;
    std::vector<Subscription> subscriptions_;
    std::map<std::string, ServiceEntry> services_;
    std::map<std::string, std::set<std::string>> publishes_;
    std::map<std::string, std::pair<std::string, std::string>> permissions_;  // name -> (plugin, description)
    std::map<std::string, std::vector<sdk::Migration>> migrations_;
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
    void subscribe(const std::string& event, sdk::EventHandler handler) override;

    Declarations take() { return std::move(d_); }

protected:
    void provideService(const std::string& name, const char* type_name, std::shared_ptr<void> service) override;

private:
    Declarations d_;
};

}  // namespace tessera::host
