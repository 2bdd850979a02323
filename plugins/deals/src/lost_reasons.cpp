#include "lost_reasons.hpp"

#include <optional>

#include <tessera/sdk/rest/dates.hpp>
#include <tessera/sdk/rest/errors.hpp>
#include <tessera/sdk/rest/etags.hpp>
#include <tessera/sdk/rest/ids.hpp>
#include <tessera/sdk/rest/validation.hpp>

namespace tessera::plugins::deals {

using namespace sdk::rest;

namespace {

constexpr std::size_t kMaxName = 100;
constexpr std::size_t kMaxReasons = 200;

std::string nameKey(std::string s) {
    for (auto& c : s)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
    return s;
}

sdk::Json fromRow(const sdk::Row& r) {
    return {{"id", r["id"].asText()},
            {"name", r["name"].asText()},
            {"active", r["active"].asBool()},
            {"version", r["version"].asInt()},
            {"created_at", r["created_at"].asText()},
            {"updated_at", r["updated_at"].asText()}};
}

sdk::Json requireReason(sdk::Database& db, const std::string& id) {
    auto row = id.size() <= 64
                   ? db.queryOne("SELECT id, name, active, version, created_at, updated_at FROM deals_lost_reasons WHERE id = ?", {id})
                   : std::nullopt;
    if (!row) throw sdk::ApiError(404, "lost_reason_not_found", "no lost reason with this id");
    return fromRow(*row);
}

// Throws 422 naming every problem of a create (`creating`) or update body.
void validate(const sdk::Json& body, bool creating) {
    FieldErrors errors;
    BodyReader in(body, {"name", "active"}, errors);
    in.text("name", kMaxName, creating || in.has("name"));
    in.boolean("active", in.has("active"));
    errors.throwIfAny();
}

[[noreturn]] void duplicateName(sdk::Database& db, const std::string& name) {
    auto row = db.queryOne("SELECT id FROM deals_lost_reasons WHERE name_key = ?", {nameKey(name)});
    sdk::Json body_fields = {{"name", "already used"}};
    throw sdk::ApiError(409, "duplicate_name",
                        "a lost reason with this name already exists" + (row ? " (" + (*row)["id"].asText() + ")" : ""),
                        body_fields);
}

}  // namespace

sdk::Response listLostReasons(const sdk::Request& req, sdk::TenantScope& scope) {
    allowOnlyParams(req, {"active"});
    std::string sql = "SELECT id, name, active, version, created_at, updated_at FROM deals_lost_reasons";
    sdk::Params params;
    if (auto active = req.queryParam("active")) {
        if (*active != "true" && *active != "false") badQuery("active", "expected true or false");
        sql += " WHERE active = ?";
        params.emplace_back(*active == "true");
    }
    sql += " ORDER BY name_key, id";
    sdk::Json data = sdk::Json::array();
    for (const auto& r : scope.db().query(sql, params)) data.push_back(fromRow(r));
    // At most kMaxReasons exist, so one page holds them all.
    return sdk::Response::json({{"data", data}, {"next_cursor", nullptr}});
}

sdk::Response createLostReason(const sdk::Request& req, sdk::TenantScope& scope) {
    allowOnlyParams(req, {});
    const sdk::Json body = sdk::parseJsonObject(req);
    validate(body, true);
    auto& db = scope.db();
    const auto count = db.queryOne("SELECT COUNT(*) AS n FROM deals_lost_reasons");
    if (count && (*count)["n"].asInt() >= static_cast<std::int64_t>(kMaxReasons))
        throw sdk::ApiError(422, "validation_failed", "too many lost reasons",
                            {{"name", "at most " + std::to_string(kMaxReasons) + " lost reasons; deactivate or reuse one"}});
    const std::string id = newId("lr_"), now = nowIso(), name = body["name"].get<std::string>();
    try {
        db.execute("INSERT INTO deals_lost_reasons (id, name, name_key, active, version, created_at, updated_at)"
                   " VALUES (?, ?, ?, ?, 1, ?, ?)",
                   {id, name, nameKey(name), body.value("active", true), now, now});
    } catch (const sdk::UniqueViolation&) {
        duplicateName(db, name);
    }
    auto r = itemResponse(requireReason(db, id), 201);
    r.headers["Location"] = "/api/v1/lost-reasons/" + id;
    return r;
}

sdk::Response getLostReason(const sdk::Request& req, sdk::TenantScope& scope) {
    allowOnlyParams(req, {});
    return getResponse(req, requireReason(scope.db(), req.param("id")));
}

sdk::Response patchLostReason(const sdk::Request& req, sdk::TenantScope& scope) {
    allowOnlyParams(req, {});
    const sdk::Json body = sdk::parseJsonObject(req);
    validate(body, false);
    auto& db = scope.db();
    const auto current = requireReason(db, req.param("id"));
    checkIfMatch(req, current);
    const std::string name = body.value("name", current["name"].get<std::string>());
    const bool active = body.value("active", current["active"].get<bool>());
    if (name == current["name"] && active == current["active"]) return itemResponse(current);
    try {
        if (db.execute("UPDATE deals_lost_reasons SET name = ?, name_key = ?, active = ?, version = version + 1,"
                       " updated_at = ? WHERE id = ? AND version = ?",
                       {name, nameKey(name), active, nowIso(), current["id"].get<std::string>(),
                        current["version"].get<std::int64_t>()}) == 0)
            throw sdk::ApiError(412, "precondition_failed", "the lost reason was changed concurrently; retry");
    } catch (const sdk::UniqueViolation&) {
        duplicateName(db, name);
    }
    return itemResponse(requireReason(db, current["id"].get<std::string>()));
}

sdk::Response deleteLostReason(const sdk::Request& req, sdk::TenantScope& scope) {
    allowOnlyParams(req, {});
    auto& db = scope.db();
    db.transaction([&] {
        const auto current = requireReason(db, req.param("id"));
        checkIfMatch(req, current);
        const auto used = db.queryOne("SELECT COUNT(*) AS n FROM deals_deals WHERE lost_reason_id = ?",
                                      {current["id"].get<std::string>()});
        if (used && (*used)["n"].asInt() > 0)
            throw sdk::ApiError(409, "lost_reason_in_use",
                                (*used)["n"].asText() + " deals were lost for this reason; deactivate it instead");
        db.execute("DELETE FROM deals_lost_reasons WHERE id = ?", {current["id"].get<std::string>()});
    });
    return sdk::Response::empty();
}

}  // namespace tessera::plugins::deals
