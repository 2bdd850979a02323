#include "workflows/workflow_store.hpp"

#include "core/ids.hpp"

namespace tessera::host {
namespace {

const char* kColumns = "id, name, trigger_spec, condition_expr, source, run_as, enabled, version, created_at, updated_at";

WorkflowRecord fromRow(const sdk::Row& r) {
    WorkflowRecord w;
    w.id = r["id"].asText();
    w.name = r["name"].asText();
    w.trigger = r["trigger_spec"].asText();
    w.condition = r["condition_expr"].asText();
    w.source = r["source"].asText();
    w.run_as = r["run_as"].asText();
    w.enabled = r["enabled"].asBool();
    w.version = r["version"].asInt();
    w.created_at = r["created_at"].asText();
    w.updated_at = r["updated_at"].asText();
    return w;
}

// Events larger than this are recorded as {"truncated": true}.
constexpr std::size_t kMaxStoredEventBytes = 64 * 1024;

const char* kRunColumns =
    "id, workflow_id, version, trigger_spec, status, late, depth, started_at, duration_us, instructions, "
    "memory_bytes, logs, error, error_line, event";

RunRecord runFromRow(const sdk::Row& r) {
    RunRecord run;
    run.id = r["id"].asText();
    run.workflow_id = r["workflow_id"].asText();
    run.version = r["version"].asInt();
    run.trigger = r["trigger_spec"].asText();
    run.status = r["status"].asText();
    run.late = r["late"].asBool();
    run.depth = static_cast<int>(r["depth"].asInt());
    run.started_at = r["started_at"].asText();
    run.duration_us = r["duration_us"].asInt();
    run.instructions = r["instructions"].asInt();
    run.memory_bytes = r["memory_bytes"].asInt();
    run.logs = sdk::parseJson(r["logs"].asText());
    if (run.logs.is_discarded()) run.logs = sdk::Json::array();
    run.error = r["error"].asText();
    run.error_line = r["error_line"].isNull() ? 0 : static_cast<int>(r["error_line"].asInt());
    run.event = sdk::parseJson(r["event"].asText());
    if (run.event.is_discarded()) run.event = sdk::Json::object();
    return run;
}

}  // namespace

std::vector<WorkflowRecord> WorkflowStore::list() {
    std::vector<WorkflowRecord> out;
    for (const auto& r : db_.query(std::string("SELECT ") + kColumns + " FROM workflows ORDER BY name"))
        out.push_back(fromRow(r));
    return out;
}

std::vector<WorkflowRecord> WorkflowStore::enabled() {
    std::vector<WorkflowRecord> out;
    for (const auto& r :
         db_.query(std::string("SELECT ") + kColumns + " FROM workflows WHERE enabled = 1 ORDER BY name, id"))
        out.push_back(fromRow(r));
    return out;
}

std::optional<WorkflowRecord> WorkflowStore::get(const std::string& id) {
    auto r = db_.queryOne(std::string("SELECT ") + kColumns + " FROM workflows WHERE id = ?", {id});
    if (!r) return std::nullopt;
    return fromRow(*r);
}

std::int64_t WorkflowStore::count() { return (*db_.queryOne("SELECT COUNT(*) AS n FROM workflows"))["n"].asInt(); }

std::optional<WorkflowRecord> WorkflowStore::byName(const std::string& name) {
    auto r = db_.queryOne(std::string("SELECT ") + kColumns + " FROM workflows WHERE name = ?", {name});
    if (!r) return std::nullopt;
    return fromRow(*r);
}

WorkflowRecord WorkflowStore::create(const WorkflowDraft& d, const std::string& author) {
    const std::string id = newRecordId("wf_");
    const std::string now = isoNow();
    try {
        db_.transaction([&] {
            db_.execute(
                "INSERT INTO workflows (id, name, trigger_spec, condition_expr, source, run_as, enabled, version, "
                "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?)",
                {id, d.name, d.trigger, d.condition, d.source, d.run_as, d.enabled, now, now});
            db_.execute(
                "INSERT INTO workflow_versions (workflow_id, version, name, trigger_spec, condition_expr, source, "
                "run_as, note, created_by, created_at) VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?, ?)",
                {id, d.name, d.trigger, d.condition, d.source, d.run_as, d.note, author, now});
        });
    } catch (const sdk::UniqueViolation&) {
        throw sdk::ApiError(409, "workflow_name_taken", "a workflow named '" + d.name + "' already exists",
                            {{"name", "already used"}});
    }
    return *get(id);
}

WorkflowRecord WorkflowStore::update(const WorkflowRecord& current, const WorkflowDraft& d, const std::string& author) {
    const std::string now = isoNow();
    const std::int64_t next = current.version + 1;
    try {
        db_.transaction([&] {
            const auto n = db_.execute(
                "UPDATE workflows SET name = ?, trigger_spec = ?, condition_expr = ?, source = ?, run_as = ?, "
                "enabled = ?, version = ?, updated_at = ? WHERE id = ? AND version = ?",
                {d.name, d.trigger, d.condition, d.source, d.run_as, d.enabled, next, now, current.id,
                 current.version});
            if (n == 0)
                throw sdk::ApiError(412, "precondition_failed", "the workflow was changed concurrently; retry");
            db_.execute(
                "INSERT INTO workflow_versions (workflow_id, version, name, trigger_spec, condition_expr, source, "
                "run_as, note, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                {current.id, next, d.name, d.trigger, d.condition, d.source, d.run_as, d.note, author, now});
        });
    } catch (const sdk::UniqueViolation&) {
        throw sdk::ApiError(409, "workflow_name_taken", "a workflow named '" + d.name + "' already exists",
                            {{"name", "already used"}});
    }
    return *get(current.id);
}

void WorkflowStore::setEnabled(const std::string& id, bool enabled) {
    db_.execute("UPDATE workflows SET enabled = ?, updated_at = ? WHERE id = ?", {enabled, isoNow(), id});
}

void WorkflowStore::remove(const std::string& id) {
    db_.transaction([&] {
        db_.execute("DELETE FROM workflow_jobs WHERE workflow_id = ?", {id});
        db_.execute("DELETE FROM workflow_versions WHERE workflow_id = ?", {id});
        db_.execute("DELETE FROM workflows WHERE id = ?", {id});
    });
}

sdk::Json WorkflowStore::versions(const std::string& id) {
    sdk::Json out = sdk::Json::array();
    for (const auto& r : db_.query(
             "SELECT version, name, trigger_spec, condition_expr, source, run_as, note, created_by, created_at FROM "
             "workflow_versions WHERE workflow_id = ? ORDER BY version DESC",
             {id}))
        out.push_back({{"version", r["version"].asInt()},
                       {"name", r["name"].asText()},
                       {"trigger", r["trigger_spec"].asText()},
                       {"condition", r["condition_expr"].asText()},
                       {"source", r["source"].asText()},
                       {"run_as", r["run_as"].asText()},
                       {"note", r["note"].asText()},
                       {"created_by", r["created_by"].asText()},
                       {"created_at", r["created_at"].asText()}});
    return out;
}

std::optional<WorkflowDraft> WorkflowStore::version(const std::string& id, std::int64_t version) {
    auto r = db_.queryOne(
        "SELECT name, trigger_spec, condition_expr, source, run_as FROM workflow_versions WHERE workflow_id = ? AND "
        "version = ?",
        {id, version});
    if (!r) return std::nullopt;
    WorkflowDraft d;
    d.name = (*r)["name"].asText();
    d.trigger = (*r)["trigger_spec"].asText();
    d.condition = (*r)["condition_expr"].asText();
    d.source = (*r)["source"].asText();
    d.run_as = (*r)["run_as"].asText();
    return d;
}

void WorkflowStore::insertRun(const RunRecord& run) {
    // Measured here, off the request path: a before hook's run waits for the run log's
    // next batch, and serialising its event twice showed in the write's cost.
    std::string event = run.event.dump(-1, ' ', false, sdk::Json::error_handler_t::replace);
    if (event.size() > kMaxStoredEventBytes) event = R"({"truncated":true})";
    db_.execute(std::string("INSERT INTO workflow_runs (") + kRunColumns +
                    ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                {run.id, run.workflow_id, run.version, run.trigger, run.status, run.late, run.depth, run.started_at,
                 run.duration_us, run.instructions, run.memory_bytes,
                 run.logs.dump(-1, ' ', false, sdk::Json::error_handler_t::replace),
                 run.error.empty() ? sdk::Value() : sdk::Value(run.error),
                 run.error_line ? sdk::Value(run.error_line) : sdk::Value(), event});
}

std::vector<RunRecord> WorkflowStore::runs(const RunFilter& f, std::string& next_cursor) {
    std::string sql = std::string("SELECT ") + kRunColumns + " FROM workflow_runs WHERE 1 = 1";
    sdk::Params params;
    if (!f.workflow_id.empty()) {
        sql += " AND workflow_id = ?";
        params.emplace_back(f.workflow_id);
    }
    if (!f.status.empty()) {
        sql += " AND status = ?";
        params.emplace_back(f.status);
    }
    if (!f.trigger.empty()) {
        sql += " AND trigger_spec = ?";
        params.emplace_back(f.trigger);
    }
    if (!f.cursor.empty()) {
        const auto bar = f.cursor.find('~');
        sql += " AND (started_at < ? OR (started_at = ? AND id < ?))";
        const std::string at = f.cursor.substr(0, bar), id = bar == std::string::npos ? "" : f.cursor.substr(bar + 1);
        params.insert(params.end(), {at, at, id});
    }
    sql += " ORDER BY started_at DESC, id DESC LIMIT ?";
    params.push_back(f.limit + 1);
    std::vector<RunRecord> out;
    for (const auto& r : db_.query(sql, params)) out.push_back(runFromRow(r));
    next_cursor.clear();
    if (static_cast<int>(out.size()) > f.limit) {
        out.pop_back();
        next_cursor = out.back().started_at + "~" + out.back().id;
    }
    return out;
}

std::optional<RunRecord> WorkflowStore::run(const std::string& id) {
    auto r = db_.queryOne(std::string("SELECT ") + kRunColumns + " FROM workflow_runs WHERE id = ?", {id});
    if (!r) return std::nullopt;
    return runFromRow(*r);
}

std::int64_t WorkflowStore::pruneRuns(const std::string& cutoff_iso) {
    return db_.execute("DELETE FROM workflow_runs WHERE started_at < ?", {cutoff_iso});
}

}  // namespace tessera::host
