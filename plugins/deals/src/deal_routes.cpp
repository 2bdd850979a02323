#include "deal_routes.hpp"

#include <tessera/sdk/rest/access.hpp>
#include <tessera/sdk/rest/errors.hpp>
#include <tessera/sdk/rest/etags.hpp>
#include <tessera/sdk/rest/list_query.hpp>
#include <tessera/sdk/rest/rows.hpp>

#include "deal_store.hpp"

namespace tessera::plugins::deals {

using namespace sdk::rest;

sdk::Json requireVisibleDeal(const sdk::AccessRules& rules, sdk::TenantScope& scope, const std::string& id) {
    auto deal = requireDeal(scope.db(), id);
    requireOwned(rules, scope, deal, "deal");
    return deal;
}

void requireVisibleDealSubject(const sdk::Params& subject, sdk::TenantScope& scope) {
    requireVisibleDeal(scope.access("deals"), scope, subject.at(0).asText());
}

sdk::Response createDealRoute(const sdk::Request& req, sdk::TenantScope& scope) {
    allowOnlyParams(req, {});
    sdk::Json body = sdk::parseJsonObject(req);
    const auto rules = scope.access("deals");
    checkWrite(rules, scope, body, true);
    const auto created = createDeal(scope, body);
    auto r = itemResponse(visible(rules, created), 201);
    r.headers["Location"] = "/api/v1/deals/" + created["id"].get<std::string>();
    return r;
}

sdk::Response getDealRoute(const sdk::Request& req, sdk::TenantScope& scope) {
    allowOnlyParams(req, {});
    const auto rules = scope.access("deals");
    return getResponse(req, visible(rules, requireVisibleDeal(rules, scope, req.param("id"))));
}

sdk::Response patchDealRoute(const sdk::Request& req, sdk::TenantScope& scope) {
    allowOnlyParams(req, {});
    sdk::Json body = sdk::parseJsonObject(req);
    const auto rules = scope.access("deals");
    checkWrite(rules, scope, body, false);
    const auto current = requireVisibleDeal(rules, scope, req.param("id"));
    checkIfMatch(req, current);
    // The UPDATE applies only to the version read here, so a concurrent writer gets 412.
    return itemResponse(visible(rules, updateDeal(scope, current, body)));
}

sdk::Response deleteDealRoute(const sdk::Request& req, sdk::TenantScope& scope) {
    allowOnlyParams(req, {});
    const auto current = requireVisibleDeal(scope.access("deals"), scope, req.param("id"));
    checkIfMatch(req, current);
    deleteDeal(scope, current);
    return sdk::Response::empty();
}

sdk::Response dealHistoryRoute(const sdk::Request& req, sdk::TenantScope& scope) {
    allowOnlyParams(req, {"limit", "cursor"});
    auto& db = scope.db();
    const auto deal = requireVisibleDeal(scope.access("deals"), scope, req.param("id"));
    std::size_t limit = kDefaultLimit;
    if (auto l = req.queryParam("limit")) limit = parseLimit(*l);
    std::string sql =
        "SELECT id, seq, kind, from_stage_id, to_stage_id, from_status, to_status, seconds_in_stage, changed_by, changed_at"
        " FROM deals_history WHERE deal_id = ?";
    sdk::Params params{deal["id"].get<std::string>()};
    if (auto c = req.queryParam("cursor")) {
        auto j = decodeCursor(*c);
        if (!j || !j->is_number_integer()) badQuery("cursor", "not a cursor returned by this list");
        sql += " AND seq > ?";
        params.push_back(j->get<std::int64_t>());
    }
    sql += " ORDER BY seq LIMIT ?";
    params.push_back(static_cast<long long>(limit + 1));
    const auto rows = db.query(sql, params);
    sdk::Json data = sdk::Json::array();
    for (std::size_t i = 0; i < rows.size() && i < limit; ++i) {
        const auto& r = rows[i];
        data.push_back({{"id", r["id"].asText()},
                        {"kind", r["kind"].asText()},
                        {"from_stage_id", sdk::rest::textOrNull(r["from_stage_id"])},
                        {"to_stage_id", r["to_stage_id"].asText()},
                        {"from_status", sdk::rest::textOrNull(r["from_status"])},
                        {"to_status", r["to_status"].asText()},
                        {"seconds_in_stage", sdk::rest::intOrNull(r["seconds_in_stage"])},
                        {"changed_by", sdk::rest::textOrNull(r["changed_by"])},
                        {"changed_at", r["changed_at"].asText()}});
    }
    sdk::Json next = nullptr;
    if (rows.size() > limit)
        next = encodeCursor(rows[limit - 1]["seq"].asInt());
    return sdk::Response::json({{"data", std::move(data)}, {"next_cursor", std::move(next)}});
}

}  // namespace tessera::plugins::deals
