#include "deal_list.hpp"

#include <tessera/sdk/rest/access.hpp>
#include <tessera/sdk/rest/list_query.hpp>
#include <tessera/sdk/rest/text.hpp>

#include "deal_store.hpp"

namespace tessera::plugins::deals {

using namespace sdk::rest;

namespace {

// The filterable and sortable fields of a deal; `q` matches the title.
ListSpec dealListSpec(sdk::Database& db) {
    using K = ColumnKind;
    ListSpec spec;
    spec.columns = {
        {"id", "d.id", K::Text, false, false},
        {"title", "d.title", K::Text, true, false},
        {"pipeline_id", "d.pipeline_id", K::Text, false, false},
        {"stage_id", "d.stage_id", K::Text, false, false},
        {"status", "d.status", K::Text, false, false},
        {"contact_id", "d.contact_id", K::Text, false, true},
        {"company_id", "d.company_id", K::Text, false, true},
        {"owner_id", "d.owner_id", K::Text, false, true},
        {"currency", "d.currency", K::Text, false, false},
        {"lost_reason_id", "d.lost_reason_id", K::Text, false, true},
        {"amount", "d.amount", K::Integer, true, false},
        {"expected_close_date", "d.expected_close_date", K::Date, true, true},
        {"closed_at", "d.closed_at", K::Timestamp, true, true},
        {"created_at", "d.created_at", K::Timestamp, true, false},
        {"updated_at", "d.updated_at", K::Timestamp, true, false},
    };
    spec.id_sql = "d.id";
    spec.custom_fields_sql = "d.custom_fields";
    spec.custom_fields = loadDefinitions(db, kDealCustomFields);
    spec.search = [](const std::string& q, ListQuery& query) {
        query.where += " AND lower(d.title) LIKE ? ESCAPE '\\'";
        query.where_params.emplace_back(containsPattern(lowerAscii(q)));
    };
    return spec;
}

}  // namespace

sdk::Json findDeals(const std::map<std::string, std::string>& parameters, sdk::TenantScope& scope) {
    auto& db = scope.db();
    auto query = parseListQuery(dealListSpec(db), parameters, db.engine());
    const auto rules = scope.access("deals");
    refuseHiddenInQuery(rules, parameters);
    if (auto own = ownerCondition(rules, scope, "d.owner_id", query.where_params); !own.empty())
        query.where = "(" + query.where + ") AND " + own;
    sdk::Params params;
    const std::string sql = query.sql(dealColumns(), kDealFrom, true, params);
    return query.page(db.query(sql, params), [&](const sdk::Row& r) { return visible(rules, dealFromRow(r)); });
}

sdk::Response listDeals(const sdk::Request& req, sdk::TenantScope& scope) {
    return sdk::Response::json(findDeals(req.query, scope));
}

}  // namespace tessera::plugins::deals
