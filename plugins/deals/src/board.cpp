#include "board.hpp"

#include <map>

#include <tessera/sdk/rest/access.hpp>
#include <tessera/sdk/rest/errors.hpp>
#include <tessera/sdk/rest/list_query.hpp>

#include "deal_store.hpp"
#include "pipelines.hpp"

namespace tessera::plugins::deals {

using namespace sdk::rest;

sdk::Response pipelineBoard(const sdk::Request& req, sdk::TenantScope& scope) {
    allowOnlyParams(req, {"limit", "status", "owner_id", "stage_id", "cursor"});
    auto& db = scope.db();
    const auto pipeline = requirePipeline(db, req.param("id"));
    const std::string pipeline_id = pipeline["id"].get<std::string>();

    std::size_t limit = kDefaultLimit;
    if (auto l = req.queryParam("limit")) limit = parseLimit(*l);
    // Filters shared by the totals and the cards, on top of the pipeline.
    std::string where = " WHERE d.pipeline_id = ?";
    sdk::Params filter{pipeline_id};
    const std::string status = req.queryParam("status").value_or("open");
    if (status != "all") {
        if (status != "open" && status != "won" && status != "lost") badQuery("status", "expected open, won, lost or all");
        where += " AND d.status = ?";
        filter.emplace_back(status);
    }
    if (auto owner = req.queryParam("owner_id")) {
        where += " AND d.owner_id = ?";
        filter.emplace_back(*owner);
    }
    // A role limited to its own deals sees a board of its own deals, totals included.
    const auto rules = scope.access("deals");
    if (auto own = ownerCondition(rules, scope, "d.owner_id", filter); !own.empty()) where += " AND " + own;
    const auto only_stage = req.queryParam("stage_id");
    std::optional<std::pair<std::int64_t, std::string>> after;
    if (auto c = req.queryParam("cursor")) {
        if (!only_stage) badQuery("cursor", "needs stage_id: cursors page through one stage");
        auto j = decodeCursor(*c);
        if (!j || !j->is_object() || (*j)["st"] != *only_stage || !(*j)["p"].is_number_integer() || !(*j)["id"].is_string())
            badQuery("cursor", "not a cursor returned for this stage");
        after.emplace((*j)["p"].get<std::int64_t>(), (*j)["id"].get<std::string>());
    }

    // Count and sum per stage and currency in the database, from the covering
    // (pipeline_id, status, stage_id, currency, amount) index: no row leaves the engine.
    std::map<std::string, std::int64_t> counts;
    std::map<std::string, std::map<std::string, std::int64_t>> sums;
    for (const auto& r : db.query("SELECT d.stage_id, d.currency, COUNT(*) AS n, CAST(SUM(d.amount) AS BIGINT) AS total FROM deals_deals d" +
                                      where + " GROUP BY d.stage_id, d.currency",
                                  filter)) {
        const std::string stage = r["stage_id"].asText();
        counts[stage] += r["n"].asInt();
        sums[stage][r["currency"].asText()] += r["total"].asInt();
    }

    sdk::Json stages = sdk::Json::array();
    bool stage_found = false;
    for (const auto& stage : pipeline["stages"]) {
        const std::string stage_id = stage["id"].get<std::string>();
        if (only_stage && *only_stage != stage_id) continue;
        stage_found = true;
        std::string sql = "SELECT " + dealColumns() + kDealFrom + where + " AND d.stage_id = ?";
        sdk::Params params = filter;
        params.emplace_back(stage_id);
        if (after) {
            sql += " AND (d.position > ? OR (d.position = ? AND d.id > ?))";
            params.insert(params.end(), {after->first, after->first, after->second});
        }
        sql += " ORDER BY d.position, d.id LIMIT ?";
        params.push_back(static_cast<long long>(limit + 1));
        const auto rows = db.query(sql, params);
        sdk::Json cards = sdk::Json::array();
        for (std::size_t i = 0; i < rows.size() && i < limit; ++i) cards.push_back(visible(rules, dealFromRow(rows[i])));
        sdk::Json next = nullptr;
        if (rows.size() > limit)
            next = encodeCursor({{"st", stage_id}, {"p", rows[limit - 1]["position"].asInt()}, {"id", rows[limit - 1]["id"].asText()}});
        sdk::Json totals = sdk::Json::array();
        for (const auto& [currency, amount] : sums[stage_id]) totals.push_back({{"currency", currency}, {"amount", amount}});
        stages.push_back({{"stage", stage},
                          {"count", counts[stage_id]},
                          {"totals", std::move(totals)},
                          {"deals", std::move(cards)},
                          {"next_cursor", std::move(next)}});
    }
    if (only_stage && !stage_found) badQuery("stage_id", "not a stage of this pipeline");
    sdk::Json head = pipeline;
    head.erase("stages");  // each stage comes with its column below
    return sdk::Response::json({{"pipeline", std::move(head)}, {"status", status}, {"stages", std::move(stages)}});
}

}  // namespace tessera::plugins::deals
