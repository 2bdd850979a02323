#include "app/host.hpp"

#include <csignal>
#include <cstdio>
#include <pthread.h>

#include <spdlog/spdlog.h>

#include "app/plugin_host_context.hpp"
#include "auth/access_policy.hpp"
#include "auth/auth_guard.hpp"
#include "auth/auth_module.hpp"
#include "core/master_key.hpp"
#include "http/http_server.hpp"
#include "http/idempotency.hpp"
#include "workflows/workflow_engine.hpp"
#include "auth/workflow_policy_impl.hpp"
#include "mail/mail_module.hpp"
#include "mail/mail_sender.hpp"
#include "workflows/workflows_module.hpp"

namespace tessera::host {

void prepareSignals() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    std::signal(SIGPIPE, SIG_IGN);
}

Host::Host(Config config) : config_(std::move(config)), mail_settings_(MailSettings::load(config_)) {
    // Before any database work: the tenant upgrade seals secrets, and a bad key must stop
    // the process here rather than surface at the first login.
    installMasterKey(loadMasterKey(config_));
    const auto url = DatabaseUrl::parse(config_.databaseUrl());
    pool_ = std::make_unique<ConnectionPool>(
        url, ConnectionPool::Limits{config_.max_open_connections, config_.connections_per_tenant, config_.pool_wait});
    {
        auto lease = pool_->acquireControl();
        MigrationRunner(lease.db()).apply({MigrationSet{"host", controlMigrations()}});
    }
    directory_ = std::make_unique<TenantDirectory>(*pool_);
    auth_ = std::make_unique<auth::AuthService>(auth::loadAuthSettings(config_), *pool_, registry_, mail_);
    builtins_.push_back(std::make_unique<auth::AuthModule>(*auth_));
    builtins_.push_back(std::make_unique<WorkflowsModule>());
    builtins_.push_back(std::make_unique<MailModule>());
    // Built-in modules declare first: plugins may then use their permissions.
    for (auto& module : builtins_) {
        PluginRegistrar registrar(module->id());
        module->declare(registrar);
        registry_.commit(registrar.take());
        registry_.markBuiltin(module->id());
    }
    plugins_ = std::make_unique<PluginManager>(registry_, config_.required_plugins);
    plugins_->load(config_.plugin_dir);
    tenants_ = std::make_unique<TenantService>(*pool_, *directory_, registry_, *plugins_, config_.default_plugins);
}

Host::~Host() = default;

int Host::serve() {
    refuseUnfinishedRotation(config_.data_dir);
    Executor executor(config_.workers);
    ScopeServices services{*pool_, *tenants_, registry_};
    services.mail = &mail_;
    auth::RoleAccessPolicy access_policy(*auth_, *tenants_);
    services.access = &access_policy;
    auth::AuthGuard guard(*auth_, *tenants_);
    // Tenant workflows: before hooks run inside writes, after hooks see every event.
    auth::AuthWorkflowPolicy workflow_policy(*auth_);
    WorkflowEngine workflows(config_, services, *directory_, registry_, workflow_policy);
    services.hooks = &workflows;
    EventBus events(services, executor);
    events.setObserver(&workflows);
    // Declared before the shutdown below, so the pool has run its last group when it goes.
    std::optional<GroupCommit> groups;
    if (pool_->engine() == sdk::Engine::Sqlite) groups.emplace(*pool_, *tenants_, executor);
    Dispatcher dispatcher(config_, services, *directory_, events, &guard, groups ? &*groups : nullptr);

    // Whatever way serve() ends, pool work finishes before plugin code is unloaded.
    struct Shutdown {
        Executor& executor;
        PluginManager& plugins;
        ~Shutdown() {
            executor.stop();
            plugins.stop();
        }
    } shutdown{executor, *plugins_};
    plugins_->start([&](const std::string& id) -> std::unique_ptr<sdk::HostContext> {
        return std::make_unique<PluginHostContext>(id, config_, executor, *directory_, services, events);
    });
    for (const auto& r : plugins_->records()) {
        if (r.state == PluginState::Active) spdlog::info("plugin {} {} active", r.id, r.version);
        else spdlog::warn("plugin {} refused: {}", r.id, r.reason);
    }
    // Runs call plugin code: they stop (below, first) before the plugins do.
    workflows.start(events);
    struct StopWorkflows {
        WorkflowEngine& engine;
        std::vector<std::unique_ptr<BuiltinModule>>& modules;
        ~StopWorkflows() {
            for (auto& m : modules)
                if (auto* w = dynamic_cast<WorkflowsModule*>(m.get())) w->attach(nullptr);
            engine.stop();
        }
    } stop_workflows{workflows, builtins_};
    for (auto& m : builtins_)
        if (auto* w = dynamic_cast<WorkflowsModule*>(m.get())) w->attach(&workflows);

    // Other processes (the CLI) change tenants; notice within a second.
    executor.every(std::chrono::seconds(1), [this] {
        try {
            directory_->refreshIfChanged();
        } catch (const std::exception& e) {
            spdlog::warn("tenant cache refresh failed: {}", e.what());
        }
    });

    // Stored Idempotency-Key answers outlive their replay window by an hour at most.
    executor.every(std::chrono::hours(1), [this] {
        for (const auto& rec : directory_->list()) {
            if (!rec.active()) continue;
            try {
                tenants_->ensureMigrated(rec);
                auto lease = pool_->acquire(rec.slug);
                purgeIdempotencyKeys(lease.db());
            } catch (const std::exception& e) {
                spdlog::warn("[host tenant={}] purging idempotency keys failed: {}", rec.slug, e.what());
            }
        }
    });

    MailSender mail_sender(mail_settings_, mail_, *directory_, *tenants_, *pool_);
    mail_sender.start(executor);

    HttpServer server(config_, executor,
                      [&](HttpRequest& r, std::function<void(HttpResponse)> reply) { dispatcher.handle(r, std::move(reply)); });
    server.start();
    const std::string host = config_.listen.substr(0, config_.listen.rfind(':'));
    std::printf("tessera listening on http://%s:%u\n", host.c_str(), static_cast<unsigned>(server.port()));
    std::fflush(stdout);

    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    int sig = 0;
    sigwait(&set, &sig);
    spdlog::info("received {}, shutting down", sig == SIGINT ? "SIGINT" : "SIGTERM");

    server.beginDrain();
    if (!server.waitIdle(config_.shutdown_grace)) spdlog::warn("in-flight requests did not finish in time");
    server.stop();
    spdlog::info("stopped");
    return 0;
}

}  // namespace tessera::host
