// Changing what exists: invoice status transitions under If-Match, subscription changes
// (items, due days, cancel at period end) and credit notes in the revenue report.

#include "billing_fixture.hpp"

namespace tessera::plugins::billing::test {
namespace {

class BillingChanges : public BillingTest {
public:
    static HttpResult post(const std::string& target, const Json& body, const std::string& if_match = "") {
        std::map<std::string, std::string> headers;
        if (!if_match.empty()) headers["If-Match"] = if_match;
        return call("POST", target, body, headers);
    }
    static std::string etag(const Json& item) { return "\"" + std::to_string(item["version"].get<int>()) + "\""; }
    static Json subscription(const std::string& customer_id) {
        return created("/api/v1/billing/subscriptions",
                       {{"customer_id", customer_id}, {"currency", "BRL"}, {"cycle", "monthly"},
                        {"items", Json::array({{{"description", "Seat"}, {"quantity", "2"}, {"unit_price", 5000}}})}});
    }
};

TEST_F(BillingChanges, StatusTransitionsHonourIfMatch) {
    const auto customer = createCustomer("Conditional");
    const auto draft = createDraft(id(customer), Json::array({{{"description", "Work"}, {"quantity", "1"}, {"unit_price", 900}}}));
    const std::string path = "/api/v1/billing/invoices/" + id(draft);
    // A tag from before the last change is refused, and nothing changes.
    ASSERT_EQ(call("PATCH", path, {{"notes", "v2"}}).status, 200);
    auto stale = post(path + "/issue", Json::object(), etag(draft));
    ASSERT_EQ(stale.status, 412) << stale.body;
    EXPECT_EQ(stale.json()["error"]["code"], "precondition_failed");
    EXPECT_EQ(invoice(id(draft))["status"], "draft");
    // The current tag (or a list holding it) is accepted; the answer carries the new one.
    auto current = invoice(id(draft));
    auto issued = post(path + "/issue", Json::object(), "\"999\", " + etag(current));
    ASSERT_EQ(issued.status, 200) << issued.body;
    EXPECT_EQ(issued.json()["status"], "open");
    EXPECT_EQ(issued.header("etag"), etag(issued.json()));

    // Payments, credit notes, uncollectible and void check it the same way.
    EXPECT_EQ(post(path + "/payments", {{"amount", 100}, {"method", "cash"}}, etag(current)).status, 412);
    EXPECT_EQ(post(path + "/credit-notes", Json::object(), etag(current)).status, 412);
    EXPECT_EQ(post(path + "/mark-uncollectible", Json::object(), etag(current)).status, 412);
    EXPECT_EQ(post(path + "/void", Json::object(), etag(current)).status, 412);
    EXPECT_EQ(invoice(id(draft))["status"], "open");
    auto uncollectible = post(path + "/mark-uncollectible", Json::object(), etag(issued.json()));
    ASSERT_EQ(uncollectible.status, 200) << uncollectible.body;
    auto voided = post(path + "/void", Json::object(), etag(uncollectible.json()));
    ASSERT_EQ(voided.status, 200) << voided.body;
    EXPECT_EQ(voided.json()["status"], "void");

    // Without If-Match a transition still applies (docs/billing.md: the header is
    // optional, as on PATCH); a malformed body is refused before anything happens.
    const auto other = openInvoice(id(customer), 500);
    EXPECT_EQ(raw("POST", "/api/v1/billing/invoices/" + id(other) + "/void", "{oops").status, 400);
    EXPECT_EQ(post("/api/v1/billing/invoices/" + id(other) + "/void", Json::object()).status, 200);
}

TEST_F(BillingChanges, SubscriptionsChangeItemsDueDaysAndCancellation) {
    const auto customer = createCustomer("Changer");
    const auto sub = subscription(id(customer));
    const std::string path = "/api/v1/billing/subscriptions/" + id(sub);
    const auto product = created("/api/v1/billing/products",
                                 {{"sku", "PLAN-TEAM"}, {"name", "Team plan"}, {"unit_price", 25000}, {"currency", "BRL"}});

    // A new plan (product) and quantity, and longer terms: the next invoice uses them.
    auto changed = call("PATCH", path, {{"items", Json::array({{{"product_id", id(product)}, {"quantity", "3"}}})},
                                        {"due_days", 30}},
                        {{"If-Match", etag(sub)}});
    ASSERT_EQ(changed.status, 200) << changed.body;
    EXPECT_EQ(changed.json()["items"][0]["product_id"], id(product));
    EXPECT_EQ(changed.json()["due_days"], 30);
    EXPECT_EQ(changed.json()["version"], sub["version"].get<int>() + 1);
    auto run = call("POST", "/api/v1/billing/jobs/run", {{"job", "subscriptions"}});
    ASSERT_EQ(run.status, 200) << run.body;
    auto invoices = call("GET", "/api/v1/billing/invoices?filter%5Bsubscription_id%5D=" + id(sub)).json()["data"];
    ASSERT_EQ(invoices.size(), 1u);
    EXPECT_EQ(invoices[0]["subtotal"], 75000);
    EXPECT_EQ(invoices[0]["lines"][0]["description"], "Team plan");

    // Cancel at period end, then change one's mind.
    auto ending = call("PATCH", path, {{"cancel_at_period_end", true}});
    ASSERT_EQ(ending.status, 200) << ending.body;
    EXPECT_EQ(ending.json()["cancel_at_period_end"], true);
    EXPECT_EQ(ending.json()["status"], "active");
    auto staying = call("PATCH", path, {{"cancel_at_period_end", false}});
    EXPECT_EQ(staying.json()["cancel_at_period_end"], false);
    // Nothing to change: the same version comes back.
    EXPECT_EQ(call("PATCH", path, {{"due_days", 30}}).json()["version"], staying.json()["version"]);

    // Every problem at once, named by field; a stale tag; read-only fields.
    auto bad = call("PATCH", path, {{"items", Json::array({{{"product_id", "pr_missing"}, {"quantity", "x"}}})},
                                    {"due_days", -1}, {"cancel_at_period_end", "soon"}, {"currency", "USD"}});
    ASSERT_EQ(bad.status, 422) << bad.body;
    const auto fields = bad.json()["error"]["fields"];
    EXPECT_TRUE(fields.contains("due_days")) << bad.body;
    EXPECT_TRUE(fields.contains("cancel_at_period_end")) << bad.body;
    EXPECT_TRUE(fields.contains("currency")) << bad.body;
    bool item_error = false;
    for (const auto& [k, v] : fields.items()) item_error = item_error || k.rfind("items", 0) == 0;
    EXPECT_TRUE(item_error) << bad.body;
    EXPECT_EQ(call("PATCH", path, {{"items", nullptr}}).status, 422);
    EXPECT_EQ(call("PATCH", path, {{"items", Json::array()}}).status, 422);
    EXPECT_EQ(call("PATCH", path, {{"due_days", 10}}, {{"If-Match", etag(sub)}}).status, 412);
    EXPECT_EQ(raw("PATCH", path, "[1,2]").status, 400);
    EXPECT_EQ(call("PATCH", "/api/v1/billing/subscriptions/sb_missing", {{"due_days", 1}}).status, 404);

    // A canceled subscription is final.
    ASSERT_EQ(call("POST", path + "/cancel", {{"at_period_end", false}}).status, 200);
    auto late = call("PATCH", path, {{"due_days", 5}});
    EXPECT_EQ(late.status, 409) << late.body;
    EXPECT_EQ(late.json()["error"]["code"], "subscription_not_active");
}

TEST_F(BillingChanges, CreditNotesGivingMoneyBackReduceRevenue) {
    const auto customer = createCustomer("Refunded");
    const std::string month = today().substr(0, 7);
    // Paid in full this month, then 25.00 credited back: revenue is 75.00.
    const auto paid = openInvoice(id(customer), 10000);
    ASSERT_EQ(call("POST", "/api/v1/billing/invoices/" + id(paid) + "/payments",
                   {{"amount", 10000}, {"method", "pix"}, {"paid_on", month + "-01"}}).status, 201);
    auto note = call("POST", "/api/v1/billing/invoices/" + id(paid) + "/credit-notes",
                     {{"lines", Json::array({{{"description", "Refund"}, {"quantity", "1"}, {"unit_price", 2500}}})}});
    ASSERT_EQ(note.status, 201) << note.body;
    // A credit note on an unpaid invoice only lowers what is due: no money moved.
    const auto unpaid = openInvoice(id(customer), 8000);
    ASSERT_EQ(call("POST", "/api/v1/billing/invoices/" + id(unpaid) + "/credit-notes",
                   {{"lines", Json::array({{{"description", "Discount"}, {"quantity", "1"}, {"unit_price", 3000}}})}})
                  .status,
              201);

    auto r = call("GET", "/api/v1/billing/reports/revenue?from=" + month + "&to=" + month);
    ASSERT_EQ(r.status, 200) << r.body;
    const Json report = r.json();
    Json row = nullptr;
    for (const auto& d : report["data"])
        if (d["currency"] == "BRL") row = d;
    ASSERT_TRUE(row.is_object()) << r.body;
    // Other tests of this suite may have paid BRL invoices this month: compare the parts.
    EXPECT_EQ(row["amount"], row["paid"].get<long>() - row["refunded"].get<long>());
    EXPECT_EQ(row["refunded"], 2500) << r.body;
    EXPECT_GE(row["paid"].get<long>(), 10000);
}

}  // namespace
}  // namespace tessera::plugins::billing::test
