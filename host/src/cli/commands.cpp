#include "cli/commands.hpp"

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "app/host.hpp"
#include "cli/plugin_commands.hpp"
#include "cli/rotate_key.hpp"
#include "auth/auth_service.hpp"
#include "auth/tenant_bootstrap.hpp"
#include "auth/users.hpp"
#include "core/logging.hpp"
#include "workflows/workflow_cli.hpp"

namespace tessera::host {
namespace {

struct Options {
    std::string config_path;
    std::string slug, name, plugin, tenant, domain;
    bool yes = false, json = false, status_only = false;
    std::string admin_email, email, token_name, scopes, plan, token_id;
    int expires_days = 0;
    // tenant plan-set: -1 keeps the plan's current value (0 for a new plan).
    std::map<std::string, std::int64_t> plan_limits;
};

void printTenants(const std::vector<TenantRecord>& tenants, bool json) {
    if (json) {
        nlohmann::json out = nlohmann::json::array();
        for (const auto& t : tenants)
            out.push_back({{"slug", t.slug}, {"name", t.name}, {"status", t.status}, {"created_at", t.created_at},
                           {"plugins", t.enabled_plugins}, {"domains", t.domains}});
        std::cout << out.dump(2) << "\n";
        return;
    }
    std::printf("%-24s %-9s %-25s %s\n", "SLUG", "STATUS", "CREATED", "PLUGINS");
    for (const auto& t : tenants) {
        std::string plugins;
        for (const auto& p : t.enabled_plugins) plugins += (plugins.empty() ? "" : ",") + p;
        std::printf("%-24s %-9s %-25s %s\n", t.slug.c_str(), t.status.c_str(), t.created_at.c_str(), plugins.c_str());
    }
}

void printPlugins(PluginManager& plugins, bool json) {
    if (json) {
        nlohmann::json out = nlohmann::json::array();
        for (const auto& r : plugins.records())
            out.push_back({{"id", r.id}, {"version", r.version}, {"state", r.state == PluginState::Active ? "active" : "refused"},
                           {"reason", r.reason}, {"depends", r.depends}, {"path", r.path}, {"description", r.description}});
        std::cout << out.dump(2) << "\n";
        return;
    }
    std::printf("%-16s %-10s %-8s %s\n", "ID", "VERSION", "STATE", "DETAIL");
    for (const auto& r : plugins.records()) {
        const bool active = r.state == PluginState::Active;
        std::printf("%-16s %-10s %-8s %s\n", r.id.c_str(), r.version.empty() ? "-" : r.version.c_str(),
                    active ? "active" : "refused", active ? r.description.c_str() : r.reason.c_str());
    }
}

void printRoutes(const Router& router, bool json) {
    auto flags = [](const sdk::Route& r) {
        std::string out;
        for (const auto& [set, name] : {std::pair{r.is_public, "public"}, std::pair{r.idempotent, "idempotent"},
                                        std::pair{r.outside_group_commit, "outside_group_commit"}})
            if (set) out += std::string(out.empty() ? "" : ",") + name;
        return out.empty() ? std::string("-") : out;
    };
    if (json) {
        nlohmann::json out = nlohmann::json::array();
        for (const auto& e : router.routes())
            out.push_back({{"method", sdk::methodName(e.route.method)}, {"path", e.route.path}, {"owner", e.plugin},
                           {"permission", e.route.permission}, {"public", e.route.is_public},
                           {"idempotent", e.route.idempotent}, {"outside_group_commit", e.route.outside_group_commit}});
        std::cout << out.dump(2) << "\n";
        return;
    }
    std::printf("%-7s %-52s %-10s %-22s %s\n", "METHOD", "PATH", "OWNER", "PERMISSION", "FLAGS");
    for (const auto& e : router.routes())
        std::printf("%-7s %-52s %-10s %-22s %s\n", sdk::methodName(e.route.method), e.route.path.c_str(), e.plugin.c_str(),
                    e.route.permission.empty() ? "-" : e.route.permission.c_str(), flags(e.route).c_str());
}

int migrate(Host& host, const Options& o) {
    std::vector<TenantRecord> tenants;
    if (!o.tenant.empty()) {
        auto t = host.directory().bySlug(o.tenant);
        if (!t) throw TenantError(TenantError::Kind::NotFound, "no tenant '" + o.tenant + "'");
        tenants.push_back(*t);
    } else {
        tenants = host.directory().list();
    }
    if (o.status_only) {
        int pending = 0;
        for (const auto& t : tenants) {
            for (const auto& s : host.tenants().status(t)) {
                std::printf("%-24s %-16s %04d_%-32s %s\n", t.slug.c_str(), s.owner.c_str(), s.number, s.name.c_str(),
                            s.applied ? ("applied " + s.applied_at).c_str() : "PENDING");
                pending += !s.applied;
            }
        }
        std::printf("%zu tenants, %d pending migrations\n", tenants.size(), pending);
        return 0;
    }
    const bool tty = isatty(STDOUT_FILENO);
    int applied = 0, failed = 0;
    for (std::size_t i = 0; i < tenants.size(); ++i) {
        if (tty) {
            std::printf("\r[%zu/%zu] %-40s", i + 1, tenants.size(), tenants[i].slug.c_str());
            std::fflush(stdout);
        }
        try {
            applied += host.tenants().migrate(tenants[i], [&](const std::string& owner, const sdk::Migration& m) {
                if (!tty) std::printf("%s: applying %s/%s\n", tenants[i].slug.c_str(), owner.c_str(), migrationFileName(m).c_str());
            });
        } catch (const std::exception& e) {
            ++failed;
            std::fprintf(stderr, "%s%s: %s\n", tty ? "\n" : "", tenants[i].slug.c_str(), e.what());
        }
    }
    if (tty) std::printf("\n");
    std::printf("%zu tenants, %d migrations applied, %d tenants failed\n", tenants.size(), applied, failed);
    return failed ? 1 : 0;
}

}  // namespace

int runCli(int argc, char** argv) {
    CLI::App app{"Tessera: a modular multi-tenant CRM host"};
    app.require_subcommand(1);
    app.set_version_flag("--version", [] {
        return std::string("tessera 0.1.0, SDK ") + TESSERA_SDK_VERSION_STRING + ", ABI " + std::to_string(TESSERA_ABI_VERSION) +
               "\nbuild " + PluginManager::hostBuildId();
    });
    Options o;
    app.add_option("-c,--config", o.config_path, "tessera.toml to read (default: ./tessera.toml if present)");

    auto* serve = app.add_subcommand("serve", "Serve HTTP until SIGINT/SIGTERM");

    auto* tenant = app.add_subcommand("tenant", "Manage tenants");
    tenant->require_subcommand(1);
    auto* t_create = tenant->add_subcommand("create", "Create a tenant with the default plugins");
    t_create->add_option("slug", o.slug, "Tenant slug (lowercase letters, digits, hyphens)")->required();
    t_create->add_option("--name", o.name, "Display name");
    t_create->add_option("--admin-email", o.admin_email,
                         "Create this user as the tenant's first Owner; prints a one-time password and an API token");
    t_create->add_option("--plan", o.plan, "Plan of the tenant (starter, professional, business, enterprise)");
    auto* t_plan = tenant->add_subcommand("plan", "Put a tenant on a plan (limits apply within seconds)");
    t_plan->add_option("slug", o.slug)->required();
    t_plan->add_option("plan", o.plan, "starter, professional, business or enterprise")->required();
    auto* t_plans = tenant->add_subcommand("plans", "List the plans and their limits (0: unlimited)");
    auto* t_plan_set = tenant->add_subcommand("plan-set", "Create a plan or change its limits (0: unlimited)");
    t_plan_set->add_option("plan", o.plan, "Plan id: lowercase letters, digits, hyphens")->required();
    t_plan_set->add_option("--name", o.name, "Display name");
    for (const char* limit : {"users", "requests-per-minute", "records-per-plugin", "storage-mb", "scripts",
                              "script-instructions", "script-memory-mb", "script-wall-ms"}) {
        o.plan_limits[limit] = -1;
        t_plan_set->add_option(std::string("--") + limit, o.plan_limits[limit])->check(CLI::NonNegativeNumber);
    }
    auto* t_list = tenant->add_subcommand("list", "List tenants");
    t_list->add_flag("--json", o.json, "Print JSON");
    auto* t_disable = tenant->add_subcommand("disable", "Disable a tenant: its requests answer 404, its data stays");
    t_disable->add_option("slug", o.slug)->required();
    auto* t_enable = tenant->add_subcommand("enable", "Enable a disabled tenant");
    t_enable->add_option("slug", o.slug)->required();
    auto* t_delete = tenant->add_subcommand("delete", "Delete a tenant and all of its data");
    t_delete->add_option("slug", o.slug)->required();
    t_delete->add_flag("--yes", o.yes, "Confirm deletion");
    auto* t_domain = tenant->add_subcommand("domain", "Map a custom domain to a tenant");
    t_domain->add_option("slug", o.slug)->required();
    t_domain->add_option("domain", o.domain)->required();

    auto* token = app.add_subcommand("token", "Manage API tokens");
    token->require_subcommand(1);
    auto* tk_create = token->add_subcommand("create", "Create an API token for a user and print it once");
    tk_create->add_option("--tenant", o.tenant, "Tenant slug")->required();
    tk_create->add_option("--email", o.email, "The user the token acts as")->required();
    tk_create->add_option("--name", o.token_name, "What the token is for")->required();
    tk_create->add_option("--scopes", o.scopes, "Comma-separated permissions (default: the user's)");
    tk_create->add_option("--expires-days", o.expires_days, "Expire after this many days (default: never)");
    auto* tk_revoke = token->add_subcommand("revoke", "Revoke an API token by id (effective within a second)");
    tk_revoke->add_option("id", o.token_id, "Token id (tok_...)")->required();
    tk_revoke->add_option("--tenant", o.tenant, "Tenant slug")->required();

    auto* plugin = app.add_subcommand("plugin", "Enable or disable a plugin for a tenant");
    plugin->require_subcommand(1);
    auto* p_enable = plugin->add_subcommand("enable", "Enable a plugin (applies its migrations)");
    auto* p_disable = plugin->add_subcommand("disable", "Disable a plugin (its data stays)");
    for (auto* sub : {p_enable, p_disable}) {
        sub->add_option("id", o.plugin, "Plugin id")->required();
        sub->add_option("--tenant", o.tenant, "Tenant slug")->required();
    }

    auto* plugins = app.add_subcommand("plugins", "List installed plugins, their state and any refusal reason (exit 1 if any is refused)");
    plugins->add_flag("--json", o.json, "Print JSON");
    auto* routes = app.add_subcommand("routes", "List every route: method, path, owner, permission and flags");
    routes->add_flag("--json", o.json, "Print JSON");

    std::string new_key_file;
    auto* secrets = app.add_subcommand("secrets", "Manage the master key of secrets at rest");
    secrets->require_subcommand(1);
    auto* s_rotate = secrets->add_subcommand(
        "rotate-key", "Seal every tenant's secrets with a new master key (stop every server first)");
    s_rotate->add_option("--new-key-file", new_key_file,
                         "The new key: 64 hex digits, base64 or 32 raw bytes, mode 0600 (default with the key "
                         "file: a random key)");

    auto* migrate_cmd = app.add_subcommand("migrate", "Apply pending migrations to every tenant");
    migrate_cmd->add_flag("--status", o.status_only, "Only show what is applied and pending");
    migrate_cmd->add_option("--tenant", o.tenant, "Only this tenant");

    app.add_subcommand("version", "Print version and build id");

    WorkflowPushOptions push;
    auto* workflow = app.add_subcommand("workflow", "Manage a tenant's Lua workflows");
    workflow->require_subcommand(1);
    auto* w_push = workflow->add_subcommand("push", "Create a workflow from a Lua file, or save a new version of it");
    w_push->add_option("file", push.file, "The .lua file")->required()->check(CLI::ExistingFile);
    w_push->add_option("--tenant", push.tenant, "Tenant slug")->required();
    w_push->add_option("--name", push.name, "Workflow name (default: '-- name:' header, else the file name)");
    w_push->add_option("--trigger", push.trigger, "manual | cron:<5 fields> | before:<entity.action> | <event>[:fields]");
    w_push->add_option("--run-as", push.run_as, "Role the workflow acts with (default: '-- run_as:' header, else admin)");
    w_push->add_option("--condition", push.condition, "Lua expression; the run is skipped when it is false");
    w_push->add_flag("--disabled", push.disabled, "Save it disabled");

    // A first word that is no host command names a plugin: `tessera contacts import ...`.
    for (int i = 1; i < argc; ++i) {
        const std::string word = argv[i];
        if (word == "-c" || word == "--config") {
            if (i + 1 < argc) o.config_path = argv[++i];
            continue;
        }
        if (word.rfind("--config=", 0) == 0) {
            o.config_path = word.substr(9);
            continue;
        }
        if (word.empty() || word[0] == '-') break;
        std::vector<std::string> commands;
        for (const auto* sub : app.get_subcommands([](CLI::App*) { return true; })) commands.push_back(sub->get_name());
        if (std::find(commands.begin(), commands.end(), word) != commands.end()) break;
        return runPluginCommand(o.config_path, std::vector<std::string>(argv + i, argv + argc), commands);
        break;
    }
    o.config_path.clear();

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e) == 0 ? 0 : 2;
    }

    if (app.got_subcommand("version")) {
        std::printf("tessera 0.1.0, SDK %s, ABI %d\nbuild %s\n", TESSERA_SDK_VERSION_STRING, TESSERA_ABI_VERSION,
                    PluginManager::hostBuildId());
        return 0;
    }

    try {
        Config config = loadConfig(o.config_path);
        setupLogging(serve->parsed() ? config.log_level : (config.log_level == "info" ? "warn" : config.log_level));
        Host host(std::move(config));
        if (serve->parsed()) return host.serve();
        if (plugins->parsed()) {
            printPlugins(host.plugins(), o.json);
            const auto& records = host.plugins().records();
            return std::any_of(records.begin(), records.end(),
                               [](const auto& r) { return r.state != PluginState::Active; })
                       ? 1
                       : 0;
        }
        if (routes->parsed()) {
            printRoutes(host.registry().router(), o.json);
            return 0;
        }
        if (migrate_cmd->parsed()) return migrate(host, o);
        if (s_rotate->parsed()) return rotateMasterKey(host, new_key_file);
        if (t_create->parsed()) {
            if (!o.admin_email.empty()) {
                if (auto problem = auth::emailProblem(o.admin_email); !problem.empty())
                    throw std::invalid_argument("--admin-email " + problem);
            }
            if (!o.plan.empty() && !host.auth().plans().exists(o.plan))
                throw std::invalid_argument("no plan '" + o.plan + "'; see `tessera tenant plans`");
            auto rec = host.tenants().create(o.slug, o.name);
            std::string enabled;
            for (const auto& p : rec.enabled_plugins) enabled += (enabled.empty() ? "" : ", ") + p;
            std::printf("created tenant %s (%s) with plugins: %s\n", rec.slug.c_str(), rec.name.c_str(),
                        enabled.empty() ? "none" : enabled.c_str());
            if (!o.plan.empty()) host.auth().plans().assign(rec.id, o.plan);
            if (!o.admin_email.empty()) {
                const auto owner = auth::createOwner(host.auth(), host.tenants(), rec, o.admin_email);
                std::printf("owner: %s\none-time password: %s\napi token: %s\n"
                            "(shown once. The password works until %s and its first sign-in can only replace\n"
                            "it: POST /api/v1/auth/password. The token acts as the owner until revoked.)\n",
                            o.admin_email.c_str(), owner.password.c_str(), owner.token.c_str(),
                            owner.password_expires_at.c_str());
            }
            return 0;
        }
        if (t_plan->parsed()) {
            auto t = host.directory().bySlug(o.slug);
            if (!t) throw TenantError(TenantError::Kind::NotFound, "no tenant '" + o.slug + "'");
            if (!host.auth().plans().exists(o.plan)) {
                std::string known;
                for (const auto& p : host.auth().plans().all()) known += (known.empty() ? "" : ", ") + p.id;
                throw std::invalid_argument("no plan '" + o.plan + "'; the plans are: " + known +
                                            " (tessera tenant plan-set creates one)");
            }
            host.auth().plans().assign(t->id, o.plan);
            auth::auditOperatorAction(host.auth(), host.tenants(), *t, "tenant.plan.changed", {{"plan", o.plan}});
            std::printf("tenant %s is on plan %s\n", o.slug.c_str(), o.plan.c_str());
            return 0;
        }
        if (t_plan_set->parsed()) {
            auth::Plan plan = host.auth().plans().find(o.plan).value_or(auth::Plan{o.plan, o.plan});
            if (!o.name.empty()) plan.name = o.name;
            auto set = [&](const char* key, std::int64_t& field) {
                if (o.plan_limits[key] >= 0) field = o.plan_limits[key];
            };
            set("users", plan.max_users);
            set("requests-per-minute", plan.requests_per_minute);
            set("records-per-plugin", plan.max_records_per_plugin);
            set("storage-mb", plan.max_storage_mb);
            set("scripts", plan.max_scripts);
            set("script-instructions", plan.script_instructions);
            set("script-memory-mb", plan.script_memory_mb);
            set("script-wall-ms", plan.script_wall_ms);
            host.auth().plans().save(plan);
            std::printf("plan %s saved (running hosts apply it within %lld s)\n", plan.id.c_str(),
                        static_cast<long long>(auth::PlanBook::kRefresh.count()));
            return 0;
        }
        if (t_plans->parsed()) {
            std::printf("%-14s %-14s %8s %10s %12s %10s %8s %12s %9s %8s\n", "ID", "NAME", "USERS", "REQ/MIN", "RECORDS",
                        "STORAGE_MB", "SCRIPTS", "SCRIPT_INSNS", "SCRIPT_MB", "SCRIPT_MS");
            for (const auto& p : host.auth().plans().all())
                std::printf("%-14s %-14s %8lld %10lld %12lld %10lld %8lld %12lld %9lld %8lld\n", p.id.c_str(), p.name.c_str(),
                            static_cast<long long>(p.max_users), static_cast<long long>(p.requests_per_minute),
                            static_cast<long long>(p.max_records_per_plugin), static_cast<long long>(p.max_storage_mb),
                            static_cast<long long>(p.max_scripts), static_cast<long long>(p.script_instructions),
                            static_cast<long long>(p.script_memory_mb), static_cast<long long>(p.script_wall_ms));
            return 0;
        }
        if (tk_create->parsed() || tk_revoke->parsed()) {
            auto t = host.directory().bySlug(o.tenant);
            if (!t) throw TenantError(TenantError::Kind::NotFound, "no tenant '" + o.tenant + "'");
            if (tk_revoke->parsed()) {
                if (!auth::revokeTokenById(host.auth(), host.tenants(), *t, o.token_id))
                    throw std::invalid_argument("no active token '" + o.token_id + "' in tenant " + o.tenant);
                std::printf("revoked %s\n", o.token_id.c_str());
                return 0;
            }
            auth::CliTokenRequest request;
            request.email = o.email;
            request.name = o.token_name;
            for (std::size_t pos = 0; pos < o.scopes.size();) {
                auto comma = o.scopes.find(',', pos);
                if (comma == std::string::npos) comma = o.scopes.size();
                if (comma > pos) request.scopes.push_back(o.scopes.substr(pos, comma - pos));
                pos = comma + 1;
            }
            if (o.expires_days != 0) request.expires_days = o.expires_days;
            std::printf("%s\n", auth::createTokenFor(host.auth(), host.tenants(), *t, request).c_str());
            return 0;
        }
        if (t_list->parsed()) {
            printTenants(host.directory().list(), o.json);
            return 0;
        }
        if (t_disable->parsed() || t_enable->parsed()) {
            host.tenants().setActive(o.slug, t_enable->parsed());
            if (auto t = host.directory().bySlug(o.slug))
                auth::auditOperatorAction(host.auth(), host.tenants(), *t,
                                          t_enable->parsed() ? "tenant.enabled" : "tenant.disabled", {});
            std::printf("tenant %s %s\n", o.slug.c_str(), t_enable->parsed() ? "enabled" : "disabled");
            return 0;
        }
        if (t_delete->parsed()) {
            if (!o.yes) {
                std::fprintf(stderr, "refusing to delete tenant '%s' and all of its data without --yes\n", o.slug.c_str());
                return 2;
            }
            host.tenants().remove(o.slug);
            std::printf("deleted tenant %s\n", o.slug.c_str());
            return 0;
        }
        if (t_domain->parsed()) {
            host.directory().addDomain(o.slug, o.domain);
            if (auto t = host.directory().bySlug(o.slug))
                auth::auditOperatorAction(host.auth(), host.tenants(), *t, "tenant.domain.added", {{"domain", o.domain}});
            std::printf("mapped %s to tenant %s\n", o.domain.c_str(), o.slug.c_str());
            return 0;
        }
        if (p_enable->parsed()) {
            host.tenants().enablePlugin(o.tenant, o.plugin);
            if (auto t = host.directory().bySlug(o.tenant))
                auth::auditOperatorAction(host.auth(), host.tenants(), *t, "tenant.plugin.enabled", {{"plugin", o.plugin}});
            std::printf("plugin %s enabled for %s (running servers apply it within a second)\n", o.plugin.c_str(),
                        o.tenant.c_str());
            return 0;
        }
        if (w_push->parsed()) return pushWorkflow(host, push);
        if (p_disable->parsed()) {
            host.tenants().disablePlugin(o.tenant, o.plugin);
            if (auto t = host.directory().bySlug(o.tenant))
                auth::auditOperatorAction(host.auth(), host.tenants(), *t, "tenant.plugin.disabled", {{"plugin", o.plugin}});
            std::printf("plugin %s disabled for %s (running servers apply it within a second)\n", o.plugin.c_str(),
                        o.tenant.c_str());
            return 0;
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "tessera: %s\n", e.what());
        return 1;
    }
    return 2;
}

}  // namespace tessera::host
