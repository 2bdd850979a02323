#include "script_functions.hpp"

#include <map>
#include <string>

#include <tessera/sdk/rest/access.hpp>

#include "deal_list.hpp"
#include "deal_routes.hpp"
#include "deal_store.hpp"

namespace tessera::plugins::deals {

using sdk::rest::checkWrite;
using sdk::rest::visible;

namespace {

std::string requireId(const sdk::Json& args) {
    if (!args.is_object() || !args.contains("id") || !args["id"].is_string())
        throw sdk::ApiError(422, "validation_failed", "id is required", {{"id", "is required"}});
    return args["id"].get<std::string>();
}

// Lua numbers arrive as JSON numbers; turn a filter value into query text.
std::string queryText(const sdk::Json& v) {
    if (v.is_string()) return v.get<std::string>();
    if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
    if (v.is_number_integer()) return std::to_string(v.get<std::int64_t>());
    if (v.is_array()) {
        std::string out;
        for (const auto& e : v) out += (out.empty() ? "" : ",") + queryText(e);
        return out;
    }
    return v.dump();
}

sdk::Json updateVisibleDeal(sdk::TenantScope& scope, const std::string& id, sdk::Json changes) {
    const auto rules = scope.access("deals");
    checkWrite(rules, scope, changes, false);
    return visible(rules, updateDeal(scope, requireVisibleDeal(rules, scope, id), changes));
}

}  // namespace

// Each function applies the run_as role's rules as the routes do: a role limited to its
// own deals sees and changes only those (404 otherwise), hidden fields are left out of
// answers and refused in writes.

sdk::Json scriptGet(const sdk::Json& args, sdk::TenantScope& scope) {
    const auto rules = scope.access("deals");
    return visible(rules, requireVisibleDeal(rules, scope, requireId(args)));
}

sdk::Json scriptFind(const sdk::Json& args, sdk::TenantScope& scope) {
    std::map<std::string, std::string> query;  // the list parameters of GET /api/v1/deals
    if (!args.is_null() && !args.is_object())
        throw sdk::ApiError(422, "validation_failed", "find takes a table", {{"args", "must be a table"}});
    if (args.is_object())
        for (const auto& [k, v] : args.items()) {
            if (k == "filter") {
                if (!v.is_object())
                    throw sdk::ApiError(422, "validation_failed", "filter must be a table", {{"filter", "must be a table"}});
                for (const auto& [field, cond] : v.items()) {
                    if (cond.is_object())
                        for (const auto& [op, value] : cond.items()) query["filter[" + field + "][" + op + "]"] = queryText(value);
                    else
                        query["filter[" + field + "]"] = queryText(cond);
                }
            } else {
                query[k] = queryText(v);
            }
        }
    return findDeals(query, scope);
}

sdk::Json scriptCreate(const sdk::Json& args, sdk::TenantScope& scope) {
    if (!args.is_object()) throw sdk::ApiError(422, "validation_failed", "create takes a table of deal fields");
    const auto rules = scope.access("deals");
    sdk::Json fields = args;
    checkWrite(rules, scope, fields, true);
    return visible(rules, createDeal(scope, fields));
}

sdk::Json scriptUpdate(const sdk::Json& args, sdk::TenantScope& scope) {
    const std::string id = requireId(args);
    sdk::Json changes = args;
    changes.erase("id");
    return updateVisibleDeal(scope, id, std::move(changes));
}

sdk::Json scriptMove(const sdk::Json& args, sdk::TenantScope& scope) {
    const std::string id = requireId(args);
    sdk::Json changes = sdk::Json::object();
    for (const auto& [k, v] : args.items()) {
        if (k == "id") continue;
        if (k != "stage_id" && k != "position")
            throw sdk::ApiError(422, "validation_failed", "move takes id, stage_id and position", {{k, "unknown field"}});
        changes[k] = v;
    }
    if (!changes.contains("stage_id") && !changes.contains("position"))
        throw sdk::ApiError(422, "validation_failed", "stage_id or position is required", {{"stage_id", "is required"}});
    return updateVisibleDeal(scope, id, std::move(changes));
}

}  // namespace tessera::plugins::deals
