// Roles in billing (docs/billing.md "Roles"): a role limited to its own invoices and
// subscriptions sees only those it owns (an invoice's owner is, by default, its
// customer's owner); payments are as visible as their invoice; hidden fields of
// invoices, payments, products and subscriptions are left out and refused in writes;
// reports are not available to a role limited to its own records.

#include "billing_fixture.hpp"

namespace tessera::plugins::billing::test {
namespace {

using tessera::test::kPassword;

class BillingAccess : public BillingTest {
protected:
    static void SetUpTestSuite() {
        startHost({"acme"}, [](TestHost& h) { h.useFastPasswordHashing(); });
        auto role = call("POST", "/api/v1/roles",
                         {{"name", "Billing reps"},
                          {"permissions", {"billing.read", "billing.write", "billing.delete", "billing.invoices.void",
                                           "contacts.read", "contacts.write"}},
                          {"access",
                           {{"contacts", {{"own_records_only", true}}},
                            {"invoices", {{"own_records_only", true}, {"hidden_fields", {"notes"}}}},
                            {"subscriptions", {{"own_records_only", true}, {"hidden_fields", {"due_days"}}}},
                            {"payments", {{"hidden_fields", {"reference"}}}},
                            {"products", {{"hidden_fields", {"description"}}}}}}});
        ASSERT_EQ(role.status, 201) << role.body;
        auto user = call("POST", "/api/v1/users",
                         {{"email", "rep@acme.example"}, {"name", "Rep"}, {"role", role.json()["id"]}, {"password", kPassword}});
        ASSERT_EQ(user.status, 201) << user.body;
        rep_id_ = user.json()["id"];
        auto login = call("POST", "/api/v1/auth/login",
                          {{"email", "rep@acme.example"}, {"password", kPassword}, {"token", true}, {"session", false}},
                          {{"Authorization", ""}});
        ASSERT_EQ(login.status, 200) << login.body;
        rep_ = {{"Authorization", "Bearer " + login.json().value("token", "")}};
    }
    static HttpResult asRep(const std::string& method, const std::string& target, const Json& body = nullptr) {
        return call(method, target, body, rep_);
    }
    static Json oneLine(long amount) {
        return Json::array({{{"description", "Consulting"}, {"quantity", "1"}, {"unit_price", amount}}});
    }

