#include "resource_routes.hpp"

#include <tessera/sdk/rest/access.hpp>
#include <tessera/sdk/rest/activities.hpp>
#include <tessera/sdk/rest/custom_fields.hpp>
#include <tessera/sdk/rest/etags.hpp>
#include <tessera/sdk/rest/rows.hpp>
#include <tessera/sdk/rest/text.hpp>

#include "list_query.hpp"
#include "records.hpp"

namespace tessera::plugins::contacts {

using namespace sdk::rest;

namespace {

void requireVisible(const ResourceSpec& spec, const sdk::AccessRules& rules, const sdk::TenantScope& scope,
                    const sdk::Json& record) {
    sdk::rest::requireOwned(rules, scope, record, spec.singular);
}

}  // namespace

sdk::Response listRecords(const ResourceSpec& spec, const sdk::Request& req, sdk::TenantScope& scope) {
    auto& db = scope.db();
    const auto defs = loadDefinitions(db, spec.customFields());
    auto q = parseListQuery(spec, defs, req, db);
    const auto rules = scope.access(spec.plural);
    if (auto own = sdk::rest::ownerCondition(rules, scope, "owner_id", q.where_params); !own.empty())
        q.where = "(" + q.where + ") AND " + own;
    sdk::rest::refuseHiddenInQuery(rules, req);
    sdk::Params params;
    const std::string sql = buildListSql(spec, q, true, params);
    const auto rows = db.query(sql, params);
    sdk::Response r;
    r.headers["Content-Type"] = "application/json";
    r.body = "{\"data\":[";
    RowJsonWriter writer(spec, rules);
    for (std::size_t i = 0; i < rows.size() && i < q.limit; ++i) {
        if (i) r.body += ',';
        writer.append(r.body, rows[i]);
    }
    r.body += "],\"next_cursor\":";
    if (rows.size() > q.limit) appendJsonString(r.body, cursorAfter(q, rows[q.limit - 1]));
    else r.body += "null";
    r.body += '}';
    return r;
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
    sdk::Json body = sdk::parseJsonObject(req);
    const auto rules = scope.access(spec.plural);
    sdk::rest::checkWrite(rules, scope, body, true);
    auto& db = scope.db();
    const auto defs = loadDefinitions(db, spec.customFields());
    // No explicit transaction: the INSERT is atomic on its own, the UNIQUE index settles
    // races on email, and a read-then-write transaction would fail under SQLite write
    // contention instead of waiting.
    try {
        auto created = createRecord(spec, scope, body, defs);
        auto r = itemResponse(sdk::rest::visible(rules, created), 201);
        r.headers["Location"] = "/api/v1/" + spec.plural + "/" + created["id"].get<std::string>();
        return r;
    } catch (const DuplicateEmail& dup) {
        if (!upsert) return dup.toResponse();
        const auto current = requireRecord(db, spec, dup.existingId());
        requireVisible(spec, rules, scope, current);
        return itemResponse(sdk::rest::visible(rules, updateRecord(spec, scope, current, body, defs)), 200);
    }
}

sdk::Response getRecordRoute(const ResourceSpec& spec, const sdk::Request& req, sdk::TenantScope& scope) {
    const auto row = findRow(scope.db(), spec, req.param("id"));
    if (!row) throw notFound(spec);
    const auto rules = scope.access(spec.plural);
    requireVisible(spec, rules, scope, {{"owner_id", textOrNull((*row)["owner_id"])}});
    // Written like a list row, without a JSON document in between.
    std::string body;
    RowJsonWriter(spec, rules).append(body, *row);
    return sdk::rest::getResponse(req, std::move(body), (*row)["version"].asInt());
}

sdk::Response patchRecordRoute(const ResourceSpec& spec, const sdk::Request& req, sdk::TenantScope& scope) {
    sdk::Json body = sdk::parseJsonObject(req);
    const auto rules = scope.access(spec.plural);
    sdk::rest::checkWrite(rules, scope, body, false);
    auto& db = scope.db();
    // Optimistic: the UPDATE only applies to the version read here (412 otherwise).
    try {
        const auto current = requireRecord(db, spec, req.param("id"));
        requireVisible(spec, rules, scope, current);
        checkIfMatch(req, current);
        const auto defs = loadDefinitions(db, spec.customFields());
        return itemResponse(sdk::rest::visible(rules, updateRecord(spec, scope, current, body, defs)));
    } catch (const DuplicateEmail& dup) {
        return dup.toResponse();
    }
}

namespace {

void requireVisibleRecord(const ResourceSpec& spec, const std::string& id, sdk::TenantScope& scope) {
    requireVisible(spec, scope.access(spec.plural), scope, requireRecord(scope.db(), spec, id));
}

sdk::Response listUnderRecord(const ResourceSpec& spec, ActivityFilter which, const sdk::Request& req,
                              sdk::TenantScope& scope) {
    requireVisibleRecord(spec, req.param("id"), scope);
    return listActivities(kActivities, {spec.singular, req.param("id")}, which, req, scope);
}

sdk::Response addUnderRecord(const ResourceSpec& spec, bool note, const sdk::Request& req, sdk::TenantScope& scope) {
    requireVisibleRecord(spec, req.param("id"), scope);
    return createActivity(kActivities, {spec.singular, req.param("id")}, note, req, scope);
}

}  // namespace

sdk::Response listRecordNotes(const ResourceSpec& spec, const sdk::Request& req, sdk::TenantScope& scope) {
    return listUnderRecord(spec, ActivityFilter::Notes, req, scope);
}

sdk::Response listRecordActivities(const ResourceSpec& spec, const sdk::Request& req, sdk::TenantScope& scope) {
    return listUnderRecord(spec, ActivityFilter::Activities, req, scope);
}

sdk::Response recordTimeline(const ResourceSpec& spec, const sdk::Request& req, sdk::TenantScope& scope) {
    return listUnderRecord(spec, ActivityFilter::All, req, scope);
}

sdk::Response addRecordNote(const ResourceSpec& spec, const sdk::Request& req, sdk::TenantScope& scope) {
    return addUnderRecord(spec, true, req, scope);
}

sdk::Response addRecordActivity(const ResourceSpec& spec, const sdk::Request& req, sdk::TenantScope& scope) {
    return addUnderRecord(spec, false, req, scope);
}

void requireVisibleSubject(const sdk::Params& subject, sdk::TenantScope& scope) {
    const std::string type = subject.at(0).asText();
    const ResourceSpec& spec = type == companySpec().singular ? companySpec() : contactSpec();
    requireVisibleRecord(spec, subject.at(1).asText(), scope);
}

sdk::Response deleteRecordRoute(const ResourceSpec& spec, const sdk::Request& req, sdk::TenantScope& scope) {
    auto& db = scope.db();
    const auto rules = scope.access(spec.plural);
    db.transaction([&] {
        const auto current = requireRecord(db, spec, req.param("id"));
        requireVisible(spec, rules, scope, current);
        checkIfMatch(req, current);
        deleteRecord(spec, scope, current);
    });
    return sdk::Response::empty();
}

}  // namespace tessera::plugins::contacts
