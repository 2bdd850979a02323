#include "plugins/registry.hpp"

#include <regex>

namespace tessera::host {
namespace {

void check(bool ok, const std::string& message) {
    if (!ok) throw sdk::RegistrationError(message);
}

bool isDottedName(const std::string& s) {
    static const std::regex re(R"(^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$)");
    return std::regex_match(s, re);
}

std::string describe(const sdk::Route& r) { return std::string(sdk::methodName(r.method)) + " " + r.path; }

}  // namespace

void PluginRegistrar::migrations(const std::vector<sdk::Migration>& steps) {
    for (const auto& m : steps) {
        check(m.number > 0, "migration '" + m.name + "' has number " + std::to_string(m.number) + "; numbers start at 1");
        for (const auto& existing : d_.migrations)
            check(existing.number != m.number, "migration number " + std::to_string(m.number) + " is declared twice");
        d_.migrations.push_back(m);
    }
}

void PluginRegistrar::permission(const std::string& name, const std::string& description) {
    check(isDottedName(name), "permission '" + name + "' must look like 'plugin.action'");
    check(d_.permissions.emplace(name, description).second, "permission '" + name + "' is declared twice");
}

void PluginRegistrar::route(sdk::Route route) {
    try {
        Router::validatePattern(route.path);
    } catch (const std::invalid_argument& e) {
        throw sdk::RegistrationError(e.what());
    }
    check(static_cast<bool>(route.handler), "route " + describe(route) + " has no handler");
    check(route.is_public || !route.permission.empty(),
          "route " + describe(route) + " needs a permission or must be marked public");
    check(!route.idempotent || route.method == sdk::Method::Post,
          "route " + describe(route) + " is marked idempotent, which only a POST route may be");
    Router local;
    for (const auto& r : d_.routes) local.add({r, d_.plugin});
    check(local.conflicting(route) == nullptr, "route " + describe(route) + " is declared twice");
    d_.routes.push_back(std::move(route));
}

void PluginRegistrar::publishes(const std::string& event) {
    check(isDottedName(event), "event '" + event + "' must look like 'record.action'");
    d_.publishes.insert(event);
}

void PluginRegistrar::runsBeforeHooks(const std::string& event) {
    check(isDottedName(event), "before-hook point '" + event + "' must look like 'record.action'");
    d_.before_hooks.insert(event);
}

void PluginRegistrar::subscribe(const std::string& event, sdk::EventHandler handler) {
    check(isDottedName(event), "event '" + event + "' must look like 'record.action'");
    check(static_cast<bool>(handler), "subscription to '" + event + "' has no handler");
    d_.subscriptions.push_back({d_.plugin, event, std::move(handler)});
}

void PluginRegistrar::scriptFunction(const std::string& name, const std::string& permission, sdk::ScriptFunction fn) {
    check(isDottedName(name), "script function '" + name + "' must look like 'plugin.function'");
    check(static_cast<bool>(fn), "script function '" + name + "' has no implementation");
    check(!permission.empty(), "script function '" + name + "' needs a permission");
    check(!d_.script_functions.count(name), "script function '" + name + "' is declared twice");
    d_.script_functions.emplace(name, ScriptFunctionEntry{d_.plugin, permission, std::move(fn)});
}

void PluginRegistrar::command(sdk::Command command) {
    static const std::regex re("^[a-z][a-z0-9-]{0,31}$");
    check(std::regex_match(command.name, re), "command '" + command.name + "' must be lowercase letters, digits and hyphens");
    check(static_cast<bool>(command.handler), "command '" + command.name + "' has no handler");
    check(!d_.commands.count(command.name), "command '" + command.name + "' is declared twice");
    d_.commands.emplace(command.name, std::move(command));
}

void PluginRegistrar::countsRecords(const std::string& table) {
    static const std::regex re("^[a-z_][a-z0-9_]{0,62}$");
    check(std::regex_match(table, re), "counted table '" + table + "' must be a plain lowercase table name");
    d_.counted_tables.insert(table);
}

void PluginRegistrar::resealsSecrets(std::function<int(sdk::TenantScope&)> reseal) {
    check(static_cast<bool>(reseal), "resealsSecrets has no implementation");
    check(!d_.reseal_secrets, "resealsSecrets is declared twice");
    d_.reseal_secrets = std::move(reseal);
}

void PluginRegistrar::provideService(const std::string& name, const char* type_name, std::shared_ptr<void> service) {
    check(service != nullptr, "service '" + name + "' is null");
    check(!d_.services.count(name), "service '" + name + "' is provided twice");
    check(name.rfind("tessera.", 0) != 0, "service names starting with 'tessera.' belong to the host ('" + name + "')");
    d_.services.emplace(name, ServiceEntry{d_.plugin, type_name, std::move(service)});
}

void Registry::commit(Declarations d) {
    // Validate everything first so that a refusal leaves the registry untouched.
    for (const auto& [name, desc] : d.permissions) {
        auto it = permissions_.find(name);
        check(it == permissions_.end(), "permission '" + name + "' is already declared by plugin '" +
                                            (it == permissions_.end() ? "" : it->second.first) + "'");
    }
    for (const auto& r : d.routes) {
        if (const RouteEntry* other = router_.conflicting(r))
            throw sdk::RegistrationError("route " + describe(r) + " overlaps " + describe(other->route) +
                                         " of plugin '" + other->plugin + "'");
        check(r.is_public || d.permissions.count(r.permission) || permissions_.count(r.permission),
              "route " + describe(r) + " needs permission '" + r.permission + "', which no plugin declares");
    }
    for (const auto& [name, fn] : d.script_functions) {
        auto it = script_functions_.find(name);
        check(it == script_functions_.end(), "script function '" + name + "' is already declared by plugin '" +
                                                 (it == script_functions_.end() ? "" : it->second.plugin) + "'");
        check(d.permissions.count(fn.permission) || permissions_.count(fn.permission),
              "script function '" + name + "' needs permission '" + fn.permission + "', which no plugin declares");
    }
    for (const auto& [name, svc] : d.services) {
        auto it = services_.find(name);
        check(it == services_.end(), "service '" + name + "' is already provided by plugin '" +
                                         (it == services_.end() ? "" : it->second.plugin) + "'");
    }
    for (auto& r : d.routes) router_.add({std::move(r), d.plugin});
    for (auto& [name, desc] : d.permissions) permissions_[name] = {d.plugin, desc};
    for (auto& s : d.subscriptions) subscriptions_.push_back(std::move(s));
    for (auto& [name, svc] : d.services) services_.emplace(name, std::move(svc));
    for (auto& [name, fn] : d.script_functions) script_functions_.emplace(name, std::move(fn));
    if (!d.commands.empty()) commands_[d.plugin] = std::move(d.commands);
    depends_[d.plugin] = std::move(d.depends);
    publishes_[d.plugin] = std::move(d.publishes);
    before_hooks_[d.plugin] = std::move(d.before_hooks);
    migrations_[d.plugin] = std::move(d.migrations);
    if (!d.counted_tables.empty()) counted_tables_[d.plugin] = std::move(d.counted_tables);
    if (d.reseal_secrets) secret_resealers_[d.plugin] = std::move(d.reseal_secrets);
}

void Registry::remove(const std::string& plugin) {
    router_.removePlugin(plugin);
    std::erase_if(subscriptions_, [&](const Subscription& s) { return s.plugin == plugin; });
    std::erase_if(services_, [&](const auto& kv) { return kv.second.plugin == plugin; });
    std::erase_if(script_functions_, [&](const auto& kv) { return kv.second.plugin == plugin; });
    depends_.erase(plugin);
    commands_.erase(plugin);
    std::erase_if(permissions_, [&](const auto& kv) { return kv.second.first == plugin; });
    publishes_.erase(plugin);
    before_hooks_.erase(plugin);
    migrations_.erase(plugin);
    counted_tables_.erase(plugin);
    secret_resealers_.erase(plugin);
}

const std::set<std::string>& Registry::countedTables(const std::string& plugin) const {
    static const std::set<std::string> none;
    auto it = counted_tables_.find(plugin);
    return it == counted_tables_.end() ? none : it->second;
}

const ServiceEntry* Registry::service(const std::string& name) const {
    auto it = services_.find(name);
    return it == services_.end() ? nullptr : &it->second;
}

const sdk::Command* Registry::command(const std::string& plugin, const std::string& name) const {
    auto p = commands_.find(plugin);
    if (p == commands_.end()) return nullptr;
    auto c = p->second.find(name);
    return c == p->second.end() ? nullptr : &c->second;
}

bool Registry::mayPublish(const std::string& plugin, const std::string& event) const {
    auto declares = [&](const std::string& p) {
        auto it = publishes_.find(p);
        return it != publishes_.end() && it->second.count(event) > 0;
    };
    if (declares(plugin)) return true;
    auto deps = depends_.find(plugin);
    if (deps == depends_.end()) return false;
    for (const auto& d : deps->second)
        if (declares(d)) return true;
    return false;
}

namespace {
std::set<std::string> unionOf(const std::map<std::string, std::set<std::string>>& by_plugin,
                              const std::set<std::string>& plugins) {
    std::set<std::string> out;
    for (const auto& [plugin, names] : by_plugin)
        if (plugins.count(plugin)) out.insert(names.begin(), names.end());
    return out;
}
}  // namespace

std::set<std::string> Registry::publishedEvents(const std::set<std::string>& plugins) const {
    return unionOf(publishes_, plugins);
}

std::set<std::string> Registry::beforeHooks(const std::set<std::string>& plugins) const {
    return unionOf(before_hooks_, plugins);
}

MigrationSet Registry::migrations(const std::string& plugin) const {
    auto it = migrations_.find(plugin);
    return MigrationSet{plugin, it == migrations_.end() ? std::vector<sdk::Migration>{} : it->second};
}

}  // namespace tessera::host
