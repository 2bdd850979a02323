// The forecast's arithmetic on a seeded pipeline, with every expected number worked out
// by hand below.
//
// Pipeline "Forecast": Lead 10%, Proposal 50%, Negotiation 80%. Owner rep_1 unless noted.
// M0 = this month, M1 = next month.
//   A  Lead         10000 EUR  close M0-15  open
//   B  Proposal      3333 EUR  close M0-20  open
//   B2 Proposal      3333 EUR  close M0-20  open
//   C  Negotiation   2501 EUR  close M1-10  open
//   D  Proposal       999 USD  close M1-10  open
//   E  Lead -> Proposal -> Negotiation -> won   5000 EUR
//   F  Lead -> Proposal -> lost                  700 EUR
//   G  Lead -> won                               300 USD
//   H  Lead         1000 EUR  close M1-10  open, owner rep_2
// Weighted amounts are summed exactly and rounded once, half up:
//   M0 EUR: 10000*10 + 3333*50 + 3333*50 = 433300 -> 4333 (rounding each deal would give 4334)
//   M1 EUR: 2501*80 = 200080 -> 2001;  M1 USD: 999*50 = 49950 -> 500 (half up)
//   total EUR: 633380 -> 6334

#include <cmath>
#include <ctime>

#include "deals_fixture.hpp"

