#include "forecast.hpp"

#include <cmath>
#include <map>
#include <set>

#include <tessera/sdk/rest/access.hpp>
#include <tessera/sdk/rest/dates.hpp>
#include <tessera/sdk/rest/errors.hpp>

#include "pipelines.hpp"

namespace tessera::plugins::deals {

using namespace sdk::rest;

namespace {

constexpr int kMaxMonths = 120;

struct Bucket {
    std::int64_t open_count = 0, open_amount = 0;
    __int128 weighted_hundredths = 0;  // Σ amount × probability, exact
    std::int64_t won_count = 0, won_amount = 0, lost_count = 0, lost_amount = 0;

    sdk::Json toJson(const std::string& currency) const {
        return {{"currency", currency},
                {"open_count", open_count},
                {"open_amount", open_amount},
                {"weighted_amount", static_cast<std::int64_t>((weighted_hundredths + 50) / 100)},
                {"won_count", won_count},
                {"won_amount", won_amount},
                {"lost_count", lost_count},
                {"lost_amount", lost_amount}};
    }
    void add(const Bucket& o) {
        open_count += o.open_count, open_amount += o.open_amount, weighted_hundredths += o.weighted_hundredths;
        won_count += o.won_count, won_amount += o.won_amount, lost_count += o.lost_count, lost_amount += o.lost_amount;
    }
};

std::string lastDayOf(const std::string& month) {
    for (int d = 31; d >= 28; --d) {
        const std::string date = month + "-" + std::to_string(d);
        if (validDate(date)) return date;
    }
    return month + "-28";
}

// A range bound: a date, or a month (the first or last day of it).
std::string parseBound(const std::string& param, const std::string& raw, bool end) {
    if (validDate(raw)) return raw;
    if (raw.size() == 7 && validDate(raw + "-01")) return end ? lastDayOf(raw) : raw + "-01";
    badQuery(param, "expected a date (YYYY-MM-DD) or a month (YYYY-MM)");
}

sdk::Json rate(std::int64_t part, std::int64_t whole) {
    if (whole == 0) return nullptr;
    return std::round(static_cast<double>(part) / static_cast<double>(whole) * 10000.0) / 10000.0;
}

}  // namespace

sdk::Response dealForecast(const sdk::Request& req, sdk::TenantScope& scope) {
    allowOnlyParams(req, {"from", "to", "owner_id", "pipeline_id"});
    auto& db = scope.db();
    const std::string this_month = monthOf(nowIso());
    std::string default_to = this_month;
    for (int i = 0; i < 11; ++i) default_to = nextMonth(default_to);
    const std::string from = parseBound("from", req.queryParam("from").value_or(this_month), false);
    const std::string to = parseBound("to", req.queryParam("to").value_or(default_to), true);
    if (to < from) badQuery("to", "must not be before from");
    std::vector<std::string> months{monthOf(from)};
    while (months.back() < monthOf(to)) {
        months.push_back(nextMonth(months.back()));
        if (months.size() > kMaxMonths) badQuery("to", "the range spans more than " + std::to_string(kMaxMonths) + " months");
    }
    const std::string to_end = to + "T23:59:59.999Z";

    std::string scope_where;
    sdk::Params scope_params;
    sdk::Json pipeline_filter = nullptr, owner_filter = nullptr;
    if (auto p = req.queryParam("pipeline_id")) {
        requirePipeline(db, *p);
        scope_where += " AND d.pipeline_id = ?";
        scope_params.emplace_back(*p);
        pipeline_filter = *p;
    }
    if (auto o = req.queryParam("owner_id")) {
        scope_where += " AND d.owner_id = ?";
        scope_params.emplace_back(*o);
        owner_filter = *o;
    }
    if (auto own = ownerCondition(scope.access("deals"), scope, "d.owner_id", scope_params); !own.empty())
        scope_where += " AND " + own;
    auto with = [&](sdk::Params head) {
        head.insert(head.end(), scope_params.begin(), scope_params.end());
        return head;
    };

    std::map<std::string, std::map<std::string, Bucket>> by_month;  // month -> currency -> bucket
    db.stream("SELECT d.amount, d.currency, d.expected_close_date, s.probability FROM deals_deals d"
              " JOIN deals_stages s ON s.id = d.stage_id WHERE d.status = 'open'"
              " AND d.expected_close_date >= ? AND d.expected_close_date <= ?" + scope_where,
              with({from, to}), [&](const sdk::Row& r) {
                  auto& b = by_month[monthOf(r["expected_close_date"].asText())][r["currency"].asText()];
                  const std::int64_t amount = r["amount"].asInt();
                  ++b.open_count;
                  b.open_amount += amount;
                  b.weighted_hundredths += static_cast<__int128>(amount) * r["probability"].asInt();
                  return true;
              });
    std::int64_t cycle_count = 0;
    long double cycle_seconds = 0;
    db.stream("SELECT d.status, d.amount, d.currency, d.closed_at, d.created_at FROM deals_deals d"
              " WHERE d.status IN ('won', 'lost') AND d.closed_at >= ? AND d.closed_at <= ?" + scope_where,
              with({from, to_end}), [&](const sdk::Row& r) {
                  auto& b = by_month[monthOf(r["closed_at"].asText())][r["currency"].asText()];
                  const std::int64_t amount = r["amount"].asInt();
                  if (r["status"].asText() == "won") {
                      ++b.won_count, b.won_amount += amount;
                      const auto closed = epochMillis(r["closed_at"].asText()), created = epochMillis(r["created_at"].asText());
                      if (closed && created) {
                          ++cycle_count;
                          cycle_seconds += static_cast<long double>(*closed - *created) / 1000.0L;
                      }
                  } else {
                      ++b.lost_count, b.lost_amount += amount;
                  }
                  return true;
              });

    sdk::Json month_list = sdk::Json::array();
    std::map<std::string, Bucket> totals;
    for (const auto& m : months) {
        sdk::Json currencies = sdk::Json::array();
        for (const auto& [currency, b] : by_month[m]) {
            currencies.push_back(b.toJson(currency));
            totals[currency].add(b);
        }
        month_list.push_back({{"month", m}, {"currencies", std::move(currencies)}});
    }
    sdk::Json total_list = sdk::Json::array();
    for (const auto& [currency, b] : totals) total_list.push_back(b.toJson(currency));

    // Stage conversion over the cohort of deals created in the range.
    std::map<std::string, std::string> status_of;  // deal -> status
    db.stream("SELECT d.id, d.status FROM deals_deals d WHERE d.created_at >= ? AND d.created_at <= ?" + scope_where,
              with({from, to_end}), [&](const sdk::Row& r) {
                  status_of[r["id"].asText()] = r["status"].asText();
                  return true;
              });
    std::map<std::string, std::set<std::string>> reached_by;  // deal -> stages entered
    db.stream("SELECT h.deal_id, h.to_stage_id FROM deals_history h JOIN deals_deals d ON d.id = h.deal_id"
              " WHERE h.kind IN ('created', 'stage') AND d.created_at >= ? AND d.created_at <= ?" + scope_where,
              with({from, to_end}), [&](const sdk::Row& r) {
                  reached_by[r["deal_id"].asText()].insert(r["to_stage_id"].asText());
                  return true;
              });
    std::vector<Stage> stages;
    std::string pipelines_sql = "SELECT id FROM deals_pipelines";
    sdk::Params pipelines_params;
    if (!pipeline_filter.is_null()) {
        pipelines_sql += " WHERE id = ?";
        pipelines_params.emplace_back(pipeline_filter.get<std::string>());
    }
    for (const auto& p : db.query(pipelines_sql + " ORDER BY position, created_at, id", pipelines_params))
        for (auto& s : stagesOf(db, p["id"].asText())) stages.push_back(std::move(s));
    std::map<std::string, const Stage*> stage_by_id;
    for (const auto& s : stages) stage_by_id[s.id] = &s;

    sdk::Json stage_list = sdk::Json::array();
    for (const auto& s : stages) {
        std::int64_t reached = 0, advanced = 0, won = 0;
        for (const auto& [deal, entered] : reached_by) {
            if (!entered.count(s.id) || !status_of.count(deal)) continue;
            ++reached;
            const bool is_won = status_of[deal] == "won";
            won += is_won;
            bool later = is_won;
            for (const auto& other : entered) {
                auto it = stage_by_id.find(other);
                later = later || (it != stage_by_id.end() && it->second->pipeline_id == s.pipeline_id &&
                                  it->second->position > s.position);
            }
            advanced += later;
        }
        stage_list.push_back({{"pipeline_id", s.pipeline_id},
                              {"stage_id", s.id},
                              {"name", s.name},
                              {"position", s.position},
                              {"probability", s.probability},
                              {"reached", reached},
                              {"advanced", advanced},
                              {"won", won},
                              {"conversion_rate", rate(advanced, reached)},
                              {"win_rate", rate(won, reached)}});
    }

    sdk::Json average_days = nullptr;
    if (cycle_count > 0)
        average_days = static_cast<double>(std::round(cycle_seconds / cycle_count / 86400.0L * 100.0L) / 100.0L);
    return sdk::Response::json({{"from", from},
                                {"to", to},
                                {"owner_id", owner_filter},
                                {"pipeline_id", pipeline_filter},
                                {"months", std::move(month_list)},
                                {"totals", std::move(total_list)},
                                {"stages", std::move(stage_list)},
                                {"cycle_time", {{"won_count", cycle_count}, {"average_days", average_days}}}});
}

}  // namespace tessera::plugins::deals
