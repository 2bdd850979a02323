#include "workflows/workflow_engine.hpp"

#include <cctype>

#include <spdlog/spdlog.h>

#include "core/ids.hpp"
#include "workflows/cron.hpp"
#include "workflows/http_delivery.hpp"
#include "workflows/tenant_options.hpp"
#include "workflows/workflow_scope.hpp"
#include "workflows/workflow_store.hpp"

namespace tessera::host {
namespace {

constexpr std::size_t kMaxLogLines = 500;
constexpr std::size_t kMaxLogLineBytes = 2000;
constexpr auto kCacheFor = std::chrono::seconds(2);
constexpr auto kPruneEvery = std::chrono::hours(1);
constexpr auto kRunLogInterval = std::chrono::milliseconds(100);

bool endsWith(const std::string& s, const std::string& suffix) {
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool validEntryName(const std::string& s) {
    if (s.empty() || s.size() > 64 || std::isdigit(static_cast<unsigned char>(s[0]))) return false;
    for (char c : s)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) return false;
    return true;
}

// The `event` a script sees for a published event: its payload, its name and source,
// and `record` = the entity the event is about ("contact.updated" -> payload.contact).
sdk::Json scriptEvent(const sdk::Event& e) {
    sdk::Json j = e.payload.is_object() ? e.payload : sdk::Json{{"data", e.payload}};
    j["name"] = e.name;
    j["source"] = e.source;
    const std::string entity = e.name.substr(0, e.name.find('.'));
    if (!j.contains("record") && j.contains(entity) && j[entity].is_object()) j["record"] = j[entity];
    return j;
}

std::string str(const sdk::Json& j, const char* key) {
    auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : "";
}

std::int64_t unixNow() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace

WorkflowEngine::WorkflowEngine(const Config& config, ScopeServices services, TenantDirectory& directory,
                               const Registry& registry, const WorkflowPolicy& policy)
    : config_(config), settings_(WorkflowSettings::from(config)), services_(services), directory_(directory),
      registry_(registry), policy_(policy), run_log_(services, kRunLogInterval) {
    services_.hooks = this;
    sandboxes_ = std::make_unique<SandboxPool>(functionNames());
}

WorkflowEngine::~WorkflowEngine() { stop(); }

std::vector<std::string> WorkflowEngine::functionNames() const {
    std::vector<std::string> names{"now", "schedule", "email.send", "http.request"};
    for (const auto& [name, entry] : registry_.scriptFunctions()) names.push_back(name);
    return names;
}

void WorkflowEngine::start(EventBus& events) {
    events_ = &events;
    executor_ = std::make_unique<Executor>(settings_.workers);
    poll_timer_ = executor_->every(settings_.tick, [this] { poll(); });
    run_log_.start(*executor_);
}

void WorkflowEngine::stop() {
    if (stopped_.exchange(true) || !executor_) return;
    executor_->stop();
    run_log_.stop();
}

std::shared_ptr<const WorkflowEngine::CachedWorkflows> WorkflowEngine::workflowsOf(const TenantRecord& tenant) {
    const auto now = std::chrono::steady_clock::now();
    {
        std::lock_guard lock(cache_mutex_);
        auto it = cache_.find(tenant.slug);
        // Other processes (the CLI) change workflows too: entries expire after a moment.
        if (it != cache_.end() && now - it->second->loaded < kCacheFor) return it->second;
    }
    auto fresh = std::make_shared<CachedWorkflows>();
    fresh->loaded = now;
    services_.tenants.ensureMigrated(tenant);
    auto lease = services_.pool.acquire(tenant.slug);
    for (auto& wf : WorkflowStore(lease.db()).enabled()) {
        std::string error;
        if (auto trigger = Trigger::parse(wf.trigger, error)) fresh->enabled.emplace_back(std::move(wf), *trigger);
    }
    std::lock_guard lock(cache_mutex_);
    cache_[tenant.slug] = fresh;
    return fresh;
}

void WorkflowEngine::workflowsChanged(const TenantRecord& tenant, sdk::Database&) {
    std::lock_guard lock(cache_mutex_);
    cache_.erase(tenant.slug);
}

void WorkflowEngine::planCron(sdk::Database& db, const WorkflowRecord& wf, std::int64_t now_utc) {
    db.execute("DELETE FROM workflow_jobs WHERE workflow_id = ? AND kind = 'cron'", {wf.id});
    std::string error;
    auto trigger = Trigger::parse(wf.trigger, error);
    if (!wf.enabled || !trigger || trigger->kind != Trigger::Kind::Cron) return;
    auto schedule = CronSchedule::parse(trigger->cron, error);
    auto tz = TimeZone::load(tenantTimeZone(db));
    if (!tz) tz = TimeZone::load("UTC");
    auto next = schedule ? schedule->next(now_utc, *tz) : std::nullopt;
    if (!next) return;
    db.execute(
        "INSERT INTO workflow_jobs (id, workflow_id, kind, name, payload, due_at, status, created_at) VALUES (?, ?, "
        "'cron', '', 'null', ?, 'pending', ?)",
        {newRecordId("job_"), wf.id, isoTime(std::chrono::system_clock::from_time_t(*next)), isoNow()});
}

void WorkflowEngine::before(const TenantRecord& tenant, const sdk::Principal&, const std::string& event,
                            sdk::Json& record) {
    runBefore(tenant, event, record, 0);
}

void WorkflowEngine::runBefore(const TenantRecord& tenant, const std::string& event, sdk::Json& record, int depth) {
    auto workflows = workflowsOf(tenant);
    std::shared_ptr<const TenantRecord> shared;
    for (const auto& [wf, trigger] : workflows->enabled) {
        if (trigger.kind != Trigger::Kind::Before || trigger.event != event) continue;
        if (!shared) shared = directory_.bySlug(tenant.slug);
        if (!shared) return;
        if (depth > settings_.max_depth) {
            spdlog::warn("[workflows tenant={}] before hook '{}' skipped: workflow chain deeper than {} (loop guard)",
                         tenant.slug, wf.name, settings_.max_depth);
            continue;
        }
        RunRequest req;
        req.tenant = shared;
        req.workflow = wf;
        req.trigger = "before:" + event;
        req.event = {{"name", event}, {"record", record}};
        req.depth = depth;
        RunResult result = execute(req);
        if (result.outcome.skipped) continue;
        run_log_.add(shared, std::move(result.run));
        if (result.outcome.status != RunStatus::Ok)
            throw sdk::ApiError(422, "rejected_by_workflow",
                                result.outcome.error.empty() ? "rejected by workflow '" + wf.name + "'"
                                                             : result.outcome.error);
        if (result.outcome.event.contains("record") && result.outcome.event["record"].is_object())
            record = result.outcome.event["record"];
    }
}

void WorkflowEngine::onEvent(const std::shared_ptr<const TenantRecord>& tenant, const sdk::Event& event, int depth) {
    if (stopped_ || !executor_) return;
    try {
        auto workflows = workflowsOf(*tenant);
        for (const auto& [wf, trigger] : workflows->enabled) {
            if (trigger.kind != Trigger::Kind::After || trigger.event != event.name) continue;
            if (!trigger.fields.empty()) {
                const auto changes = event.payload.is_object() ? event.payload.value("changes", sdk::Json()) : sdk::Json();
                bool hit = false;
                if (changes.is_object())
                    for (const auto& f : trigger.fields) hit = hit || changes.contains(f);
                if (!hit) continue;
            }
            auto req = std::make_shared<RunRequest>();
            req->tenant = tenant;
            req->workflow = wf;
            req->trigger = event.name;
            req->event = scriptEvent(event);
            req->depth = depth;
            req->request_id = event.request_id;
            if (depth > settings_.max_depth) {
                RunRecord run;
                run.id = newSortableId("run_");
                run.workflow_id = wf.id;
                run.version = wf.version;
                run.trigger = event.name;
                run.status = "error";
                run.depth = depth;
                run.started_at = isoNow();
                run.error = "not run: workflow chain deeper than " + std::to_string(settings_.max_depth) +
                            " levels (loop guard)";
                run.event = req->event;
                spdlog::warn("[workflows tenant={}] '{}' on {} stopped by the loop guard at depth {}", tenant->slug,
                             wf.name, event.name, depth);
                run_log_.add(tenant, std::move(run));
                continue;
            }
            if (!post(tenant->slug, [this, req] {
                    RunResult result = execute(*req);
                    if (!result.outcome.skipped) run_log_.add(req->tenant, std::move(result.run));
                }))
                spdlog::warn("[workflows tenant={}] queue full: '{}' on {} dropped", tenant->slug, wf.name, event.name);
        }
    } catch (const std::exception& e) {
        spdlog::error("[workflows tenant={}] cannot start workflows for {}: {}", tenant->slug, event.name, e.what());
    }
}

std::future<RunResult> WorkflowEngine::enqueue(RunRequest request) {
    auto promise = std::make_shared<std::promise<RunResult>>();
    auto future = promise->get_future();
    auto req = std::make_shared<RunRequest>(std::move(request));
    const bool queued = !stopped_ && executor_ && post(req->tenant->slug, [this, req, promise] {
        try {
            RunResult result = execute(*req);
            if (!result.outcome.skipped && !req->dry_run) run_log_.add(req->tenant, result.run);
            promise->set_value(std::move(result));
        } catch (...) {
            promise->set_exception(std::current_exception());
        }
    });
    if (!queued)
        throw sdk::ApiError(429, "workflow_queue_full", "too many workflow runs are queued for this tenant; retry later");
    return future;
}

std::string WorkflowEngine::unknownTriggerEvent(const TenantRecord& tenant, const Trigger& trigger) const {
    return trigger.unknownEvent(registry_.publishedEvents(tenant.enabled_plugins),
                                registry_.beforeHooks(tenant.enabled_plugins));
}

std::optional<WorkflowEngine::RequestWait> WorkflowEngine::tryWaitForRun(const std::string& tenant) {
    std::lock_guard lock(queue_mutex_);
    if (!waiting_requests_.insert(tenant).second) return std::nullopt;
    return RequestWait(*this, tenant);
}

WorkflowEngine::RequestWait::~RequestWait() {
    if (!engine_) return;
    std::lock_guard lock(engine_->queue_mutex_);
    engine_->waiting_requests_.erase(tenant_);
}

bool WorkflowEngine::post(const std::string& tenant, std::function<void()> job) {
    std::lock_guard lock(queue_mutex_);
    auto& q = queues_[tenant];
    if (q.jobs.size() >= settings_.queue_per_tenant) return false;
    q.jobs.push_back(std::move(job));
    if (!q.active) {
        q.active = true;
        executor_->post([this, tenant] { drain(tenant); });
    }
    return true;
}

void WorkflowEngine::drain(const std::string& tenant) {
    std::function<void()> job;
    {
        std::lock_guard lock(queue_mutex_);
        auto& q = queues_[tenant];
        if (q.jobs.empty()) {
            q.active = false;
            return;
        }
        job = std::move(q.jobs.front());
        q.jobs.pop_front();
    }
    try {
        job();
    } catch (const std::exception& e) {
        spdlog::error("[workflows tenant={}] queued work failed: {}", tenant, e.what());
    } catch (...) {
        spdlog::error("[workflows tenant={}] queued work failed", tenant);
    }
    // One job per turn, then back of the pool's line: other tenants' runs interleave.
    std::lock_guard lock(queue_mutex_);
    auto& q = queues_[tenant];
    if (q.jobs.empty()) q.active = false;
    else executor_->post([this, tenant] { drain(tenant); });
}

RunResult WorkflowEngine::execute(const RunRequest& req) {
    RunResult result;
    const auto& wf = req.workflow;
    RunRecord& run = result.run;
    run.id = newSortableId("run_");
    run.workflow_id = wf.id;
    run.version = wf.version;
    run.trigger = req.trigger;
    run.late = req.late;
    run.depth = req.depth;
    run.started_at = isoNow();
    run.event = req.event;

    sdk::Principal principal{"workflow:" + wf.id, "system", "workflow " + wf.name + " (" + wf.run_as + ")"};
    const int depth = req.depth;
    WorkflowScope scope(services_, req.tenant, principal, req.request_id.empty() ? run.id : req.request_id,
                        [this, depth](const TenantRecord& t, const sdk::Principal&, const std::string& ev,
                                      sdk::Json& rec) { runBefore(t, ev, rec, depth + 1); },
                        [this, &req](const std::string& resource) {
                            return policy_.access(*req.tenant, req.workflow.run_as, resource);
                        });
    if (req.dry_run) scope.db().begin();
    const HostDispatch dispatch = [&](const std::string& name, const sdk::Json& args) {
        return hostCall(req, scope, result, name, args);
    };
    const sdk::Json info = {{"id", wf.id},           {"name", wf.name},   {"version", wf.version},
                            {"trigger", wf.trigger}, {"run_as", wf.run_as}, {"run_id", run.id},
                            {"dry_run", req.dry_run}, {"late", req.late}};
    {
        auto box = sandboxes_->acquire(req.tenant->slug);
        result.outcome = box->run({wf.id + ":" + std::to_string(wf.version), wf.source, wf.condition}, req.event, info,
                                  req.entry, req.entry_arg, policy_.limits(*req.tenant, settings_.limits), dispatch);
    }
    if (req.dry_run) {
        try {
            scope.db().rollback();
        } catch (const std::exception& e) {
            spdlog::warn("[workflows tenant={}] dry run rollback: {}", req.tenant->slug, e.what());
        }
    }
    for (const auto& e : scope.pendingEvents()) result.events.push_back({{"name", e.name}, {"payload", e.payload}});
    auto published = scope.takeEvents();
    if (!req.dry_run && events_ && !published.empty()) events_->dispatch(req.tenant, std::move(published), depth + 1);

    const auto& o = result.outcome;
    run.status = o.skipped ? "skipped" : runStatusName(o.status);
    run.duration_us = o.duration.count();
    run.instructions = static_cast<std::int64_t>(o.instructions);
    run.memory_bytes = static_cast<std::int64_t>(o.memory_peak);
    // Errors raised through nested coroutines repeat their location once per level.
    run.error = o.error.size() > 2000 ? o.error.substr(0, 2000) + "…" : o.error;
    run.error_line = o.error_line;
    if (o.status != RunStatus::Ok)
        spdlog::info("[workflows tenant={}] run {} of '{}' ended {}: {}", req.tenant->slug, run.id, wf.name,
                     run.status, o.error);
    return result;
}

sdk::Json WorkflowEngine::hostCall(const RunRequest& req, WorkflowScope& scope, RunResult& result,
                                   const std::string& name, const sdk::Json& args) {
    const auto& wf = req.workflow;
    auto& logs = result.run.logs;
    if (name == "log") {
        if (logs.size() < kMaxLogLines) {
            std::string message = args.size() > 1 && args[1].is_string() ? args[1].get<std::string>() : "";
            if (message.size() > kMaxLogLineBytes) message = message.substr(0, kMaxLogLineBytes) + "…";
            logs.push_back({{"level", args[0]}, {"message", message}, {"at", isoNow()}});
        } else if (logs.size() == kMaxLogLines) {
            logs.push_back({{"level", "warn"}, {"message", "further log lines dropped"}, {"at", isoNow()}});
        }
        return nullptr;
    }
    if (name == "now") return isoNow();
    if (name == "schedule") {
        // crm.schedule(after_seconds, name, payload) or crm.schedule{after=..., name=..., payload=...}
        sdk::Json after, entry, payload;
        if (args.is_array()) {
            after = args.size() > 0 ? args[0] : sdk::Json();
            entry = args.size() > 1 ? args[1] : sdk::Json();
            payload = args.size() > 2 ? args[2] : sdk::Json();
        } else if (args.is_object()) {
            after = args.value("after", sdk::Json());
            entry = args.value("name", sdk::Json());
            payload = args.value("payload", sdk::Json());
        }
        if (!after.is_number() || after.get<double>() < 0 || after.get<double>() > 366.0 * 86400)
            throw ScriptFailure("crm.schedule: after_seconds must be a number from 0 to 31622400");
        if (!entry.is_string() || !validEntryName(entry.get<std::string>()))
            throw ScriptFailure("crm.schedule: name must be the name of a function of this script");
        const std::string dump = payload.dump(-1, ' ', false, sdk::Json::error_handler_t::replace);
        if (dump.size() > 64 * 1024) throw ScriptFailure("crm.schedule: payload larger than 64 KiB");
        const auto due = std::chrono::system_clock::now() +
                         std::chrono::milliseconds(static_cast<std::int64_t>(after.get<double>() * 1000));
        const std::string id = newRecordId("job_");
        scope.db().execute(
            "INSERT INTO workflow_jobs (id, workflow_id, kind, name, payload, due_at, status, created_at) VALUES (?, "
            "?, 'delay', ?, ?, ?, 'pending', ?)",
            {id, wf.id, entry.get<std::string>(), dump, isoTime(due), isoNow()});
        result.actions.push_back(
            {{"type", "schedule"}, {"id", id}, {"name", entry}, {"due_at", isoTime(due)}, {"payload", payload}});
        return id;
    }
    if (name == "email.send") {
        if (!args.is_object()) throw ScriptFailure("crm.email.send expects a table {to, subject, body | template}");
        OutgoingMail mail;
        mail.kind = "workflow";
        mail.to = str(args, "to");
        mail.subject = str(args, "subject");
        mail.body = str(args, "body");
        mail.template_name = str(args, "template");
        mail.data = args.value("data", sdk::Json::object());
        mail.source = "workflow:" + wf.id;
        if (auto problem = mailProblem(mail); !problem.empty()) throw ScriptFailure("crm.email.send: " + problem);
        if (!services_.mail) throw ScriptFailure("crm.email.send: mail is not available in this process");
        const std::string id = services_.mail->enqueue(scope.db(), req.tenant->slug, mail);
        sdk::Json action = {{"type", "email"}, {"id", id}, {"to", mail.to}, {"subject", mail.subject}};
        if (!mail.template_name.empty()) action["template"] = mail.template_name;
        else action["body"] = mail.body;
        result.actions.push_back(action);
        return id;
    }
    if (name == "http.request") {
        if (!args.is_object()) throw ScriptFailure("crm.http.request expects a table {method, url, headers, body}");
        std::string method = str(args, "method");
        if (method.empty()) method = "POST";
        for (auto& c : method) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        if (method != "GET" && method != "POST" && method != "PUT" && method != "PATCH" && method != "DELETE")
            throw ScriptFailure("crm.http.request: method must be GET, POST, PUT, PATCH or DELETE");
        const std::string url = str(args, "url");
        if (const auto problem = checkRequestUrl(url, httpAllowlist(scope.db())); !problem.empty())
            throw ScriptFailure("crm.http.request: " + problem);
        sdk::Json headers = sdk::Json::object();
        if (args.contains("headers")) {
            if (!args["headers"].is_object()) throw ScriptFailure("crm.http.request: headers must be a table of strings");
            for (const auto& [k, v] : args["headers"].items()) {
                if (!v.is_string() || k.empty() || k.find_first_of(":\r\n ") != std::string::npos ||
                    v.get<std::string>().find_first_of("\r\n") != std::string::npos)
                    throw ScriptFailure("crm.http.request: header '" + k + "' is not a valid header");
                headers[k] = v;
            }
        }
        std::string body;
        if (args.contains("body")) {
            if (args["body"].is_string()) {
                body = args["body"].get<std::string>();
            } else {
                body = args["body"].dump(-1, ' ', false, sdk::Json::error_handler_t::replace);
                if (!headers.contains("Content-Type")) headers["Content-Type"] = "application/json";
            }
        }
        if (body.size() > 256 * 1024) throw ScriptFailure("crm.http.request: body larger than 256 KiB");
        const std::string callback = str(args, "callback");
        if (!callback.empty() && !validEntryName(callback))
            throw ScriptFailure("crm.http.request: callback must be the name of a function of this script");
        const std::string id = newRecordId("http_");
        const std::string now = isoNow();
        scope.db().execute(
            "INSERT INTO workflow_http_outbox (id, workflow_id, run_id, method, url, headers, body, callback, status, "
            "attempts, next_attempt_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?, ?)",
            {id, wf.id, result.run.id, method, url, headers.dump(), body, callback, now, now, now});
        result.actions.push_back({{"type", "http"}, {"id", id}, {"method", method}, {"url", url}, {"body", body}});
        return id;
    }

    const auto& functions = registry_.scriptFunctions();
    auto it = functions.find(name);
    if (it == functions.end()) throw ScriptFailure("crm." + name + " does not exist");
    const auto& entry = it->second;
    if (!registry_.enabledFor(entry.plugin, req.tenant->enabled_plugins))
        throw ScriptFailure("crm." + name + " is not available: plugin '" + entry.plugin +
                            "' is not enabled for this tenant");
    if (!policy_.allows(*req.tenant, wf.run_as, entry.permission))
        throw ScriptFailure("permission denied: crm." + name + " needs '" + entry.permission + "', which role '" +
                            wf.run_as + "' does not have");
    scope.actAs(entry.plugin);
    sdk::Json out;
    try {
        out = entry.fn(args, scope);
    } catch (const sdk::ApiError& e) {
        scope.actAs("workflows");
        std::string message = e.message();
        if (!e.fields().empty()) message += " " + e.fields().dump();
        throw ScriptFailure(message);
    } catch (const std::exception& e) {
        scope.actAs("workflows");
        spdlog::error("[workflows tenant={}] crm.{} ({}) threw: {}", req.tenant->slug, name, entry.plugin, e.what());
        throw ScriptFailure("crm." + name + " failed: internal error");
    }
    scope.actAs("workflows");
    if (!endsWith(entry.permission, ".read"))
        result.changes.push_back({{"function", name}, {"args", args}, {"result", out}});
    return out;
}

void WorkflowEngine::poll() {
    if (stopped_ || polling_.exchange(true)) return;
    try {
        for (const auto& t : directory_.list()) {
            if (!t.active()) continue;
            auto tenant = directory_.bySlug(t.slug);
            if (!tenant) continue;
            try {
                pollTenant(tenant);
            } catch (const std::exception& e) {
                spdlog::warn("[workflows tenant={}] scheduler: {}", t.slug, e.what());
            }
        }
    } catch (const std::exception& e) {
        spdlog::warn("[workflows] scheduler: {}", e.what());
    }
    polling_ = false;
}

void WorkflowEngine::pollTenant(const std::shared_ptr<const TenantRecord>& tenant) {
    services_.tenants.ensureMigrated(*tenant);
    auto lease = services_.pool.acquire(tenant->slug);
    auto& db = lease.db();
    const auto now = std::chrono::system_clock::now();
    const std::string now_iso = isoTime(now);
    {
        std::lock_guard lock(poll_mutex_);
        if (!recovered_[tenant->slug]) {
            // Deliveries cut off by the last stop go out again (at least once).
            db.execute("UPDATE workflow_http_outbox SET status = 'pending' WHERE status = 'sending'");
            recovered_[tenant->slug] = true;
        }
    }
    WorkflowStore store(db);
    for (const auto& row : db.query(
             "SELECT id, workflow_id, kind, name, payload, due_at FROM workflow_jobs WHERE status = 'pending' AND "
             "due_at <= ? ORDER BY due_at LIMIT 100",
             {now_iso})) {
        const std::string id = row["id"].asText(), kind = row["kind"].asText(), due = row["due_at"].asText();
        auto wf = store.get(row["workflow_id"].asText());
        bool claimed = false;
        if (kind == "cron") {
            std::string error;
            auto trigger = wf ? Trigger::parse(wf->trigger, error) : std::nullopt;
            auto schedule = trigger && trigger->kind == Trigger::Kind::Cron ? CronSchedule::parse(trigger->cron, error)
                                                                             : std::nullopt;
            auto tz = TimeZone::load(tenantTimeZone(db));
            if (!tz) tz = TimeZone::load("UTC");
            auto next = schedule ? schedule->next(unixNow(), *tz) : std::nullopt;
            if (!wf || !wf->enabled || !next) {
                db.execute("DELETE FROM workflow_jobs WHERE id = ?", {id});
                continue;
            }
            // Moving due_at forward claims this occurrence; missed ones collapse into one run.
            claimed = db.execute("UPDATE workflow_jobs SET due_at = ? WHERE id = ? AND status = 'pending' AND due_at = ?",
                                 {isoTime(std::chrono::system_clock::from_time_t(*next)), id, due}) == 1;
        } else {
            claimed = db.execute("DELETE FROM workflow_jobs WHERE id = ? AND status = 'pending'", {id}) == 1;
        }
        if (!claimed || !wf || !wf->enabled) continue;
        const auto due_time = parseIsoTime(due);
        auto req = std::make_shared<RunRequest>();
        req->tenant = tenant;
        req->workflow = *wf;
        req->late = due_time && now - *due_time > settings_.late_after;
        req->trigger = kind == "cron" ? "cron" : "schedule:" + row["name"].asText();
        sdk::Json payload = sdk::parseJson(row["payload"].asText());
        if (payload.is_discarded()) payload = nullptr;
        req->event = {{"name", kind == "cron" ? "cron" : "schedule"}, {"due_at", due}, {"late", req->late}};
        if (kind != "cron") {
            req->entry = row["name"].asText();
            req->entry_arg = payload;
            req->event["payload"] = payload;
        }
        if (!post(tenant->slug, [this, req] {
                RunResult result = execute(*req);
                if (!result.outcome.skipped) run_log_.add(req->tenant, std::move(result.run));
            }))
            spdlog::warn("[workflows tenant={}] queue full: scheduled run of '{}' dropped", tenant->slug, wf->name);
    }

    for (const auto& row : db.query(
             "SELECT id FROM workflow_http_outbox WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY "
             "next_attempt_at LIMIT 20",
             {now_iso})) {
        const std::string id = row["id"].asText();
        if (db.execute("UPDATE workflow_http_outbox SET status = 'sending', updated_at = ? WHERE id = ? AND status = "
                       "'pending'",
                       {now_iso, id}) != 1)
            continue;
        if (!post(tenant->slug, [this, tenant, id] { deliverHttp(tenant, id); }))
            db.execute("UPDATE workflow_http_outbox SET status = 'pending' WHERE id = ?", {id});
    }

    bool prune = false;
    {
        std::lock_guard lock(poll_mutex_);
        auto& at = pruned_at_[tenant->slug];
        if (at == std::chrono::steady_clock::time_point{} || std::chrono::steady_clock::now() - at > kPruneEvery) {
            at = std::chrono::steady_clock::now();
            prune = true;
        }
    }
    if (prune) {
        const std::string cutoff = isoTime(now - std::chrono::hours(24) * settings_.retention_days);
        const auto runs = store.pruneRuns(cutoff);
        db.execute("DELETE FROM workflow_http_outbox WHERE status IN ('delivered', 'failed') AND updated_at < ?",
                   {cutoff});
        if (runs > 0) spdlog::info("[workflows tenant={}] pruned {} runs older than {}", tenant->slug, runs, cutoff);
    }
}

void WorkflowEngine::deliverHttp(const std::shared_ptr<const TenantRecord>& tenant, const std::string& id) {
    OutgoingRequest request;
    std::string secret, callback, workflow_id;
    std::int64_t attempts = 0;
    std::string check;
    {
        auto lease = services_.pool.acquire(tenant->slug);
        auto& db = lease.db();
        auto row = db.queryOne(
            "SELECT id, workflow_id, method, url, headers, body, callback, attempts FROM workflow_http_outbox WHERE id "
            "= ?",
            {id});
        if (!row) return;
        request.id = id;
        request.method = (*row)["method"].asText();
        request.url = (*row)["url"].asText();
        request.body = (*row)["body"].asText();
        request.headers = sdk::parseJson((*row)["headers"].asText());
        if (!request.headers.is_object()) request.headers = sdk::Json::object();
        callback = (*row)["callback"].asText();
        workflow_id = (*row)["workflow_id"].asText();
        attempts = (*row)["attempts"].asInt() + 1;
        secret = webhookSecret(db);
        check = checkRequestUrl(request.url, httpAllowlist(db));
    }
    // No database connection is held while the network call runs.
    DeliveryResult result;
    if (!check.empty()) {
        result.retryable = false;
        result.error = check;
    } else {
        result = deliver(request, secret, settings_.http_timeout, settings_.allow_private_network);
    }
    const bool ok = result.sent && result.status < 400;
    const bool final = ok || !result.retryable || attempts >= settings_.http_max_attempts;
    const std::string status = ok ? "delivered" : final ? "failed" : "pending";
    const auto next = std::chrono::system_clock::now() +
                      settings_.http_backoff * (1LL << std::min<std::int64_t>(attempts - 1, 20));
    auto lease = services_.pool.acquire(tenant->slug);
    auto& db = lease.db();
    db.execute(
        "UPDATE workflow_http_outbox SET status = ?, attempts = ?, next_attempt_at = ?, last_error = ?, "
        "response_status = ?, response_body = ?, updated_at = ? WHERE id = ?",
        {status, attempts, isoTime(next), result.error.empty() ? sdk::Value() : sdk::Value(result.error),
         result.sent ? sdk::Value(static_cast<std::int64_t>(result.status)) : sdk::Value(),
         result.sent ? sdk::Value(result.body) : sdk::Value(), isoNow(), id});
    if (!final) return;
    if (!ok)
        spdlog::warn("[workflows tenant={}] HTTP request {} to {} failed after {} attempt(s): {}", tenant->slug, id,
                     request.url, attempts, result.error);
    if (callback.empty()) return;
    auto wf = WorkflowStore(db).get(workflow_id);
    if (!wf || !wf->enabled) return;
    auto req = std::make_shared<RunRequest>();
    req->tenant = tenant;
    req->workflow = *wf;
    req->trigger = "http.response";
    req->entry = callback;
    req->entry_arg = {{"id", id},
                      {"url", request.url},
                      {"ok", ok},
                      {"status", result.sent ? sdk::Json(result.status) : sdk::Json()},
                      {"body", result.sent ? sdk::Json(result.body) : sdk::Json()},
                      {"error", result.error.empty() ? sdk::Json() : sdk::Json(result.error)},
                      {"attempts", attempts}};
    req->event = {{"name", "http.response"}, {"response", req->entry_arg}};
    post(tenant->slug, [this, req] {
        RunResult r = execute(*req);
        if (!r.outcome.skipped) run_log_.add(req->tenant, std::move(r.run));
    });
}

}  // namespace tessera::host