    static inline std::string rep_id_;
    static inline std::map<std::string, std::string> rep_;
};

TEST_F(BillingAccess, InvoicesFollowTheirOwnerAndHideFields) {
    const auto others_customer = createCustomer("Someone else's customer");
    auto rep_customer = asRep("POST", "/api/v1/contacts", {{"name", "Rep's customer"}});
    ASSERT_EQ(rep_customer.status, 201) << rep_customer.body;
    const std::string rep_customer_id = rep_customer.json()["id"];

    // The Owner bills both customers: each invoice takes its customer's owner.
    const auto theirs = createDraft(id(others_customer), oneLine(10000), "BRL", {{"notes", "Internal: 20% margin"}});
    EXPECT_NE(theirs["owner_id"], rep_id_);
    const auto for_rep = createDraft(rep_customer_id, oneLine(5000), "BRL", {{"notes", "Owner's note"}});
    EXPECT_EQ(for_rep["owner_id"], rep_id_) << for_rep.dump();
    // The rep's own invoice: its owner, without the hidden field.
    auto mine = asRep("POST", "/api/v1/billing/invoices",
                      {{"customer_id", rep_customer_id}, {"currency", "BRL"}, {"lines", oneLine(7000)}});
    ASSERT_EQ(mine.status, 201) << mine.body;
    EXPECT_EQ(mine.json()["owner_id"], rep_id_);
    EXPECT_FALSE(mine.json().contains("notes")) << mine.body;
    const std::string mine_id = mine.json()["id"];

    // Lists: only the rep's invoices, never the hidden field.
    auto list = asRep("GET", "/api/v1/billing/invoices?limit=200");
    ASSERT_EQ(list.status, 200) << list.body;
    std::set<std::string> seen;
    const Json listed = list.json()["data"];
    for (const auto& inv : listed) {
        seen.insert(inv["id"].get<std::string>());
        EXPECT_EQ(inv["owner_id"], rep_id_);
        EXPECT_FALSE(inv.contains("notes"));
    }
    EXPECT_EQ(seen, (std::set<std::string>{mine_id, id(for_rep)}));
    EXPECT_EQ(asRep("GET", "/api/v1/billing/invoices?" + filter("notes", "", "x")).status, 400);
    EXPECT_EQ(asRep("GET", "/api/v1/billing/invoices?sort=notes").status, 400);

    // Someone else's invoice does not exist for the rep, whatever the route.
    const std::string other = "/api/v1/billing/invoices/" + id(theirs);
    for (const auto& [method, path] : std::vector<std::pair<std::string, std::string>>{
             {"GET", other}, {"PATCH", other}, {"DELETE", other}, {"POST", other + "/issue"}, {"POST", other + "/void"},
             {"POST", other + "/credit-notes"}, {"GET", other + "/payments"}, {"GET", other + "/pix"}}) {
        auto r = asRep(method, path, method == "PATCH" ? Json{{"due_date", "2031-01-01"}} : Json(nullptr));
        EXPECT_EQ(r.status, 404) << method << " " << path << " " << r.body;
        EXPECT_EQ(r.json()["error"]["code"], "invoice_not_found") << r.body;
    }
    auto pay_other = asRep("POST", other + "/payments", {{"amount", 100}, {"method", "cash"}});
    EXPECT_EQ(pay_other.status, 404) << pay_other.body;

    // Writes: hidden fields and giving an invoice away are refused.
    auto hidden = asRep("POST", "/api/v1/billing/invoices",
                        {{"customer_id", rep_customer_id}, {"currency", "BRL"}, {"notes", "x"}});
    EXPECT_EQ(hidden.status, 422) << hidden.body;
    EXPECT_TRUE(hidden.json()["error"]["fields"].contains("notes")) << hidden.body;
    auto give = asRep("PATCH", "/api/v1/billing/invoices/" + mine_id, {{"owner_id", theirs["owner_id"]}});
    EXPECT_EQ(give.status, 422) << give.body;
    EXPECT_TRUE(give.json()["error"]["fields"].contains("owner_id")) << give.body;
    auto patched = asRep("PATCH", "/api/v1/billing/invoices/" + mine_id, {{"due_date", "2031-01-31"}});
    EXPECT_EQ(patched.status, 200) << patched.body;
    EXPECT_FALSE(patched.json().contains("notes"));

    // The Owner sees everything, notes included.
    auto all = call("GET", "/api/v1/billing/invoices?limit=200").json()["data"];
    EXPECT_GE(all.size(), 3u);
    EXPECT_EQ(invoice(id(theirs))["notes"], "Internal: 20% margin");
}

TEST_F(BillingAccess, PaymentsAreAsVisibleAsTheirInvoiceAndHideFields) {
    auto rep_customer = asRep("POST", "/api/v1/contacts", {{"name", "Paying customer"}});
    ASSERT_EQ(rep_customer.status, 201) << rep_customer.body;
    const auto mine = openInvoice(rep_customer.json()["id"], 9000);
    ASSERT_EQ(mine["owner_id"], rep_id_);
    const auto theirs = openInvoice(id(createCustomer("Other payer")), 8000);
    expect(201, "POST", "/api/v1/billing/invoices/" + id(theirs) + "/payments",
           {{"amount", 8000}, {"method", "pix"}, {"reference", "E2E-OTHER"}});

    auto hidden = asRep("POST", "/api/v1/billing/invoices/" + id(mine) + "/payments",
                        {{"amount", 1000}, {"method", "cash"}, {"reference", "R1"}});
    EXPECT_EQ(hidden.status, 422) << hidden.body;
    EXPECT_TRUE(hidden.json()["error"]["fields"].contains("reference"));
    auto paid = asRep("POST", "/api/v1/billing/invoices/" + id(mine) + "/payments", {{"amount", 1000}, {"method", "cash"}});
    ASSERT_EQ(paid.status, 201) << paid.body;
    EXPECT_FALSE(paid.json()["payment"].contains("reference")) << paid.body;
    EXPECT_EQ(paid.json()["invoice"]["amount_paid"], 1000);

    auto list = asRep("GET", "/api/v1/billing/payments?limit=200");
    ASSERT_EQ(list.status, 200) << list.body;
    ASSERT_EQ(list.json()["data"].size(), 1u) << list.body;
    EXPECT_EQ(list.json()["data"][0]["invoice_id"], id(mine));
    EXPECT_FALSE(list.json()["data"][0].contains("reference"));
    auto of_invoice = asRep("GET", "/api/v1/billing/invoices/" + id(mine) + "/payments");
    ASSERT_EQ(of_invoice.status, 200) << of_invoice.body;
    EXPECT_EQ(of_invoice.json()["data"].size(), 1u);
    EXPECT_EQ(asRep("GET", "/api/v1/billing/payments?sort=reference").status, 400);
    EXPECT_EQ(call("GET", "/api/v1/billing/payments?limit=200").json()["data"].size(), 2u) << "the Owner sees both";
}

TEST_F(BillingAccess, ProductsAndSubscriptionsHideFieldsAndSubscriptionsFollowTheirOwner) {
    const auto product = created("/api/v1/billing/products",
                                 {{"sku", "SEAT"}, {"name", "Seat"}, {"description", "Cost basis 12.00"},
                                  {"unit_price", 5000}, {"currency", "BRL"}});
    auto seen = asRep("GET", "/api/v1/billing/products/" + id(product));
    ASSERT_EQ(seen.status, 200) << seen.body;
    EXPECT_FALSE(seen.json().contains("description"));
    EXPECT_EQ(seen.json()["unit_price"], 5000);
    const Json products = asRep("GET", "/api/v1/billing/products").json()["data"];
    ASSERT_FALSE(products.empty());
    for (const auto& p : products) EXPECT_FALSE(p.contains("description"));
    EXPECT_EQ(asRep("POST", "/api/v1/billing/products",
                    {{"sku", "X"}, {"name", "X"}, {"description", "x"}, {"unit_price", 1}, {"currency", "BRL"}})
                  .status,
              422);

    const Json items = Json::array({{{"product_id", id(product)}, {"quantity", "1"}}});
    const auto theirs = created("/api/v1/billing/subscriptions", {{"customer_id", id(createCustomer("Subscriber"))},
                                                                  {"currency", "BRL"}, {"cycle", "monthly"}, {"items", items}});
    auto rep_customer = asRep("POST", "/api/v1/contacts", {{"name", "Rep's subscriber"}});
    ASSERT_EQ(rep_customer.status, 201);
    auto mine = asRep("POST", "/api/v1/billing/subscriptions",
                      {{"customer_id", rep_customer.json()["id"]}, {"currency", "BRL"}, {"cycle", "monthly"}, {"items", items}});
    ASSERT_EQ(mine.status, 201) << mine.body;
    EXPECT_EQ(mine.json()["owner_id"], rep_id_);
    EXPECT_FALSE(mine.json().contains("due_days"));
    EXPECT_EQ(asRep("GET", "/api/v1/billing/subscriptions/" + id(theirs)).status, 404);
    EXPECT_EQ(asRep("POST", "/api/v1/billing/subscriptions/" + id(theirs) + "/cancel").status, 404);
    EXPECT_EQ(asRep("PATCH", "/api/v1/billing/subscriptions/" + id(theirs), {{"cancel_at_period_end", true}}).status, 404);
    auto list = asRep("GET", "/api/v1/billing/subscriptions");
    ASSERT_EQ(list.status, 200) << list.body;
    ASSERT_EQ(list.json()["data"].size(), 1u) << list.body;
    EXPECT_EQ(list.json()["data"][0]["id"], mine.json()["id"]);
    EXPECT_EQ(asRep("POST", "/api/v1/billing/subscriptions",
                    {{"customer_id", rep_customer.json()["id"]}, {"currency", "BRL"}, {"cycle", "monthly"},
                     {"items", items}, {"due_days", 5}})
                  .status,
              422);
}

TEST_F(BillingAccess, ReportsAreRefusedToARoleLimitedToItsOwnRecords) {
    for (const char* report : {"revenue", "aging", "mrr"}) {
        auto r = asRep("GET", std::string("/api/v1/billing/reports/") + report);
        EXPECT_EQ(r.status, 403) << report << " " << r.body;
        EXPECT_EQ(r.json()["error"]["code"], "report_not_available");
        EXPECT_EQ(call("GET", std::string("/api/v1/billing/reports/") + report).status, 200);
    }
}

}  // namespace
}  // namespace tessera::plugins::billing::test
