#pragma once
// Runs tenant workflows: before hooks synchronously inside writes (WriteHooks), after
// hooks from every published event (EventObserver), cron and crm.schedule jobs and the
// HTTP outbox from a poller, manual runs and dry runs for the API. Asynchronous runs go
// through per-tenant queues onto a worker pool of its own: one run per tenant at a time
// and a bounded queue, so a tenant that floods triggers waits for itself only.

#include <atomic>
#include <chrono>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <deque>
#include <vector>

#include "config/config.hpp"
#include "core/executor.hpp"
#include "events/event_bus.hpp"
#include "scripting/lua_sandbox.hpp"
#include "tenants/scope_policies.hpp"
#include "tenants/tenant_scope.hpp"
#include "workflows/workflow_policy.hpp"
#include "workflows/run_log.hpp"
#include "workflows/trigger.hpp"
#include "workflows/workflow_settings.hpp"
#include "workflows/workflow_types.hpp"

namespace tessera::host {

class WorkflowScope;

// What a run is asked to do.
struct RunRequest {
    std::shared_ptr<const TenantRecord> tenant;
    WorkflowRecord workflow;
    std::string trigger;  // recorded in the run log
    sdk::Json event = sdk::Json::object();
    std::string entry;    // a global function to call after the chunk ("" = none)
    sdk::Json entry_arg;
    bool late = false;
    int depth = 0;
    std::string request_id;
    bool dry_run = false;
};

struct RunResult {
    RunRecord run;
    RunOutcome outcome;
    sdk::Json changes = sdk::Json::array();  // crm.* calls that write
    sdk::Json actions = sdk::Json::array();  // http requests, e-mails, schedules
    sdk::Json events = sdk::Json::array();   // events the run's writes published
};

class WorkflowEngine final : public WriteHooks, public EventObserver {
public:
    WorkflowEngine(const Config& config, ScopeServices services, TenantDirectory& directory, const Registry& registry,
                   const WorkflowPolicy& policy);
    ~WorkflowEngine() override;

    // Starts the worker pool and the poller; `events` delivers what runs publish.
    void start(EventBus& events);
    // Stops polling, lets queued runs finish and joins the workers. Idempotent.
    void stop();

    void before(const TenantRecord& tenant, const sdk::Principal& principal, const std::string& event,
                sdk::Json& record) override;
    void onEvent(const std::shared_ptr<const TenantRecord>& tenant, const sdk::Event& event, int depth) override;

    // Runs on the calling thread (dry runs) — no queue, no run log row when dry.
    RunResult execute(const RunRequest& request);
    // Queues a run on the tenant's queue; the future has its result. Throws
    // sdk::ApiError 429 when the tenant's queue is full.
    std::future<RunResult> enqueue(RunRequest request);

    // An HTTP worker waiting for one of the tenant's runs; released when destroyed.
    class RequestWait {
    public:
        RequestWait(WorkflowEngine& engine, std::string tenant) : engine_(&engine), tenant_(std::move(tenant)) {}
        RequestWait(RequestWait&& other) noexcept : engine_(std::exchange(other.engine_, nullptr)), tenant_(std::move(other.tenant_)) {}
        RequestWait(const RequestWait&) = delete;
        RequestWait& operator=(const RequestWait&) = delete;
        RequestWait& operator=(RequestWait&&) = delete;
        ~RequestWait();

    private:
        WorkflowEngine* engine_;
        std::string tenant_;
    };
    // At most one request per tenant may wait for a run at a time: a tenant's scripts can
    // hold one HTTP worker, never every one (manual runs of a slow script used to). Nullopt
    // when one waits already.
    std::optional<RequestWait> tryWaitForRun(const std::string& tenant);

    // "" when `trigger` names an event of a plugin the tenant has enabled, else the problem.
    std::string unknownTriggerEvent(const TenantRecord& tenant, const Trigger& trigger) const;

    // After any change to a tenant's workflows: drops the cache, re-plans cron jobs.
    void workflowsChanged(const TenantRecord& tenant, sdk::Database& db);

    const WorkflowSettings& settings() const { return settings_; }
    std::shared_ptr<const TenantRecord> tenantRecord(const std::string& slug) { return directory_.bySlug(slug); }
    const WorkflowPolicy& policy() const { return policy_; }
    // Names of the crm.* functions every sandbox offers (host ones and plugins').
    std::vector<std::string> functionNames() const;

    // Writes the tenant's finished runs that still wait for the next run log batch;
    // readers of the run log call it first.
    void flushRunLog(const std::string& tenant) { run_log_.flush(tenant); }

    // Re-plans the cron job of one workflow in `db` (none when disabled or not cron).
    static void planCron(sdk::Database& db, const WorkflowRecord& workflow, std::int64_t now_utc);

private:
    struct TenantQueue {
        std::deque<std::function<void()>> jobs;
        bool active = false;
    };
    struct CachedWorkflows {
        std::chrono::steady_clock::time_point loaded;
        std::vector<std::pair<WorkflowRecord, Trigger>> enabled;
    };

    std::shared_ptr<const CachedWorkflows> workflowsOf(const TenantRecord& tenant);
    void runBefore(const TenantRecord& tenant, const std::string& event, sdk::Json& record, int depth);
    bool post(const std::string& tenant, std::function<void()> job);
    void drain(const std::string& tenant);
    void poll();
    void pollTenant(const std::shared_ptr<const TenantRecord>& tenant);
    void deliverHttp(const std::shared_ptr<const TenantRecord>& tenant, const std::string& id);
    sdk::Json hostCall(const RunRequest& request, WorkflowScope& scope, RunResult& result, const std::string& name,
                       const sdk::Json& args);

    const Config& config_;
    WorkflowSettings settings_;
    ScopeServices services_;
    TenantDirectory& directory_;
    const Registry& registry_;
    const WorkflowPolicy& policy_;
    std::unique_ptr<SandboxPool> sandboxes_;
    RunLog run_log_;
    std::unique_ptr<Executor> executor_;
    EventBus* events_ = nullptr;
    std::uint64_t poll_timer_ = 0;
    std::atomic<bool> polling_{false};
    std::atomic<bool> stopped_{false};

    std::mutex queue_mutex_;
    std::unordered_map<std::string, TenantQueue> queues_;
    std::unordered_set<std::string> waiting_requests_;  // under queue_mutex_

    std::mutex cache_mutex_;
    std::unordered_map<std::string, std::shared_ptr<const CachedWorkflows>> cache_;

    std::mutex poll_mutex_;
    std::map<std::string, std::chrono::steady_clock::time_point> pruned_at_;
    std::map<std::string, bool> recovered_;
};

}  // namespace tessera::host
