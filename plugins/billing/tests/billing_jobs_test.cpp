// Scheduled work: subscription billing exactly once per period (also across a host
// restart), cancellation at period end, overdue notices once per invoice per day, MRR.

#include "billing_fixture.hpp"

namespace tessera::plugins::billing::test {
namespace {

class BillingJobs : public BillingTest {
protected:
    static Json runJobs(const std::string& job) {
        auto r = call("POST", "/api/v1/billing/jobs/run", {{"job", job}});
        EXPECT_EQ(r.status, 200) << r.body;
        return r.json();
    }
    // The first day of the month `back` months before the current one.
    static std::string monthsAgo(int back) {
        const std::string t = today();
        int y = std::stoi(t.substr(0, 4)), m = std::stoi(t.substr(5, 2)) - back;
        while (m < 1) m += 12, --y;
        char buf[16];
        std::snprintf(buf, sizeof buf, "%04d-%02d-01", y, m);
        return buf;
    }
    static Json invoicesOf(const std::string& subscription_id) {
        return call("GET", "/api/v1/billing/invoices?limit=200&filter%5Bsubscription_id%5D=" + subscription_id).json()["data"];
    }
};

TEST_F(BillingJobs, SubscriptionsIssueExactlyOneInvoicePerPeriodAcrossRestarts) {
    const auto customer = createCustomer("Subscriber");
    const auto tax = createTaxRate("ISS 5", "5", false);
    const auto plan = created("/api/v1/billing/products", {{"sku", "PLAN-PRO"}, {"name", "Pro plan"}, {"unit_price", 9990},
                                                           {"currency", "BRL"}, {"tax_rate_id", id(tax)}});
    // Started on the 1st three months ago: the current month and the three before are due.
    const auto sub = created("/api/v1/billing/subscriptions",
                             {{"customer_id", id(customer)}, {"currency", "BRL"}, {"cycle", "monthly"},
                              {"start_date", monthsAgo(3)}, {"items", Json::array({{{"product_id", id(plan)}, {"quantity", "1"}}})}});
    EXPECT_EQ(sub["next_invoice_date"], monthsAgo(3));
    EXPECT_EQ(sub["anchor_day"], 1);

    const auto first = runJobs("subscriptions");
    EXPECT_EQ(first["invoices_issued"], 4);
    EXPECT_EQ(runJobs("subscriptions")["invoices_issued"], 0);

    ASSERT_EQ(host_->stop(), 0);
    ASSERT_TRUE(host_->start()) << host_->log();
    EXPECT_EQ(runJobs("all")["invoices_issued"], 0);

    const auto invoices = invoicesOf(id(sub));
    ASSERT_EQ(invoices.size(), 4u);
    std::set<std::string> periods, numbers;
    for (const auto& inv : invoices) {
        periods.insert(inv["subscription_period"].get<std::string>());
        numbers.insert(inv["number"].get<std::string>());
        EXPECT_EQ(inv["status"], "open");
        EXPECT_EQ(inv["total"], 9990 + 500);  // 5 % of 99.90 = 4.995 -> 5.00 (half-even)
    }
    EXPECT_EQ(periods, (std::set<std::string>{monthsAgo(3), monthsAgo(2), monthsAgo(1), monthsAgo(0)}));
    EXPECT_EQ(numbers.size(), 4u);
    const auto now = call("GET", "/api/v1/billing/subscriptions/" + id(sub)).json();
    EXPECT_GT(now["next_invoice_date"].get<std::string>(), today());

    auto mrr = call("GET", "/api/v1/billing/reports/mrr");
    ASSERT_EQ(mrr.status, 200) << mrr.body;
    bool found = false;
    const auto mrr_data = mrr.json()["data"];
    for (const auto& row : mrr_data)
        if (row["currency"] == "BRL") {
            found = true;
            EXPECT_GE(row["mrr"].get<long>(), 9990);
        }
    EXPECT_TRUE(found) << mrr.body;
}

TEST_F(BillingJobs, CancelAtPeriodEndStopsAfterTheCurrentPeriod) {
    const auto customer = createCustomer("Leaver");
    const Json items = Json::array({{{"description", "Support"}, {"quantity", "1"}, {"unit_price", 30000}}});
    // Billed up to the current month; canceling at period end keeps it active until the
    // next renewal date, which is in the future: nothing changes now.
    const auto billed = created("/api/v1/billing/subscriptions", {{"customer_id", id(customer)}, {"currency", "BRL"},
                                                                  {"cycle", "monthly"}, {"start_date", monthsAgo(1)},
                                                                  {"items", items}});
    EXPECT_EQ(runJobs("subscriptions")["invoices_issued"], 2);
    auto cancel = call("POST", "/api/v1/billing/subscriptions/" + id(billed) + "/cancel", Json::object());
    ASSERT_EQ(cancel.status, 200) << cancel.body;
    EXPECT_EQ(cancel.json()["cancel_at_period_end"], true);
    EXPECT_EQ(cancel.json()["status"], "active");
    const auto report = runJobs("subscriptions");
    EXPECT_EQ(report["invoices_issued"], 0);
    EXPECT_EQ(report["subscriptions_canceled"], 0);
    EXPECT_EQ(call("GET", "/api/v1/billing/subscriptions/" + id(billed)).json()["status"], "active");
    EXPECT_EQ(invoicesOf(id(billed)).size(), 2u);

    // When the renewal date has come, the subscription ends instead of renewing. (A
    // subscription backdated by a quarter reaches its renewal date at once.)
    const auto ending = created("/api/v1/billing/subscriptions", {{"customer_id", id(customer)}, {"currency", "BRL"},
                                                                  {"cycle", "quarterly"}, {"start_date", monthsAgo(3)},
                                                                  {"items", items}});
    ASSERT_EQ(call("POST", "/api/v1/billing/subscriptions/" + id(ending) + "/cancel", Json::object()).status, 200);
    EXPECT_EQ(runJobs("subscriptions")["subscriptions_canceled"], 1);
    const auto after = call("GET", "/api/v1/billing/subscriptions/" + id(ending)).json();
    EXPECT_EQ(after["status"], "canceled");
    EXPECT_TRUE(after["next_invoice_date"].is_null());
    EXPECT_EQ(invoicesOf(id(ending)).size(), 0u);
    EXPECT_EQ(call("POST", "/api/v1/billing/subscriptions/" + id(ending) + "/cancel", Json::object()).status, 409);
    // Canceling immediately ends it now.
    auto now = call("POST", "/api/v1/billing/subscriptions/" + id(billed) + "/cancel", {{"at_period_end", false}});
    ASSERT_EQ(now.status, 200) << now.body;
    EXPECT_EQ(now.json()["status"], "canceled");
}

TEST_F(BillingJobs, SubscriptionValidation) {
    auto r = call("POST", "/api/v1/billing/subscriptions",
                  {{"customer_id", "ct_missing"}, {"currency", "BRL"}, {"cycle", "weekly"}, {"anchor_day", 32},
                   {"items", Json::array()}});
    ASSERT_EQ(r.status, 422) << r.body;
    const auto f = r.json()["error"]["fields"];
    EXPECT_TRUE(f.contains("customer_id"));
    EXPECT_TRUE(f.contains("cycle"));
    EXPECT_TRUE(f.contains("anchor_day"));
    EXPECT_EQ(f.value("items", ""), "needs at least one item");
}

TEST_F(BillingJobs, OverdueNoticesArePublishedOncePerInvoicePerDay) {
    const auto customer = createCustomer("Late Payer");
    const auto late = openInvoice(id(customer), 2500, {{"issue_date", "2020-01-01"}, {"due_date", "2020-01-31"}});
    const auto fine = openInvoice(id(customer), 2500);
    EXPECT_EQ(late["overdue"], true);
    EXPECT_GT(late["days_overdue"].get<long>(), 1000);
    EXPECT_EQ(fine["overdue"], false);

    const auto first = runJobs("overdue");
    EXPECT_GE(first["overdue_notices"].get<int>(), 1);
    EXPECT_EQ(runJobs("overdue")["overdue_notices"], 0);
    EXPECT_EQ(runJobs("all")["overdue_notices"], 0);
    const auto after = invoice(id(late));
    EXPECT_EQ(after["overdue_notified_on"], today());
    EXPECT_EQ(after["overdue_since"], today());
    EXPECT_TRUE(invoice(id(fine))["overdue_notified_on"].is_null());

    auto aging = call("GET", "/api/v1/billing/reports/aging");
    ASSERT_EQ(aging.status, 200) << aging.body;
    bool found = false;
    const auto aging_data = aging.json()["data"];
    for (const auto& row : aging_data)
        if (row["currency"] == "BRL") {
            found = true;
            EXPECT_GE(row["90_plus"].get<long>(), 2500);
            EXPECT_GE(row["current"].get<long>(), 2500);
        }
    EXPECT_TRUE(found);
}

TEST_F(BillingJobs, JobsRouteRefusesUnknownJobs) {
    auto r = call("POST", "/api/v1/billing/jobs/run", {{"job", "everything"}});
    EXPECT_EQ(r.status, 422);
    EXPECT_TRUE(r.json()["error"]["fields"].contains("job"));
}

}  // namespace
}  // namespace tessera::plugins::billing::test
