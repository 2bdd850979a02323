#include <tessera/sdk/rest/activities.hpp>

#include <set>

#include <tessera/sdk/rest/access.hpp>
#include <tessera/sdk/rest/dates.hpp>
#include <tessera/sdk/rest/errors.hpp>
#include <tessera/sdk/rest/etags.hpp>
#include <tessera/sdk/rest/ids.hpp>
#include <tessera/sdk/rest/list_query.hpp>
#include <tessera/sdk/rest/text.hpp>
#include <tessera/sdk/rest/validation.hpp>
#include <tessera/sdk/rest/writes.hpp>

namespace tessera::sdk::rest {
namespace {

std::string columns(const ActivityStore& store) {
    std::string cols = "id";
    for (const auto& c : store.subject_columns) cols += ", " + c;
    return cols + ", kind, title, body, occurred_at, due_at, done, created_by, version, created_at, updated_at";
}

// "a = ? AND b = ?" over the subject columns.
std::string subjectWhere(const ActivityStore& store) {
    std::string where;
    for (const auto& c : store.subject_columns) where += (where.empty() ? "" : " AND ") + c + " = ?";
    return where;
}

Json toJson(const ActivityStore& store, const Row& r) {
    auto text = [&](const char* c) { return r[c].isNull() ? Json() : Json(r[c].asText()); };
    Json j = {{"id", r["id"].asText()}};
    for (const auto& c : store.subject_columns) j[c] = r[c].asText();
    j.update({{"kind", r["kind"].asText()},
              {"title", text("title")},
              {"body", text("body")},
              {"occurred_at", r["occurred_at"].asText()},
              {"created_by", text("created_by")},
              {"version", r["version"].asInt()},
              {"created_at", r["created_at"].asText()},
              {"updated_at", r["updated_at"].asText()}});
    if (j["kind"] == "task") {
        j["due_at"] = text("due_at");
        j["done"] = r["done"].asBool();
    }
    return j;
}

AccessRules rulesOf(const ActivityStore& store, const TenantScope& scope) {
    return store.resource.empty() ? AccessRules{} : scope.access(store.resource);
}

Json requireActivity(const ActivityStore& store, Database& db, const std::string& id) {
    auto row = id.size() <= 64 ? db.queryOne("SELECT " + columns(store) + " FROM " + store.table + " WHERE id = ?", {id})
                               : std::nullopt;
    if (!row) throw ApiError(404, "activity_not_found", "no activity with this id");
    return toJson(store, *row);
}

// The activity, if its subject is visible to the caller; otherwise it does not exist.
Json requireVisibleActivity(const ActivityStore& store, TenantScope& scope, const std::string& id) {
    auto activity = requireActivity(store, scope.db(), id);
    if (store.require_subject) {
        Params subject;
        for (const auto& c : store.subject_columns) subject.emplace_back(activity[c].get<std::string>());
        try {
            store.require_subject(subject, scope);
        } catch (const ApiError& e) {
            if (e.status() != 404) throw;
            throw ApiError(404, "activity_not_found", "no activity with this id");
        }
    }
    return activity;
}

// 422 naming a field of the body that the caller's role hides.
void refuseHiddenWrites(const AccessRules& rules, const Json& body) {
    for (const auto& [key, value] : body.items())
        if (rules.hidden(key))
            throw ApiError(422, "validation_failed", "the field '" + key + "' is not writable with your role",
                           {{key, "is hidden for your role"}});
}

// Validates the writable fields in `body` into `out` (timestamps normalised).
void checkFields(const ActivityStore& store, const Json& body, const std::string& kind, bool creating, Json& out,
                 FieldErrors& errors) {
    std::set<std::string> read_only(store.subject_columns.begin(), store.subject_columns.end());
    read_only.insert({"kind", "created_by"});
    BodyReader in(body, {"title", "body", "occurred_at", "due_at", "done"}, errors, "", read_only);
    const bool note = kind == "note", task = kind == "task";
    for (const std::string k : {"title", "body"}) {
        const bool required = note && k == "body" && (creating || in.has(k));
        if (in.isNull(k) && !required) out[k] = nullptr;
        else if (auto v = in.text(k, k == "title" ? 200 : store.max_body, required)) out[k] = *v;
    }
    for (const std::string k : {"occurred_at", "due_at"}) {
        if (k == "due_at" && !task) continue;
        std::string norm;
        if (k == "due_at" && in.isNull(k)) out[k] = nullptr;
        else if (const auto* v = in.field(k, in.has(k)); v && (!v->is_string() || !parseTimestamp(v->get<std::string>(), norm)))
            in.error(k, "must be an ISO 8601 UTC timestamp (YYYY-MM-DDTHH:MM:SSZ)");
        else if (v) out[k] = norm;
    }
    if (task) {
        if (auto done = in.boolean("done", in.has("done"))) out["done"] = *done;
    } else {
        for (const char* k : {"due_at", "done"})
            if (in.has(k)) in.error(k, "only tasks have this field");
    }
}

}  // namespace

Response listActivities(const ActivityStore& store, const Params& subject, ActivityFilter which, const Request& req,
                        TenantScope& scope) {
    allowOnlyParams(req, {"limit", "cursor"});
    std::size_t limit = kDefaultLimit;
    if (auto l = req.queryParam("limit")) limit = parseLimit(*l);
    std::string sql = "SELECT " + columns(store) + " FROM " + store.table + " WHERE " + subjectWhere(store);
    Params params = subject;
    if (which == ActivityFilter::Notes) sql += " AND kind = 'note'";
    if (which == ActivityFilter::Activities) sql += " AND kind <> 'note'";
    if (auto c = req.queryParam("cursor")) {
        auto j = decodeCursor(*c);
        if (!j || !j->is_array() || j->size() != 2 || !(*j)[0].is_string() || !(*j)[1].is_string())
            badQuery("cursor", "not a cursor returned by this list");
        sql += " AND (occurred_at, id) < (?, ?)";
        params.insert(params.end(), {(*j)[0].get<std::string>(), (*j)[1].get<std::string>()});
    }
    sql += " ORDER BY occurred_at DESC, id DESC LIMIT ?";
    params.push_back(static_cast<long long>(limit + 1));
    const auto rows = scope.db().query(sql, params);
    const auto rules = rulesOf(store, scope);
    Json data = Json::array();
    for (std::size_t i = 0; i < rows.size() && i < limit; ++i) data.push_back(visible(rules, toJson(store, rows[i])));
    Json next = nullptr;
    if (rows.size() > limit)
        next = encodeCursor(Json::array({rows[limit - 1]["occurred_at"].asText(), rows[limit - 1]["id"].asText()}));
    return Response::json({{"data", std::move(data)}, {"next_cursor", std::move(next)}});
}

Response createActivity(const ActivityStore& store, const Params& subject, bool note, const Request& req,
                        TenantScope& scope) {
    allowOnlyParams(req, {});
    const Json body = parseJsonObject(req);
    const auto rules = rulesOf(store, scope);
    refuseHiddenWrites(rules, body);
    FieldErrors errors;
    Json values = Json::object();
    std::string kind = "note";
    if (note) {
        if (body.contains("kind")) errors.add("kind", "unknown field");
    } else {
        const Json only_kind = {{"kind", body.value("kind", Json())}};
        kind = BodyReader(only_kind, {"kind"}, errors).oneOf("kind", {"call", "meeting", "task"}, true).value_or("call");
    }
    Json checked = body;
    checked.erase("kind");
    checkFields(store, checked, kind, true, values, errors);
    errors.throwIfAny();

    const std::string now = nowIso();
    const std::string id = newId(store.id_prefix);
    auto text = [&](const char* k) {
        return values.contains(k) && values[k].is_string() ? Value(values[k].get<std::string>()) : Value();
    };
    std::string cols = "id", marks = "?";
    Params params{id};
    for (std::size_t i = 0; i < store.subject_columns.size(); ++i) {
        cols += ", " + store.subject_columns[i];
        marks += ", ?";
        params.push_back(subject.at(i));
    }
    cols += ", kind, title, body, occurred_at, due_at, done, created_by, version, created_at, updated_at";
    marks += ", ?, ?, ?, ?, ?, ?, ?, 1, ?, ?";
    params.insert(params.end(),
                  {kind, text("title"), text("body"),
                   values.contains("occurred_at") ? values["occurred_at"].get<std::string>() : now, text("due_at"),
                   values.value("done", false), actorOf(scope), now, now});
    auto& db = scope.db();
    db.execute("INSERT INTO " + store.table + " (" + cols + ") VALUES (" + marks + ")", params);
    return createdResponse(visible(rules, requireActivity(store, db, id)), store.item_path);
}

Response getActivity(const ActivityStore& store, const Request& req, TenantScope& scope) {
    allowOnlyParams(req, {});
    return getResponse(req, visible(rulesOf(store, scope), requireVisibleActivity(store, scope, req.param("id"))));
}

Response patchActivity(const ActivityStore& store, const Request& req, TenantScope& scope) {
    allowOnlyParams(req, {});
    const Json body = parseJsonObject(req);
    const auto rules = rulesOf(store, scope);
    auto& db = scope.db();
    const auto current = requireVisibleActivity(store, scope, req.param("id"));
    refuseHiddenWrites(rules, body);
    checkIfMatch(req, current);
    FieldErrors errors;
    Json values = Json::object();
    checkFields(store, body, current["kind"].get<std::string>(), false, values, errors);
    errors.throwIfAny();
    bool changed = false;
    for (const auto& [k, v] : values.items()) changed = changed || !current.contains(k) || current[k] != v;
    if (!changed) return itemResponse(visible(rules, current));
    std::string sets;
    Params params;
    for (const auto& [k, v] : values.items()) {
        sets += k + " = ?, ";  // keys come from the fixed set checkFields accepts
        if (v.is_null()) params.emplace_back();
        else if (v.is_boolean()) params.emplace_back(v.get<bool>());
        else params.emplace_back(v.get<std::string>());
    }
    sets += "version = version + 1, updated_at = ?";
    params.insert(params.end(), {nowIso(), current["id"].get<std::string>(), current["version"].get<std::int64_t>()});
    if (db.execute("UPDATE " + store.table + " SET " + sets + " WHERE id = ? AND version = ?", params) == 0)
        throw ApiError(412, "precondition_failed", "the activity was changed concurrently; retry");
    return itemResponse(visible(rules, requireActivity(store, db, current["id"].get<std::string>())));
}

Response deleteActivity(const ActivityStore& store, const Request& req, TenantScope& scope) {
    allowOnlyParams(req, {});
    auto& db = scope.db();
    const auto current = requireVisibleActivity(store, scope, req.param("id"));
    checkIfMatch(req, current);
    if (db.execute("DELETE FROM " + store.table + " WHERE id = ? AND version = ?",
                   {current["id"].get<std::string>(), current["version"].get<std::int64_t>()}) == 0)
        throw ApiError(412, "precondition_failed", "the activity was changed concurrently; retry");
    return Response::empty();
}

void deleteSubjectActivities(Database& db, const ActivityStore& store, const Params& subject) {
    db.execute("DELETE FROM " + store.table + " WHERE " + subjectWhere(store), subject);
}

}  // namespace tessera::sdk::rest
