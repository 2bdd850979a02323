#include "activities.hpp"

#include "clock_ids.hpp"
#include "deal_store.hpp"
#include "rest.hpp"

namespace tessera::plugins::deals {
namespace {

constexpr std::size_t kMaxBody = 10000;
constexpr const char* kColumns =
    "id, deal_id, kind, title, body, occurred_at, due_at, done, created_by, version, created_at, updated_at";

sdk::Json toJson(const sdk::Row& r) {
    auto text = [&](const char* c) { return r[c].isNull() ? sdk::Json() : sdk::Json(r[c].asText()); };
    sdk::Json j = {{"id", r["id"].asText()},
                   {"deal_id", r["deal_id"].asText()},
                   {"kind", r["kind"].asText()},
                   {"title", text("title")},
                   {"body", text("body")},
                   {"occurred_at", r["occurred_at"].asText()},
                   {"created_by", text("created_by")},
                   {"version", r["version"].asInt()},
                   {"created_at", r["created_at"].asText()},
                   {"updated_at", r["updated_at"].asText()}};
    if (j["kind"] == "task") {
        j["due_at"] = text("due_at");
        j["done"] = r["done"].asBool();
    }
    return j;
}

sdk::Json requireActivity(sdk::Database& db, const std::string& id) {
    auto row = id.size() <= 64 ? db.queryOne(std::string("SELECT ") + kColumns + " FROM deals_activities WHERE id = ?", {id})
                               : std::nullopt;
    if (!row) throw sdk::ApiError(404, "activity_not_found", "no deal activity with this id");
    return toJson(*row);
}

// Validates the writable fields in `body` into `out` (timestamps normalised).
void checkFields(const sdk::Json& body, const std::string& kind, bool creating, sdk::Json& out, sdk::Json& errors) {
    for (const auto& [k, v] : body.items()) {
        if (k == "kind") {
            if (!creating) errors[k] = "is read-only";
        } else if (k == "title" || k == "body") {
            const std::size_t max = k == "title" ? 200 : kMaxBody;
            if (v.is_null() && !(k == "body" && kind == "note")) out[k] = nullptr;
            else if (!v.is_string()) errors[k] = "must be a string";
            else if (utf8Length(v.get_ref<const std::string&>()) > max)
                errors[k] = "must be at most " + std::to_string(max) + " characters";
            else if (k == "body" && kind == "note" && v.get_ref<const std::string&>().empty())
                errors[k] = "must not be empty";
            else out[k] = v;
        } else if (k == "occurred_at" || (k == "due_at" && kind == "task")) {
            std::string norm;
            if (v.is_null() && k == "due_at") out[k] = nullptr;
            else if (!v.is_string() || !parseTimestamp(v.get<std::string>(), norm))
                errors[k] = "must be an ISO 8601 UTC timestamp (YYYY-MM-DDTHH:MM:SSZ)";
            else out[k] = norm;
        } else if (k == "done" && kind == "task") {
            if (!v.is_boolean()) errors[k] = "must be true or false";
            else out[k] = v;
        } else if (k == "due_at" || k == "done") {
            errors[k] = "only tasks have this field";
        } else if (k == "id" || k == "version" || k == "created_at" || k == "updated_at" || k == "deal_id" ||
                   k == "created_by") {
            errors[k] = "is read-only";
        } else {
            errors[k] = "unknown field";
        }
    }
}

}  // namespace

sdk::Response listActivities(ActivityFilter which, const sdk::Request& req, sdk::TenantScope& scope) {
    allowOnlyParams(req, {"limit", "cursor"});
    auto& db = scope.db();
    const auto deal = requireDeal(db, req.param("id"));
    std::size_t limit = kDefaultLimit;
    if (auto l = req.queryParam("limit")) limit = parseLimit(*l);
    std::string sql = std::string("SELECT ") + kColumns + " FROM deals_activities WHERE deal_id = ?";
    sdk::Params params{deal["id"].get<std::string>()};
    if (which == ActivityFilter::Notes) sql += " AND kind = 'note'";
    if (which == ActivityFilter::Activities) sql += " AND kind <> 'note'";
    if (auto c = req.queryParam("cursor")) {
        auto j = decodeCursor(*c);
        if (!j || !j->is_array() || j->size() != 2 || !(*j)[0].is_string() || !(*j)[1].is_string())
            badQuery("cursor", "not a cursor returned by this list");
        sql += " AND (occurred_at < ? OR (occurred_at = ? AND id < ?))";
        params.insert(params.end(), {(*j)[0].get<std::string>(), (*j)[0].get<std::string>(), (*j)[1].get<std::string>()});
    }
    sql += " ORDER BY occurred_at DESC, id DESC LIMIT ?";
    params.push_back(static_cast<long long>(limit + 1));
    const auto rows = db.query(sql, params);
    sdk::Json data = sdk::Json::array();
    for (std::size_t i = 0; i < rows.size() && i < limit; ++i) data.push_back(toJson(rows[i]));
    sdk::Json next = nullptr;
    if (rows.size() > limit)
        next = encodeCursor(sdk::Json::array({rows[limit - 1]["occurred_at"].asText(), rows[limit - 1]["id"].asText()}));
    return sdk::Response::json({{"data", std::move(data)}, {"next_cursor", std::move(next)}});
}

sdk::Response createActivity(bool note, const sdk::Request& req, sdk::TenantScope& scope) {
    allowOnlyParams(req, {});
    const sdk::Json body = sdk::parseJsonObject(req);
    auto& db = scope.db();
    const auto deal = requireDeal(db, req.param("id"));

    sdk::Json errors = sdk::Json::object(), values = sdk::Json::object();
    std::string kind = "note";
    if (note) {
        if (body.contains("kind")) errors["kind"] = "unknown field";
        if (!body.contains("body")) errors["body"] = "is required";
    } else {
        const auto k = body.contains("kind") && body["kind"].is_string() ? body["kind"].get<std::string>() : "";
        if (k == "call" || k == "meeting" || k == "task") kind = k;
        else errors["kind"] = "is required: one of call, meeting, task";
    }
    checkFields(body, kind, true, values, errors);
    throwIfInvalid(errors);

    const std::string now = nowIso();
    const std::string id = newId("dact_");
    auto text = [&](const char* k) {
        return values.contains(k) && values[k].is_string() ? sdk::Value(values[k].get<std::string>()) : sdk::Value();
    };
    db.execute("INSERT INTO deals_activities (id, deal_id, kind, title, body, occurred_at, due_at, done, created_by,"
               " version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)",
               {id, deal["id"].get<std::string>(), kind, text("title"), text("body"),
                values.contains("occurred_at") ? values["occurred_at"].get<std::string>() : now, text("due_at"),
                values.value("done", false), actorOf(scope), now, now});
    auto r = itemResponse(requireActivity(db, id), 201);
    r.headers["Location"] = "/api/v1/deal-activities/" + id;
    return r;
}

sdk::Response getActivity(const sdk::Request& req, sdk::TenantScope& scope) {
    allowOnlyParams(req, {});
    return getResponse(req, requireActivity(scope.db(), req.param("id")));
}

sdk::Response patchActivity(const sdk::Request& req, sdk::TenantScope& scope) {
    allowOnlyParams(req, {});
    const sdk::Json body = sdk::parseJsonObject(req);
    auto& db = scope.db();
    const auto current = requireActivity(db, req.param("id"));
    checkIfMatch(req, current);
    sdk::Json errors = sdk::Json::object(), values = sdk::Json::object();
    checkFields(body, current["kind"].get<std::string>(), false, values, errors);
    throwIfInvalid(errors);
    bool changed = false;
    for (const auto& [k, v] : values.items()) changed = changed || !current.contains(k) || current[k] != v;
    if (!changed) return itemResponse(current);
    std::string sets;
    sdk::Params params;
    for (const auto& [k, v] : values.items()) {
        sets += k + " = ?, ";  // keys come from the fixed set checkFields accepts
        if (v.is_null()) params.emplace_back();
        else if (v.is_boolean()) params.emplace_back(v.get<bool>());
        else params.emplace_back(v.get<std::string>());
    }
    sets += "version = version + 1, updated_at = ?";
    params.insert(params.end(), {nowIso(), current["id"].get<std::string>(), current["version"].get<std::int64_t>()});
    if (db.execute("UPDATE deals_activities SET " + sets + " WHERE id = ? AND version = ?", params) == 0)
        throw sdk::ApiError(412, "precondition_failed", "the activity was changed concurrently; retry");
    return itemResponse(requireActivity(db, current["id"].get<std::string>()));
}

sdk::Response deleteActivity(const sdk::Request& req, sdk::TenantScope& scope) {
    allowOnlyParams(req, {});
    auto& db = scope.db();
    const auto current = requireActivity(db, req.param("id"));
    checkIfMatch(req, current);
    db.execute("DELETE FROM deals_activities WHERE id = ?", {current["id"].get<std::string>()});
    return sdk::Response::empty();
}

}  // namespace tessera::plugins::deals
