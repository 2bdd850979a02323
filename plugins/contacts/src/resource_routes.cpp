#include "resource_routes.hpp"

#include "custom_fields.hpp"
#include "list_query.hpp"
#include "records.hpp"

namespace tessera::plugins::contacts {

sdk::Response listRecords(const ResourceSpec& spec, const sdk::Request& req, sdk::TenantScope& scope) {
    auto& db = scope.db();
    const auto defs = loadDefinitions(db, spec.plural);
    const auto q = parseListQuery(spec, defs, req, db.engine());
    sdk::Params params;
    const std::string sql = buildListSql(spec, q, true, params);
    const auto rows = db.query(sql, params);
    sdk::Json data = sdk::Json::array();
    for (std::size_t i = 0; i < rows.size() && i < q.limit; ++i) data.push_back(rowToJson(spec, rows[i]));
    sdk::Json next = nullptr;
    if (rows.size() > q.limit) next = cursorAfter(q, rows[q.limit - 1]);
    return sdk::Response::json({{"data", std::move(data)}, {"next_cursor", std::move(next)}});
}

sdk::Response createRecordRoute(const ResourceSpec& spec, const sdk::Request& req, sdk::TenantScope& scope) {
    bool upsert = false;
    for (const auto& [key, value] : req.query) {
        if (key == "upsert" && spec.unique_email && value == "email")
            upsert = true;
        else
            throw sdk::ApiError(400, "invalid_query", key + ": not supported here",
                                {{key, spec.unique_email ? "only upsert=email is supported" : "unknown query parameter"}});
    }
    const sdk::Json body = sdk::parseJsonObject(req);
    auto& db = scope.db();
    const auto defs = loadDefinitions(db, spec.plural);
    // No explicit transaction: the INSERT is atomic on its own, the UNIQUE index settles
    // races on email, and a read-then-write transaction would fail under SQLite write
    // contention instead of waiting.
    try {
        auto created = createRecord(spec, scope, body, defs);
        auto r = recordResponse(created, 201);
        r.headers["Location"] = "/api/v1/" + spec.plural + "/" + created["id"].get<std::string>();
        return r;
    } catch (const DuplicateEmail& dup) {
        if (!upsert) return dup.toResponse();
        const auto current = requireRecord(db, spec, dup.existingId());
        return recordResponse(updateRecord(spec, scope, current, body, defs), 200);
    }
}

sdk::Response getRecordRoute(const ResourceSpec& spec, const sdk::Request& req, sdk::TenantScope& scope) {
    auto record = requireRecord(scope.db(), spec, req.param("id"));
    auto r = recordResponse(record);
    if (auto inm = req.header("If-None-Match"); inm && *inm == etagOf(record)) {
        r.status = 304;
        r.body.clear();
    }
    return r;
}

sdk::Response patchRecordRoute(const ResourceSpec& spec, const sdk::Request& req, sdk::TenantScope& scope) {
    const sdk::Json body = sdk::parseJsonObject(req);
    auto& db = scope.db();
    // Optimistic: the UPDATE only applies to the version read here (412 otherwise).
    try {
        const auto current = requireRecord(db, spec, req.param("id"));
        checkIfMatch(req, current);
        const auto defs = loadDefinitions(db, spec.plural);
        return recordResponse(updateRecord(spec, scope, current, body, defs));
    } catch (const DuplicateEmail& dup) {
        return dup.toResponse();
    }
}

sdk::Response deleteRecordRoute(const ResourceSpec& spec, const sdk::Request& req, sdk::TenantScope& scope) {
    auto& db = scope.db();
    db.transaction([&] {
        const auto current = requireRecord(db, spec, req.param("id"));
        checkIfMatch(req, current);
        deleteRecord(spec, scope, current);
    });
    return sdk::Response::empty();
}

}  // namespace tessera::plugins::contacts
