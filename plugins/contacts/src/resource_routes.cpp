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
    const auto [q, rules] = parseVisibleList(spec, req.query, scope);
    sdk::Params params;
    const std::string sql = buildListSql(spec, q, true, params);
    const auto rows = scope.db().query(sql, params);
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

sdk::Json getVisibleRecord(const ResourceSpec& spec, sdk::TenantScope& scope, const std::string& id) {
    const auto rules = scope.access(spec.plural);
    auto record = requireRecord(scope.db(), spec, id);
    requireVisible(spec, rules, scope, record);
    return sdk::rest::visible(rules, std::move(record));
}

sdk::Json findVisibleRecords(const ResourceSpec& spec, const std::map<std::string, std::string>& query,
                             sdk::TenantScope& scope) {
    const auto [q, rules] = parseVisibleList(spec, query, scope);
    sdk::Params params;
    const auto rows = scope.db().query(buildListSql(spec, q, true, params), params);
    sdk::Json data = sdk::Json::array();
    for (std::size_t i = 0; i < rows.size() && i < q.limit; ++i)
        data.push_back(sdk::rest::visible(rules, rowToJson(spec, rows[i])));
    return data;
}

sdk::Json createVisibleRecord(const ResourceSpec& spec, sdk::TenantScope& scope, sdk::Json body) {
    const auto rules = scope.access(spec.plural);
    sdk::rest::checkWrite(rules, scope, body, true);
    // No explicit transaction: the INSERT is atomic on its own, the UNIQUE index settles
    // races on email, and a read-then-write transaction would fail under SQLite write
    // contention instead of waiting.
    const auto defs = loadDefinitions(scope.db(), spec.customFields());
    return sdk::rest::visible(rules, createRecord(spec, scope, body, defs));
}

sdk::Json updateVisibleRecord(const ResourceSpec& spec, sdk::TenantScope& scope, const std::string& id, sdk::Json body,
                              const std::function<void(const sdk::Json& current)>& precondition) {
    const auto rules = scope.access(spec.plural);
    sdk::rest::checkWrite(rules, scope, body, false);
    auto& db = scope.db();
    // Optimistic: the UPDATE only applies to the version read here (412 otherwise).
    const auto current = requireRecord(db, spec, id);
    requireVisible(spec, rules, scope, current);
    if (precondition) precondition(current);
    const auto defs = loadDefinitions(db, spec.customFields());
    return sdk::rest::visible(rules, updateRecord(spec, scope, current, body, defs));
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
    try {
        auto created = createVisibleRecord(spec, scope, body);
        auto r = itemResponse(created, 201);
        r.headers["Location"] = "/api/v1/" + spec.plural + "/" + created["id"].get<std::string>();
        return r;
    } catch (const DuplicateEmail& dup) {
        if (!upsert) return dup.toResponse();
        return itemResponse(updateVisibleRecord(spec, scope, dup.existingId(), body), 200);
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
    try {
        return itemResponse(updateVisibleRecord(spec, scope, req.param("id"), sdk::parseJsonObject(req),
                                                [&req](const sdk::Json& current) { checkIfMatch(req, current); }));
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
