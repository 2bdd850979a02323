#include "reports.hpp"

#include <map>

#include <tessera/sdk/rest/dates.hpp>
#include <tessera/sdk/rest/errors.hpp>

#include "access.hpp"
#include "api_support.hpp"
#include "invoices.hpp"
#include "money.hpp"
#include "subscriptions.hpp"

namespace tessera::plugins::billing {

using namespace sdk::rest;

namespace {

bool validMonth(const std::string& m) { return m.size() == 7 && validDate(m + "-01"); }

}  // namespace

sdk::Response revenueReportRoute(const sdk::Request& req, sdk::TenantScope& scope) {
    requireUnrestrictedReports(scope);
    const std::string today = todayUtc();
    std::string to = today.substr(0, 7);
    std::string from = addMonthsAnchored(today, -11, 1).substr(0, 7);
    for (const auto& [key, value] : req.query) {
        if (key != "from" && key != "to") badQuery(key, "unknown query parameter");
        if (!validMonth(value)) badQuery(key, "must be a month YYYY-MM");
        (key == "from" ? from : to) = value;
    }
    if (from > to) badQuery("from", "must not be after to");
    const sdk::Params range{from + "-01", addMonthsAnchored(to + "-01", 1, 1)};
    // Revenue is money collected: payments in the month they were received, less the
    // credit notes of that month that give collected money back (amount_refunded).
    struct Month {
        std::int64_t paid = 0, payments = 0, refunded = 0;
    };
    std::map<std::pair<std::string, std::string>, Month> months;
    for (const auto& r : scope.db().query(
             "SELECT SUBSTR(paid_on, 1, 7) AS month, currency, SUM(amount) AS amount, COUNT(*) AS payments"
             " FROM billing_payments WHERE paid_on >= ? AND paid_on < ? GROUP BY SUBSTR(paid_on, 1, 7), currency",
             range)) {
        auto& m = months[{r["month"].asText(), r["currency"].asText()}];
        m.paid = r["amount"].asInt();
        m.payments = r["payments"].asInt();
    }
    for (const auto& r : scope.db().query(
             "SELECT SUBSTR(issue_date, 1, 7) AS month, currency, SUM(amount_refunded) AS refunded FROM billing_invoices"
             " WHERE kind = 'credit_note' AND amount_refunded > 0 AND issue_date >= ? AND issue_date < ?"
             " GROUP BY SUBSTR(issue_date, 1, 7), currency",
             range))
        months[{r["month"].asText(), r["currency"].asText()}].refunded = r["refunded"].asInt();
    sdk::Json data = sdk::Json::array();
    for (const auto& [key, m] : months)
        data.push_back({{"month", key.first},
                        {"currency", key.second},
                        {"amount", m.paid - m.refunded},
                        {"paid", m.paid},
                        {"refunded", m.refunded},
                        {"payments", m.payments}});
    return sdk::Response::json({{"from", from}, {"to", to}, {"data", data}});
}

sdk::Response agingReportRoute(const sdk::Request& req, sdk::TenantScope& scope) {
    requireUnrestrictedReports(scope);
    std::string as_of = todayUtc();
    for (const auto& [key, value] : req.query) {
        if (key != "as_of") badQuery(key, "unknown query parameter");
        if (!validDate(value)) badQuery(key, "must be a date YYYY-MM-DD");
        as_of = value;
    }
    static const char* kBuckets[] = {"current", "1_30", "31_60", "61_90", "90_plus"};
    std::map<std::string, sdk::Json> by_currency;
    const auto rows = scope.db().query(
        "SELECT currency, due_date, total - amount_paid - amount_credited AS outstanding FROM billing_invoices"
        " WHERE kind = 'invoice' AND status IN ('open', 'uncollectible') AND issue_date <= ?",
        {as_of});
    for (const auto& r : rows) {
        auto& entry = by_currency[r["currency"].asText()];
        if (entry.is_null()) {
            entry = {{"currency", r["currency"].asText()}, {"total", 0}, {"invoices", 0}};
            for (const char* b : kBuckets) entry[b] = 0;
        }
        const long late = dayNumber(as_of) - dayNumber(r["due_date"].asText());
        const char* bucket = late <= 0 ? "current" : late <= 30 ? "1_30" : late <= 60 ? "31_60" : late <= 90 ? "61_90" : "90_plus";
        const Amount outstanding = r["outstanding"].asInt();
        entry[bucket] = entry[bucket].get<Amount>() + outstanding;
        entry["total"] = entry["total"].get<Amount>() + outstanding;
        entry["invoices"] = entry["invoices"].get<long>() + 1;
    }
    sdk::Json data = sdk::Json::array();
    for (auto& [currency, entry] : by_currency) data.push_back(std::move(entry));
    return sdk::Response::json({{"as_of", as_of}, {"data", data}});
}

sdk::Response mrrReportRoute(const sdk::Request& req, sdk::TenantScope& scope) {
    requireUnrestrictedReports(scope);
    if (!req.query.empty()) badQuery(req.query.begin()->first, "unknown query parameter");
    auto& db = scope.db();
    std::map<std::string, std::pair<Amount, long>> by_currency;
    for (const auto& r : db.query("SELECT id, currency, cycle, items FROM billing_subscriptions WHERE status = 'active'")) {
        FieldErrors errors;
        const Amount per_cycle = priceItems(db, sdk::Json::parse(r["items"].asText()), r["currency"].asText(), errors);
        if (!errors.empty()) {
            scope.log().warn("subscription " + r["id"].asText() + " no longer prices; left out of MRR");
            continue;
        }
        const auto monthly = static_cast<Amount>(roundHalfEven(per_cycle, cycleMonths(r["cycle"].asText())));
        auto& entry = by_currency[r["currency"].asText()];
        entry.first += monthly;
        entry.second += 1;
    }
    sdk::Json data = sdk::Json::array();
    for (const auto& [currency, entry] : by_currency)
        data.push_back({{"currency", currency}, {"mrr", entry.first}, {"subscriptions", entry.second}});
    return sdk::Response::json({{"data", data}});
}

}  // namespace tessera::plugins::billing