namespace tessera::plugins::deals::test {
namespace {

class DealsForecast : public DealsTest {};

Json currencyRow(const Json& month, const std::string& currency) {
    for (const auto& c : month["currencies"])
        if (c["currency"] == currency) return c;
    return nullptr;
}

Json monthRow(const Json& forecast, const std::string& m) {
    for (const auto& row : forecast["months"])
        if (row["month"] == m) return row;
    return nullptr;
}

TEST_F(DealsForecast, WeightedPipelineWonLostConversionAndCycleTime) {
    auto p = createPipeline("Forecast", {{"Lead", 10}, {"Proposal", 50}, {"Negotiation", 80}});
    const std::string lead = stageId(p, 0), proposal = stageId(p, 1), negotiation = stageId(p, 2);
    const std::string m0 = month(0), m1 = month(1);
    auto deal = [&](const std::string& title, const std::string& stage, int amount, const std::string& currency,
                    const Json& close, const std::string& owner = "rep_1") {
        return createDeal({{"title", title}, {"stage_id", stage}, {"amount", amount}, {"currency", currency},
                           {"expected_close_date", close}, {"owner_id", owner}});
    };
    deal("A", lead, 10000, "EUR", m0 + "-15");
    deal("B", proposal, 3333, "EUR", m0 + "-20");
    deal("B2", proposal, 3333, "EUR", m0 + "-20");
    deal("C", negotiation, 2501, "EUR", m1 + "-10");
    deal("D", proposal, 999, "USD", m1 + "-10");
    auto e = deal("E", lead, 5000, "EUR", nullptr);
    expect(200, "PATCH", "/api/v1/deals/" + id(e), {{"stage_id", proposal}});
    expect(200, "PATCH", "/api/v1/deals/" + id(e), {{"stage_id", negotiation}});
    e = expect(200, "PATCH", "/api/v1/deals/" + id(e), {{"status", "won"}});
    auto reason = expect(201, "POST", "/api/v1/lost-reasons", {{"name", "Went dark"}});
    auto f = deal("F", lead, 700, "EUR", nullptr);
    expect(200, "PATCH", "/api/v1/deals/" + id(f), {{"stage_id", proposal}});
    expect(200, "PATCH", "/api/v1/deals/" + id(f), {{"status", "lost"}, {"lost_reason_id", id(reason)}});
    auto g = deal("G", lead, 300, "USD", nullptr);
    g = expect(200, "PATCH", "/api/v1/deals/" + id(g), {{"status", "won"}});
    deal("H", lead, 1000, "EUR", m1 + "-10", "rep_2");

    const std::string base = "/api/v1/deals/forecast?pipeline_id=" + id(p) + "&from=" + m0 + "&to=" + m1;
    auto fc = expect(200, "GET", base + "&owner_id=rep_1");
    EXPECT_EQ(fc["from"], m0 + "-01");
    EXPECT_EQ(fc["owner_id"], "rep_1");
    ASSERT_EQ(fc["months"].size(), 2u);

    auto m0_eur = currencyRow(monthRow(fc, m0), "EUR");
    EXPECT_EQ(m0_eur, Json({{"currency", "EUR"}, {"open_count", 3}, {"open_amount", 16666}, {"weighted_amount", 4333},
                            {"won_count", 1}, {"won_amount", 5000}, {"lost_count", 1}, {"lost_amount", 700}}));
    auto m0_usd = currencyRow(monthRow(fc, m0), "USD");
    EXPECT_EQ(m0_usd, Json({{"currency", "USD"}, {"open_count", 0}, {"open_amount", 0}, {"weighted_amount", 0},
                            {"won_count", 1}, {"won_amount", 300}, {"lost_count", 0}, {"lost_amount", 0}}));
    auto m1_eur = currencyRow(monthRow(fc, m1), "EUR");
    EXPECT_EQ(m1_eur["open_count"], 1);
    EXPECT_EQ(m1_eur["open_amount"], 2501);
    EXPECT_EQ(m1_eur["weighted_amount"], 2001);
    EXPECT_EQ(currencyRow(monthRow(fc, m1), "USD")["weighted_amount"], 500);

    ASSERT_EQ(fc["totals"].size(), 2u);
    EXPECT_EQ(fc["totals"][0], Json({{"currency", "EUR"}, {"open_count", 4}, {"open_amount", 19167}, {"weighted_amount", 6334},
                                     {"won_count", 1}, {"won_amount", 5000}, {"lost_count", 1}, {"lost_amount", 700}}));
    EXPECT_EQ(fc["totals"][1]["currency"], "USD");
    EXPECT_EQ(fc["totals"][1]["weighted_amount"], 500);

    // Conversion: Lead reached by A, E, F, G; went further: E, F (later stage), G (won).
    ASSERT_EQ(fc["stages"].size(), 3u);
    auto st = fc["stages"];
    EXPECT_EQ(st[0]["name"], "Lead");
    EXPECT_EQ(st[0]["reached"], 4);
    EXPECT_EQ(st[0]["advanced"], 3);
    EXPECT_EQ(st[0]["won"], 2);
    EXPECT_DOUBLE_EQ(st[0]["conversion_rate"].get<double>(), 0.75);
    EXPECT_DOUBLE_EQ(st[0]["win_rate"].get<double>(), 0.5);
    // Proposal reached by B, B2, D, E, F; only E went on (and won).
    EXPECT_EQ(st[1]["reached"], 5);
    EXPECT_EQ(st[1]["advanced"], 1);
    EXPECT_DOUBLE_EQ(st[1]["conversion_rate"].get<double>(), 0.2);
    EXPECT_DOUBLE_EQ(st[1]["win_rate"].get<double>(), 0.2);
    // Negotiation reached by C and E; E won.
    EXPECT_EQ(st[2]["reached"], 2);
    EXPECT_EQ(st[2]["advanced"], 1);
    EXPECT_DOUBLE_EQ(st[2]["conversion_rate"].get<double>(), 0.5);

    // Cycle time: mean of E's and G's created_at -> closed_at, in days, 2 decimals.
    auto millis = [](const std::string& iso) {
        std::tm tm{};
        strptime(iso.substr(0, 19).c_str(), "%Y-%m-%dT%H:%M:%S", &tm);
        return static_cast<double>(timegm(&tm)) * 1000.0 + std::stoi(iso.substr(20, 3));
    };
    auto span = [&](const Json& d) {
        return millis(d["closed_at"].get<std::string>()) - millis(d["created_at"].get<std::string>());
    };
    const double days = (span(e) + span(g)) / 2.0 / 1000.0 / 86400.0;
    EXPECT_EQ(fc["cycle_time"]["won_count"], 2);
    EXPECT_NEAR(fc["cycle_time"]["average_days"].get<double>(), std::round(days * 100) / 100, 1e-9);

    // Without the owner filter, H joins next month's EUR row: 200080 + 1000*10 = 210080 -> 2101.
    auto everyone = expect(200, "GET", base);
    EXPECT_EQ(currencyRow(monthRow(everyone, m1), "EUR")["weighted_amount"], 2101);
    EXPECT_EQ(everyone["stages"][0]["reached"], 5);
    auto rep2 = expect(200, "GET", base + "&owner_id=rep_2");
    EXPECT_EQ(rep2["totals"], Json::parse(R"([{"currency":"EUR","open_count":1,"open_amount":1000,"weighted_amount":100,
        "won_count":0,"won_amount":0,"lost_count":0,"lost_amount":0}])"));
    EXPECT_TRUE(rep2["cycle_time"]["average_days"].is_null());
    EXPECT_TRUE(rep2["stages"][1]["conversion_rate"].is_null()) << "no deal of rep_2 reached Proposal";
}

TEST_F(DealsForecast, RangeParametersAreValidated) {
    EXPECT_EQ(call("GET", "/api/v1/deals/forecast?from=2026-13").status, 400);
    EXPECT_EQ(call("GET", "/api/v1/deals/forecast?from=2026-05&to=2026-04").status, 400);
    EXPECT_EQ(call("GET", "/api/v1/deals/forecast?from=2000-01&to=2030-01").status, 400);
    EXPECT_EQ(call("GET", "/api/v1/deals/forecast?pipeline_id=pip_nope").status, 404);
    EXPECT_EQ(call("GET", "/api/v1/deals/forecast?bogus=1").status, 400);
    auto fc = expect(200, "GET", "/api/v1/deals/forecast?from=2026-02-10&to=2026-04-05");
    EXPECT_EQ(fc["from"], "2026-02-10");
    EXPECT_EQ(fc["to"], "2026-04-05");
    ASSERT_EQ(fc["months"].size(), 3u);
    EXPECT_EQ(fc["months"][2]["month"], "2026-04");
    auto by_default = expect(200, "GET", "/api/v1/deals/forecast");
    EXPECT_EQ(by_default["months"].size(), 12u);
    EXPECT_EQ(by_default["months"][0]["month"], month(0));
}

}  // namespace
}  // namespace tessera::plugins::deals::test
