#include "workflows/workflows_module.hpp"

#include <chrono>
#include <set>

#include <tessera/sdk/rest/rows.hpp>
#include <tessera/sdk/rest/validation.hpp>

#include "scripting/lua_sandbox.hpp"
#include "workflows/cron.hpp"
#include "workflows/tenant_options.hpp"
#include "workflows/workflow_engine.hpp"
#include "workflows/workflow_store.hpp"

namespace tessera::host {
namespace {

using sdk::ApiError;
using sdk::Json;
using sdk::rest::BodyReader;
using sdk::rest::FieldErrors;

constexpr std::size_t kMaxSourceCharacters = 256 * 1024;

std::int64_t unixNow() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

Json parseBody(const sdk::Request& req) {
    if (req.body.empty()) return Json::object();
    return sdk::parseJsonObject(req);
}

// Validates the fields of `body` present on top of `base`; every problem at once.
WorkflowDraft draftFrom(const Json& body, WorkflowDraft base, bool creating, WorkflowEngine& engine,
                        const TenantRecord& tenant) {
    FieldErrors errors;
    BodyReader in(body, {"name", "trigger", "condition", "source", "run_as", "enabled", "note"}, errors);
    // A required text must be given on create and may not be cleared; an optional one is cleared by null.
    auto text = [&](const char* key, std::string& out, std::size_t max, bool required) {
        if (in.isNull(key) && !required) out.clear();
        else if (auto v = in.text(key, max, required && (creating || in.has(key)))) out = *v;
    };
    text("name", base.name, 100, true);
    text("trigger", base.trigger, 300, true);
    text("condition", base.condition, 2000, false);
    text("source", base.source, kMaxSourceCharacters, true);
    text("run_as", base.run_as, 64, false);
    text("note", base.note, 500, false);
    if (auto enabled = in.boolean("enabled", in.has("enabled"))) base.enabled = *enabled;
    if (base.run_as.empty()) base.run_as = "admin";
    if (!errors.has("trigger") && !base.trigger.empty()) {
        std::string problem;
        if (const auto trigger = Trigger::parse(base.trigger, problem))
            problem = engine.unknownTriggerEvent(tenant, *trigger);
        if (!problem.empty()) errors.add("trigger", problem);
    }
    if (!errors.has("source") && !base.source.empty()) {
        if (auto problem = LuaSandbox::checkSyntax(base.source); !problem.empty()) errors.add("source", problem);
    }
    if (!errors.has("condition") && !base.condition.empty()) {
        if (auto problem = LuaSandbox::checkSyntax("return (" + base.condition + "\n)"); !problem.empty())
            errors.add("condition", problem);
    }
    // Never "owner": a workflow must not be able to manage roles, and whoever may manage
    // workflows (owner and admin) must not gain that through one.
    if (!errors.has("run_as") && !engine.policy().knownRole(tenant, base.run_as))
        errors.add("run_as", "unknown role '" + base.run_as + "' (admin, member, readonly or a custom role's id; never owner)");
    if (!errors.empty()) throw ApiError(422, "validation_failed", "the workflow is not valid", errors.json());
    return base;
}

WorkflowDraft draftOf(const WorkflowRecord& w) {
    return {w.name, w.trigger, w.condition, w.source, w.run_as, w.enabled, ""};
}

WorkflowRecord requireWorkflow(WorkflowStore& store, const std::string& id) {
    auto wf = store.get(id);
    if (!wf) throw ApiError(404, "workflow_not_found", "no workflow with id '" + id + "'");
    return *wf;
}

int intParam(const sdk::Request& req, const char* name, int fallback, int lo, int hi) {
    auto v = req.queryParam(name);
    if (!v) return fallback;
    try {
        std::size_t used = 0;
        const int n = std::stoi(*v, &used);
        if (used == v->size() && n >= lo && n <= hi) return n;
    } catch (...) {
    }
    throw ApiError(400, "invalid_parameter", std::string(name) + " must be an integer from " + std::to_string(lo) +
                                                 " to " + std::to_string(hi),
                   {{name, "invalid"}});
}

Json runResultJson(const RunResult& r, bool dry) {
    Json j = r.run.toJson();
    j["skipped"] = r.outcome.skipped;
    if (dry) {
        j.erase("id");
        j["dry_run"] = true;
        j["changes"] = r.changes;
        j["actions"] = r.actions;
        j["events"] = r.events;
        if (r.outcome.event.is_object() && r.outcome.event.contains("record")) j["record"] = r.outcome.event["record"];
    }
    return j;
}

}  // namespace

WorkflowEngine& WorkflowsModule::engine() const {
    auto* e = engine_.load();
    if (!e) throw ApiError(503, "workflows_unavailable", "the workflow engine is not running");
    return *e;
}

void WorkflowsModule::declare(sdk::Registrar& r) {
    using M = sdk::Method;
    r.permission("workflows.read", "Read workflows, their versions, runs, jobs and outgoing requests");
    // "manage", not "write": the member role gets every plugin's write, and a workflow acts
    // with the role it is given, so only owners and admins may manage them.
    r.permission("workflows.manage",
                 "Create, change, enable, test and run workflows (they act with the role they are given)");

    auto changed = [this](sdk::TenantScope& scope, const WorkflowRecord& wf) {
        auto& e = engine();
        WorkflowEngine::planCron(scope.db(), wf, unixNow());
        if (auto t = e.tenantRecord(scope.tenant().slug)) e.workflowsChanged(*t, scope.db());
    };
    auto tenantOf = [this](sdk::TenantScope& scope) {
        auto t = engine().tenantRecord(scope.tenant().slug);
        if (!t) throw ApiError(404, "tenant_not_found", "no such tenant");
        return t;
    };

    r.route({.method = M::Get, .path = "/api/v1/workflows", .permission = "workflows.read",
             .handler = [](const sdk::Request& req, sdk::TenantScope& scope) {
                 const bool with_source = req.queryParam("include").value_or("") == "source";
                 Json data = Json::array();
                 for (const auto& w : WorkflowStore(scope.db()).list()) data.push_back(w.toJson(with_source));
                 return sdk::Response::json({{"data", data}});
             }});
    r.route({.method = M::Post, .path = "/api/v1/workflows", .permission = "workflows.manage",
             .handler = [this, changed, tenantOf](const sdk::Request& req, sdk::TenantScope& scope) {
                 auto tenant = tenantOf(scope);
                 auto draft = draftFrom(parseBody(req), {}, true, engine(), *tenant);
                 WorkflowStore store(scope.db());
                 engine().policy().requireScriptAllowance(*tenant, store.count());
                 auto wf = store.create(draft, scope.principal().id);
                 changed(scope, wf);
                 return sdk::Response::json(wf.toJson(), 201);
             }});
    r.route({.method = M::Get, .path = "/api/v1/workflows/{id}", .permission = "workflows.read",
             .handler = [](const sdk::Request& req, sdk::TenantScope& scope) {
                 WorkflowStore store(scope.db());
                 return sdk::Response::json(requireWorkflow(store, req.param("id")).toJson());
             }});
    r.route({.method = M::Patch, .path = "/api/v1/workflows/{id}", .permission = "workflows.manage",
             .handler = [this, changed, tenantOf](const sdk::Request& req, sdk::TenantScope& scope) {
                 auto tenant = tenantOf(scope);
                 WorkflowStore store(scope.db());
                 auto current = requireWorkflow(store, req.param("id"));
                 auto draft = draftFrom(parseBody(req), draftOf(current), false, engine(), *tenant);
                 auto wf = store.update(current, draft, scope.principal().id);
                 changed(scope, wf);
                 return sdk::Response::json(wf.toJson());
             }});
    r.route({.method = M::Delete, .path = "/api/v1/workflows/{id}", .permission = "workflows.manage",
             .handler = [this](const sdk::Request& req, sdk::TenantScope& scope) {
                 WorkflowStore store(scope.db());
                 auto wf = requireWorkflow(store, req.param("id"));
                 store.remove(wf.id);
                 auto& e = engine();
                 if (auto t = e.tenantRecord(scope.tenant().slug)) e.workflowsChanged(*t, scope.db());
                 return sdk::Response::empty();
             }});
    r.route({.method = M::Get, .path = "/api/v1/workflows/{id}/versions", .permission = "workflows.read",
             .handler = [](const sdk::Request& req, sdk::TenantScope& scope) {
                 WorkflowStore store(scope.db());
                 auto wf = requireWorkflow(store, req.param("id"));
                 return sdk::Response::json({{"data", store.versions(wf.id)}});
             }});
    r.route({.method = M::Post, .path = "/api/v1/workflows/{id}/rollback", .permission = "workflows.manage",
             .handler = [changed](const sdk::Request& req, sdk::TenantScope& scope) {
                 const Json body = parseBody(req);
                 if (!body.contains("version") || !body["version"].is_number_integer())
                     throw ApiError(422, "validation_failed", "name the version to roll back to",
                                    {{"version", "required integer"}});
                 WorkflowStore store(scope.db());
                 auto current = requireWorkflow(store, req.param("id"));
                 const auto n = body["version"].get<std::int64_t>();
                 auto old = store.version(current.id, n);
                 if (!old)
                     throw ApiError(422, "validation_failed", "the workflow has no version " + std::to_string(n),
                                    {{"version", "no such version"}});
                 old->enabled = current.enabled;
                 old->note = "rollback to version " + std::to_string(n);
                 auto wf = store.update(current, *old, scope.principal().id);
                 changed(scope, wf);
                 return sdk::Response::json(wf.toJson());
             }});
    for (const bool enable : {true, false}) {
        r.route({.method = M::Post, .path = enable ? "/api/v1/workflows/{id}/enable" : "/api/v1/workflows/{id}/disable",
                 .permission = "workflows.manage",
                 .handler = [changed, enable](const sdk::Request& req, sdk::TenantScope& scope) {
                     WorkflowStore store(scope.db());
                     auto wf = requireWorkflow(store, req.param("id"));
                     store.setEnabled(wf.id, enable);
                     wf = requireWorkflow(store, wf.id);
                     changed(scope, wf);
                     return sdk::Response::json(wf.toJson());
                 }});
    }
    auto runRoute = [this, tenantOf](bool dry) {
        return [this, tenantOf, dry](const sdk::Request& req, sdk::TenantScope& scope) {
            const Json body = parseBody(req);
            FieldErrors errors;
            BodyReader in(body, {"event", "entry", "payload"}, errors);
            if (const auto* event = in.field("event"); event && !event->is_object()) in.error("event", "must be an object");
            const auto entry = in.text("entry", 64);
            if (!errors.empty()) throw ApiError(422, "validation_failed", "the run request is not valid", errors.json());
            WorkflowStore store(scope.db());
            RunRequest run;
            run.tenant = tenantOf(scope);
            run.workflow = requireWorkflow(store, req.param("id"));
            run.event = body.value("event", Json::object());
            if (!run.event.contains("name")) run.event["name"] = "manual";
            run.entry = entry.value_or("");
            run.entry_arg = body.value("payload", Json());
            run.trigger = dry ? "test" : "manual";
            run.request_id = req.request_id;
            run.dry_run = dry;
            auto& e = engine();
            auto wait = e.tryWaitForRun(run.tenant->slug);
            if (!wait && dry) {
                auto busy = sdk::Response::error(429, "workflow_run_in_progress",
                                                 "another run of this tenant is being waited for; retry when it ends");
                busy.headers["Retry-After"] = "1";
                return busy;
            }
            auto future = e.enqueue(std::move(run));
            // A manual run while another is waited for is queued without a waiting request;
            // its outcome goes to the run log.
            if (!wait || future.wait_for(e.settings().limits.wall + std::chrono::seconds(20)) != std::future_status::ready)
                return sdk::Response::json({{"queued", true}}, 202);
            return sdk::Response::json(runResultJson(future.get(), dry));
        };
    };
    // The run happens on the tenant's workflow queue while the request waits for it.
    r.route({.method = M::Post, .path = "/api/v1/workflows/{id}/test", .permission = "workflows.manage",
             .handler = runRoute(true), .outside_group_commit = true});
    r.route({.method = M::Post, .path = "/api/v1/workflows/{id}/run", .permission = "workflows.manage",
             .handler = runRoute(false), .outside_group_commit = true});

    r.route({.method = M::Get, .path = "/api/v1/workflow-runs", .permission = "workflows.read",
             .handler = [this](const sdk::Request& req, sdk::TenantScope& scope) {
                 RunFilter f;
                 f.workflow_id = req.queryParam("workflow_id").value_or("");
                 f.status = req.queryParam("status").value_or("");
                 f.trigger = req.queryParam("trigger").value_or("");
                 f.cursor = req.queryParam("cursor").value_or("");
                 f.limit = intParam(req, "limit", 50, 1, 200);
                 static const std::set<std::string> statuses{"ok", "error", "timeout", "memory", "budget"};
                 if (!f.status.empty() && !statuses.count(f.status))
                     throw ApiError(400, "invalid_parameter", "status must be ok, error, timeout, memory or budget",
                                    {{"status", "invalid"}});
                 engine().flushRunLog(req.tenant.slug);
                 std::string next;
                 Json data = Json::array();
                 for (const auto& run : WorkflowStore(scope.db()).runs(f, next)) data.push_back(run.toJson());
                 return sdk::Response::json({{"data", data}, {"next_cursor", next.empty() ? Json() : Json(next)}});
             }});
    r.route({.method = M::Get, .path = "/api/v1/workflow-runs/{id}", .permission = "workflows.read",
             .handler = [this](const sdk::Request& req, sdk::TenantScope& scope) {
                 engine().flushRunLog(req.tenant.slug);
                 auto run = WorkflowStore(scope.db()).run(req.param("id"));
                 if (!run) throw ApiError(404, "run_not_found", "no run with id '" + req.param("id") + "'");
                 return sdk::Response::json(run->toJson());
             }});
    r.route({.method = M::Get, .path = "/api/v1/workflow-jobs", .permission = "workflows.read",
             .handler = [](const sdk::Request&, sdk::TenantScope& scope) {
                 Json data = Json::array();
                 for (const auto& row : scope.db().query(
                          "SELECT id, workflow_id, kind, name, payload, due_at, status, created_at FROM workflow_jobs "
                          "ORDER BY due_at, id LIMIT 500"))
                     data.push_back({{"id", row["id"].asText()},
                                     {"workflow_id", row["workflow_id"].asText()},
                                     {"kind", row["kind"].asText()},
                                     {"name", row["name"].asText()},
                                     {"payload", sdk::parseJson(row["payload"].asText())},
                                     {"due_at", row["due_at"].asText()},
                                     {"status", row["status"].asText()},
                                     {"created_at", row["created_at"].asText()}});
                 return sdk::Response::json({{"data", data}});
             }});
    r.route({.method = M::Get, .path = "/api/v1/workflow-outbox", .permission = "workflows.read",
             .handler = [](const sdk::Request& req, sdk::TenantScope& scope) {
                 std::string sql =
                     "SELECT id, workflow_id, run_id, method, url, status, attempts, next_attempt_at, last_error, "
                     "response_status, created_at, updated_at FROM workflow_http_outbox";
                 sdk::Params params;
                 if (auto s = req.queryParam("status")) {
                     sql += " WHERE status = ?";
                     params.emplace_back(*s);
                 }
                 sql += " ORDER BY created_at DESC, id DESC LIMIT 200";
                 Json data = Json::array();
                 for (const auto& row : scope.db().query(sql, params))
                     data.push_back({{"id", row["id"].asText()},
                                     {"workflow_id", row["workflow_id"].asText()},
                                     {"run_id", row["run_id"].asText()},
                                     {"method", row["method"].asText()},
                                     {"url", row["url"].asText()},
                                     {"status", row["status"].asText()},
                                     {"attempts", row["attempts"].asInt()},
                                     {"next_attempt_at", row["next_attempt_at"].asText()},
                                     {"last_error", sdk::rest::textOrNull(row["last_error"])},
                                     {"response_status",
                                      sdk::rest::intOrNull(row["response_status"])},
                                     {"created_at", row["created_at"].asText()},
                                     {"updated_at", row["updated_at"].asText()}});
                 return sdk::Response::json({{"data", data}});
             }});
    auto settingsJson = [](sdk::TenantScope& scope) {
        return Json{{"http_allowlist", httpAllowlist(scope.db())},
                    {"time_zone", tenantTimeZone(scope.db())},
                    {"webhook_secret", webhookSecret(scope.db())}};
    };
    r.route({.method = M::Get, .path = "/api/v1/workflow-settings", .permission = "workflows.manage",
             .handler = [settingsJson](const sdk::Request&, sdk::TenantScope& scope) {
                 return sdk::Response::json(settingsJson(scope));
             }});
    r.route({.method = M::Put, .path = "/api/v1/workflow-settings", .permission = "workflows.manage",
             .handler = [this, settingsJson](const sdk::Request& req, sdk::TenantScope& scope) {
                 const Json body = parseBody(req);
                 FieldErrors errors;
                 BodyReader in(body, {"http_allowlist", "time_zone"}, errors);
                 std::vector<std::string> hosts;
                 if (body.contains("http_allowlist")) {
                     if (!body["http_allowlist"].is_array() || body["http_allowlist"].size() > 200) {
                         errors.add("http_allowlist", "must be an array of at most 200 host names");
                     } else {
                         for (const auto& h : body["http_allowlist"]) {
                             if (!h.is_string() || h.get<std::string>().empty() || h.get<std::string>().size() > 253 ||
                                 h.get<std::string>().find_first_of("/: ") != std::string::npos) {
                                 errors.add("http_allowlist", "host names such as api.example.com or *.example.com");
                                 break;
                             }
                             hosts.push_back(h.get<std::string>());
                         }
                     }
                 }
                 if (body.contains("time_zone") &&
                     (!body["time_zone"].is_string() || !TimeZone::load(body["time_zone"].get<std::string>())))
                     errors.add("time_zone", "an IANA time zone such as Europe/Berlin");
                 if (!errors.empty()) throw ApiError(422, "validation_failed", "the settings are not valid", errors.json());
                 if (body.contains("http_allowlist")) setHttpAllowlist(scope.db(), hosts);
                 if (body.contains("time_zone")) {
                     setTenantTimeZone(scope.db(), body["time_zone"].get<std::string>());
                     // Cron occurrences are wall-clock times: re-plan them in the new zone.
                     for (const auto& wf : WorkflowStore(scope.db()).list())
                         WorkflowEngine::planCron(scope.db(), wf, unixNow());
                 }
                 return sdk::Response::json(settingsJson(scope));
             }});
    r.route({.method = M::Post, .path = "/api/v1/workflow-settings/rotate-secret", .permission = "workflows.manage",
             .handler = [settingsJson](const sdk::Request&, sdk::TenantScope& scope) {
                 rotateWebhookSecret(scope.db());
                 return sdk::Response::json(settingsJson(scope));
             }});
}

}  // namespace tessera::host
