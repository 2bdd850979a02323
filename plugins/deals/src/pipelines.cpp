#include "pipelines.hpp"

#include <limits>
#include <set>

#include <tessera/sdk/rest/dates.hpp>
#include <tessera/sdk/rest/errors.hpp>
#include <tessera/sdk/rest/etags.hpp>
#include <tessera/sdk/rest/ids.hpp>
#include <tessera/sdk/rest/text.hpp>
#include <tessera/sdk/rest/validation.hpp>

#include "deal_store.hpp"

namespace tessera::plugins::deals {

using namespace sdk::rest;

namespace {

constexpr const char* kStageColumns = "id, pipeline_id, name, position, probability, rotten_after_days";
constexpr std::size_t kMaxName = 100;
constexpr std::int64_t kMaxRottenDays = 3650;

Stage stageFromRow(const sdk::Row& r) {
    Stage s;
    s.id = r["id"].asText();
    s.pipeline_id = r["pipeline_id"].asText();
    s.name = r["name"].asText();
    s.position = r["position"].asInt();
    s.probability = r["probability"].asInt();
    if (!r["rotten_after_days"].isNull()) s.rotten_after_days = r["rotten_after_days"].asInt();
    return s;
}

// Validates one stage object; `prefix` names it in errors ("stages.0."). On create the
// name and probability are required; a position is accepted only when `allow_position`.
void checkStage(const sdk::Json& s, const std::string& prefix, bool creating, bool allow_position, FieldErrors& errors) {
    if (!s.is_object()) {
        errors.add(prefix.empty() ? "stage" : prefix.substr(0, prefix.size() - 1), "must be an object");
        return;
    }
    BodyReader in(s, {"name", "probability", "rotten_after_days", "position"}, errors, prefix, {"pipeline_id"});
    in.text("name", kMaxName, creating || in.has("name"));
    in.integer("probability", 0, 100, creating || in.has("probability"));
    in.integer("rotten_after_days", 1, kMaxRottenDays);
    if (!allow_position && in.has("position")) in.error("position", "is read-only; use stages/reorder");
    else in.integer("position", 0, std::numeric_limits<std::int32_t>::max(), in.has("position"));
}

std::string insertStage(sdk::Database& db, const std::string& pipeline_id, const sdk::Json& s, std::int64_t position,
                        const std::string& now) {
    const std::string id = newId("stg_");
    db.execute("INSERT INTO deals_stages (id, pipeline_id, name, position, probability, rotten_after_days, created_at,"
               " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
               {id, pipeline_id, s["name"].get<std::string>(), position, s["probability"].get<std::int64_t>(),
                s.contains("rotten_after_days") && !s["rotten_after_days"].is_null()
                    ? sdk::Value(s["rotten_after_days"].get<std::int64_t>())
                    : sdk::Value(),
                now, now});
    return id;
}

// Bumps the pipeline's version for a change to its stages; 412 if it moved on since
// `current` was read.
void bumpPipeline(sdk::Database& db, const sdk::Json& current) {
    if (db.execute("UPDATE deals_pipelines SET version = version + 1, updated_at = ? WHERE id = ? AND version = ?",
                   {nowIso(), current["id"].get<std::string>(), current["version"].get<std::int64_t>()}) == 0)
        throw sdk::ApiError(412, "precondition_failed", "the pipeline was changed concurrently; retry");
}

// Rewrites stage positions as 0..n-1 in the given order.
void renumberStages(sdk::Database& db, const std::vector<std::string>& ids) {
    for (std::size_t i = 0; i < ids.size(); ++i)
        db.execute("UPDATE deals_stages SET position = ? WHERE id = ?", {static_cast<long long>(i), ids[i]});
}

Stage requireStageOf(sdk::Database& db, const sdk::Json& pipeline, const std::string& stage_id) {
    auto stage = findStage(db, stage_id);
    if (!stage || stage->pipeline_id != pipeline["id"].get<std::string>())
        throw sdk::ApiError(404, "stage_not_found", "no stage with this id in this pipeline");
    return *stage;
}

}  // namespace

sdk::Json Stage::toJson() const {
    return {{"id", id},
            {"pipeline_id", pipeline_id},
            {"name", name},
            {"position", position},
            {"probability", probability},
            {"rotten_after_days", rotten_after_days ? sdk::Json(*rotten_after_days) : sdk::Json()}};
}

std::optional<Stage> findStage(sdk::Database& db, const std::string& id) {
    if (id.empty() || id.size() > 64) return std::nullopt;
    auto row = db.queryOne(std::string("SELECT ") + kStageColumns + " FROM deals_stages WHERE id = ?", {id});
    if (!row) return std::nullopt;
    return stageFromRow(*row);
}

std::vector<Stage> stagesOf(sdk::Database& db, const std::string& pipeline_id) {
    std::vector<Stage> out;
    for (const auto& r : db.query(std::string("SELECT ") + kStageColumns +
                                      " FROM deals_stages WHERE pipeline_id = ? ORDER BY position, id",
                                  {pipeline_id}))
        out.push_back(stageFromRow(r));
    return out;
}

std::optional<sdk::Json> findPipeline(sdk::Database& db, const std::string& id) {
    if (id.empty() || id.size() > 64) return std::nullopt;
    auto row = db.queryOne("SELECT id, name, position, version, created_at, updated_at FROM deals_pipelines WHERE id = ?",
                           {id});
    if (!row) return std::nullopt;
    sdk::Json stages = sdk::Json::array();
    for (const auto& s : stagesOf(db, id)) stages.push_back(s.toJson());
    return sdk::Json{{"id", (*row)["id"].asText()},
                     {"name", (*row)["name"].asText()},
                     {"position", (*row)["position"].asInt()},
                     {"stages", std::move(stages)},
                     {"version", (*row)["version"].asInt()},
                     {"created_at", (*row)["created_at"].asText()},
                     {"updated_at", (*row)["updated_at"].asText()}};
}

sdk::Json requirePipeline(sdk::Database& db, const std::string& id) {
    auto p = findPipeline(db, id);
    if (!p) throw sdk::ApiError(404, "pipeline_not_found", "no pipeline with this id");
    return *p;
}

std::optional<std::string> defaultPipelineId(sdk::Database& db) {
    auto row = db.queryOne("SELECT id FROM deals_pipelines ORDER BY position, created_at, id LIMIT 1");
    if (!row) return std::nullopt;
    return (*row)["id"].asText();
}

sdk::Response listPipelines(const sdk::Request& req, sdk::TenantScope& scope) {
    allowOnlyParams(req, {});
    auto& db = scope.db();
    sdk::Json data = sdk::Json::array();
    for (const auto& r : db.query("SELECT id FROM deals_pipelines ORDER BY position, created_at, id"))
        if (auto p = findPipeline(db, r["id"].asText())) data.push_back(std::move(*p));
    // A tenant has at most kMaxPipelines pipelines, so one page always holds them all.
    return sdk::Response::json({{"data", std::move(data)}, {"next_cursor", nullptr}});
}

sdk::Response createPipeline(const sdk::Request& req, sdk::TenantScope& scope) {
    allowOnlyParams(req, {});
    const sdk::Json body = sdk::parseJsonObject(req);
    FieldErrors errors;
    BodyReader in(body, {"name", "stages"}, errors, "", {"position"});
    in.text("name", kMaxName, true);
    if (const auto* stages = in.field("stages", true)) {
        if (!stages->is_array() || stages->empty() || stages->size() > kMaxStagesPerPipeline)
            in.error("stages", "must be an array of 1-" + std::to_string(kMaxStagesPerPipeline) + " stages");
        else
            for (std::size_t i = 0; i < stages->size(); ++i)
                checkStage((*stages)[i], "stages." + std::to_string(i) + ".", true, false, errors);
    }
    errors.throwIfAny();

    auto& db = scope.db();
    const std::string id = newId("pip_");
    db.transaction([&] {
        const auto count = db.queryOne("SELECT COUNT(*) AS n FROM deals_pipelines");
        const std::int64_t n = count ? (*count)["n"].asInt() : 0;
        if (n >= static_cast<std::int64_t>(kMaxPipelines))
            throw sdk::ApiError(422, "validation_failed", "too many pipelines",
                                {{"name", "a tenant has at most " + std::to_string(kMaxPipelines) + " pipelines"}});
        const std::string now = nowIso();
        db.execute("INSERT INTO deals_pipelines (id, name, position, version, created_at, updated_at)"
                   " VALUES (?, ?, ?, 1, ?, ?)",
                   {id, body["name"].get<std::string>(), n, now, now});
        for (std::size_t i = 0; i < body["stages"].size(); ++i)
            insertStage(db, id, body["stages"][i], static_cast<std::int64_t>(i), now);
    });
    auto created = requirePipeline(db, id);
    auto r = itemResponse(created, 201);
    r.headers["Location"] = "/api/v1/pipelines/" + id;
    return r;
}

sdk::Response getPipeline(const sdk::Request& req, sdk::TenantScope& scope) {
    allowOnlyParams(req, {});
    return getResponse(req, requirePipeline(scope.db(), req.param("id")));
}

sdk::Response patchPipeline(const sdk::Request& req, sdk::TenantScope& scope) {
    allowOnlyParams(req, {});
    const sdk::Json body = sdk::parseJsonObject(req);
    FieldErrors errors;
    if (body.contains("stages")) errors.add("stages", "change stages through /stages routes");
    BodyReader in(body, {"name"}, errors, "", {"position"});
    in.text("name", kMaxName, in.has("name"));
    errors.throwIfAny();
    auto& db = scope.db();
    const auto current = requirePipeline(db, req.param("id"));
    checkIfMatch(req, current);
    if (!body.contains("name") || body["name"] == current["name"]) return itemResponse(current);
    if (db.execute("UPDATE deals_pipelines SET name = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?",
                   {body["name"].get<std::string>(), nowIso(), current["id"].get<std::string>(),
                    current["version"].get<std::int64_t>()}) == 0)
        throw sdk::ApiError(412, "precondition_failed", "the pipeline was changed concurrently; retry");
    return itemResponse(requirePipeline(db, current["id"].get<std::string>()));
}

sdk::Response deletePipeline(const sdk::Request& req, sdk::TenantScope& scope) {
    allowOnlyParams(req, {});
    auto& db = scope.db();
    db.transaction([&] {
        const auto current = requirePipeline(db, req.param("id"));
        checkIfMatch(req, current);
        const std::string id = current["id"].get<std::string>();
        const auto n = db.queryOne("SELECT COUNT(*) AS n FROM deals_deals WHERE pipeline_id = ?", {id});
        if (n && (*n)["n"].asInt() > 0)
            throw sdk::ApiError(409, "pipeline_has_deals",
                                "the pipeline holds " + (*n)["n"].asText() + " deals; move or delete them first");
        db.execute("DELETE FROM deals_stages WHERE pipeline_id = ?", {id});
        db.execute("DELETE FROM deals_pipelines WHERE id = ?", {id});
        std::vector<std::string> rest;
        for (const auto& r : db.query("SELECT id FROM deals_pipelines ORDER BY position, created_at, id"))
            rest.push_back(r["id"].asText());
        for (std::size_t i = 0; i < rest.size(); ++i)
            db.execute("UPDATE deals_pipelines SET position = ? WHERE id = ?", {static_cast<long long>(i), rest[i]});
    });
    return sdk::Response::empty();
}

sdk::Response createStage(const sdk::Request& req, sdk::TenantScope& scope) {
    allowOnlyParams(req, {});
    const sdk::Json body = sdk::parseJsonObject(req);
    FieldErrors errors;
    checkStage(body, "", true, true, errors);
    errors.throwIfAny();
    auto& db = scope.db();
    const std::string pipeline_id = req.param("id");
    db.transaction([&] {
        const auto current = requirePipeline(db, pipeline_id);
        checkIfMatch(req, current);
        std::vector<std::string> order;
        for (const auto& s : current["stages"]) order.push_back(s["id"].get<std::string>());
        if (order.size() >= kMaxStagesPerPipeline)
            throw sdk::ApiError(422, "validation_failed", "too many stages",
                                {{"name", "a pipeline has at most " + std::to_string(kMaxStagesPerPipeline) + " stages"}});
        std::size_t at = order.size();
        if (body.contains("position")) at = std::min<std::size_t>(body["position"].get<std::size_t>(), order.size());
        const std::string now = nowIso();
        const std::string stage_id = insertStage(db, pipeline_id, body, static_cast<std::int64_t>(order.size()), now);
        order.insert(order.begin() + static_cast<std::ptrdiff_t>(at), stage_id);
        renumberStages(db, order);
        bumpPipeline(db, current);
    });
    auto r = itemResponse(requirePipeline(db, pipeline_id), 201);
    r.headers["Location"] = "/api/v1/pipelines/" + pipeline_id;
    return r;
}

sdk::Response patchStage(const sdk::Request& req, sdk::TenantScope& scope) {
    allowOnlyParams(req, {});
    const sdk::Json body = sdk::parseJsonObject(req);
    FieldErrors errors;
    checkStage(body, "", false, false, errors);
    errors.throwIfAny();
    auto& db = scope.db();
    const std::string pipeline_id = req.param("id");
    db.transaction([&] {
        const auto current = requirePipeline(db, pipeline_id);
        checkIfMatch(req, current);
        const Stage stage = requireStageOf(db, current, req.param("stage_id"));
        Stage next = stage;
        if (body.contains("name")) next.name = body["name"].get<std::string>();
        if (body.contains("probability")) next.probability = body["probability"].get<std::int64_t>();
        if (body.contains("rotten_after_days"))
            next.rotten_after_days = body["rotten_after_days"].is_null()
                                         ? std::nullopt
                                         : std::optional<std::int64_t>(body["rotten_after_days"].get<std::int64_t>());
        if (next.toJson() == stage.toJson()) return;
        db.execute("UPDATE deals_stages SET name = ?, probability = ?, rotten_after_days = ?, updated_at = ? WHERE id = ?",
                   {next.name, next.probability,
                    next.rotten_after_days ? sdk::Value(*next.rotten_after_days) : sdk::Value(), nowIso(), stage.id});
        bumpPipeline(db, current);
    });
    return itemResponse(requirePipeline(db, pipeline_id));
}

sdk::Response deleteStage(const sdk::Request& req, sdk::TenantScope& scope) {
    allowOnlyParams(req, {"move_to"});
    auto& db = scope.db();
    const std::string pipeline_id = req.param("id");
    db.transaction([&] {
        const auto current = requirePipeline(db, pipeline_id);
        checkIfMatch(req, current);
        const Stage stage = requireStageOf(db, current, req.param("stage_id"));
        const auto held = db.queryOne("SELECT COUNT(*) AS n FROM deals_deals WHERE stage_id = ?", {stage.id});
        const std::int64_t n = held ? held->at(0).asInt() : 0;
        const auto move_to = req.queryParam("move_to");
        if (move_to) {
            auto target = findStage(db, *move_to);
            if (!target || target->pipeline_id != pipeline_id || target->id == stage.id)
                throw sdk::ApiError(422, "validation_failed", "move_to is not valid",
                                    {{"move_to", "must be another stage of the same pipeline"}});
            if (n > 0) relocateStageDeals(scope, stage, *target);
        } else if (n > 0) {
            throw sdk::ApiError(409, "stage_has_deals",
                                "the stage holds " + std::to_string(n) + " deals; pass move_to=<stage id> to move them",
                                {{"move_to", "required: the stage holds " + std::to_string(n) + " deals"}});
        }
        // History rows keep naming the deleted stage: they describe the past.
        db.execute("DELETE FROM deals_stages WHERE id = ?", {stage.id});
        std::vector<std::string> rest;
        for (const auto& s : current["stages"])
            if (s["id"] != stage.id) rest.push_back(s["id"].get<std::string>());
        renumberStages(db, rest);
        bumpPipeline(db, current);
    });
    return sdk::Response::empty();
}

sdk::Response reorderStages(const sdk::Request& req, sdk::TenantScope& scope) {
    allowOnlyParams(req, {});
    const sdk::Json body = sdk::parseJsonObject(req);
    auto& db = scope.db();
    const std::string pipeline_id = req.param("id");
    db.transaction([&] {
        const auto current = requirePipeline(db, pipeline_id);
        checkIfMatch(req, current);
        FieldErrors errors;
        BodyReader in(body, {"stage_ids"}, errors);
        std::set<std::string> existing, given;
        for (const auto& s : current["stages"]) existing.insert(s["id"].get<std::string>());
        std::vector<std::string> order;
        const auto& ids = body.contains("stage_ids") ? body["stage_ids"] : sdk::Json();
        bool ok = ids.is_array() && ids.size() == existing.size();
        if (ok)
            for (const auto& id : ids) {
                if (!id.is_string() || !existing.count(id.get<std::string>()) || !given.insert(id.get<std::string>()).second) {
                    ok = false;
                    break;
                }
                order.push_back(id.get<std::string>());
            }
        if (!ok) in.error("stage_ids", "must list every stage id of the pipeline exactly once");
        errors.throwIfAny();
        renumberStages(db, order);
        bumpPipeline(db, current);
    });
    return itemResponse(requirePipeline(db, pipeline_id));
}

}  // namespace tessera::plugins::deals
