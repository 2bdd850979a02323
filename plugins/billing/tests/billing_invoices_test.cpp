// Invoices through the HTTP API: pricing with taxes and discounts, currency rules,
// numbering (format, concurrency: no gaps, no duplicates), immutability once issued,
// voiding and credit notes.

#include <algorithm>
#include <set>
#include <thread>
#include <vector>

#include "billing_fixture.hpp"

namespace tessera::plugins::billing::test {
namespace {

class BillingInvoices : public BillingTest {};

TEST_F(BillingInvoices, LinesArePricedPerLineWithHalfEvenRounding) {
    const auto customer = createCustomer("Ana Lima");
    const auto vat = createTaxRate("VAT 19 incl", "19", true);
    const auto sales = createTaxRate("Sales 8.875", "8.875", false);
    EXPECT_EQ(sales["percent"], "8.875");
    const auto draft = createDraft(id(customer), Json::array({
        {{"description", "Hosting"}, {"quantity", "1"}, {"unit_price", 11900}, {"tax_rate_id", id(vat)}},
        {{"description", "Hours"}, {"quantity", "1.5"}, {"unit_price", 25}, {"tax_rate_id", id(sales)}},
        {{"description", "Licence"}, {"quantity", 3}, {"unit_price", 3333}, {"discount_percent", "10"}},
    }));
    ASSERT_EQ(draft["status"], "draft");
    EXPECT_TRUE(draft["number"].is_null());
    const auto& l = draft["lines"];
    ASSERT_EQ(l.size(), 3u);
    EXPECT_EQ(l[0]["subtotal"], 10000);
    EXPECT_EQ(l[0]["tax"], 1900);
    EXPECT_EQ(l[0]["total"], 11900);
    EXPECT_EQ(l[1]["quantity"], "1.5");
    EXPECT_EQ(l[1]["gross"], 38);  // 37.5 -> 38 (half-even)
    EXPECT_EQ(l[1]["tax"], 3);     // 38 x 8.875 % = 3.3725 -> 3
    EXPECT_EQ(l[2]["gross"], 9999);
    EXPECT_EQ(l[2]["discount"], 1000);  // 999.9 -> 1000
    EXPECT_EQ(l[2]["total"], 8999);
    EXPECT_EQ(draft["subtotal"], 10000 + 38 + 8999);
    EXPECT_EQ(draft["tax"], 1900 + 3);
    EXPECT_EQ(draft["total"], 11900 + 41 + 8999);
    EXPECT_EQ(draft["discount"], 1000);
}

TEST_F(BillingInvoices, ValidationNamesEveryFieldAndRefusesCurrencyMismatch) {
    const auto customer = createCustomer("Bruno");
    const auto usd = created("/api/v1/billing/products",
                             {{"sku", "USD-ONLY"}, {"name", "Dollar thing"}, {"unit_price", 1000}, {"currency", "USD"}});
    auto r = call("POST", "/api/v1/billing/invoices",
                  {{"customer_id", id(customer)},
                   {"currency", "BRL"},
                   {"total", 5},
                   {"lines", Json::array({{{"product_id", id(usd)}, {"quantity", "1"}},
                                          {{"description", "x"}, {"quantity", "1.0000001"}, {"unit_price", 1}},
                                          {{"description", "y"}, {"quantity", "-1"}, {"unit_price", -5}},
                                          {{"description", "z"}, {"quantity", 1.5}, {"unit_price", 100},
                                           {"discount_amount", 500}}})}});
    ASSERT_EQ(r.status, 422) << r.body;
    const auto f = r.json()["error"]["fields"];
    EXPECT_EQ(f["total"], "unknown field");
    EXPECT_NE(f["lines.0.product_id"].get<std::string>().find("priced in USD"), std::string::npos);
    EXPECT_EQ(f["lines.1.quantity"], "must have at most 6 decimals");
    EXPECT_TRUE(f.contains("lines.2.quantity"));
    EXPECT_TRUE(f.contains("lines.2.unit_price"));
    EXPECT_EQ(f["lines.3.discount_amount"], "discount exceeds the line amount");

    auto bad = call("POST", "/api/v1/billing/invoices", {{"customer_id", "ct_nope"}, {"currency", "XYZ"}});
    ASSERT_EQ(bad.status, 422);
    EXPECT_EQ(bad.json()["error"]["fields"]["currency"], "must be an ISO 4217 currency code such as \"BRL\"");
    EXPECT_EQ(bad.json()["error"]["fields"]["customer_id"], "no contact or company with this id");
    // The same product is accepted with an explicit price in the invoice's currency.
    auto ok = createDraft(id(customer), Json::array({{{"product_id", id(usd)}, {"quantity", "2"}, {"unit_price", 700}}}));
    EXPECT_EQ(ok["total"], 1400);
    EXPECT_EQ(ok["lines"][0]["description"], "Dollar thing");
}

TEST_F(BillingInvoices, IssuingAssignsAFormattedNumberAndDates) {
    auto s = call("PATCH", "/api/v1/billing/settings", {{"invoice_number_format", "F{YY}/{0000}"}});
    ASSERT_EQ(s.status, 200) << s.body;
    auto bad = call("PATCH", "/api/v1/billing/settings", {{"invoice_number_format", "INV-{YYYY}"}});
    EXPECT_EQ(bad.status, 422);
    EXPECT_EQ(bad.json()["error"]["fields"]["invoice_number_format"],
              "must contain exactly one counter token such as {000000}");
    const auto customer = createCustomer("Carla");
    const auto a = openInvoice(id(customer), 1000, {{"issue_date", "2031-02-10"}});
    EXPECT_EQ(a["status"], "open");
    EXPECT_EQ(a["number"], "F31/0001");
    EXPECT_EQ(a["issue_date"], "2031-02-10");
    EXPECT_EQ(a["due_date"], "2031-03-12");  // default 30 days
    const auto b = openInvoice(id(customer), 1000, {{"issue_date", "2031-05-01"}, {"due_date", "2031-05-02"}});
    EXPECT_EQ(b["number"], "F31/0002");
    EXPECT_EQ(b["due_date"], "2031-05-02");
    const auto c = openInvoice(id(customer), 1000, {{"issue_date", "2032-01-01"}});
    EXPECT_EQ(c["number"], "F32/0001");  // a yearly template restarts each year
    ASSERT_EQ(call("PATCH", "/api/v1/billing/settings", {{"invoice_number_format", "INV-{YYYY}-{000000}"}}).status, 200);
}

TEST_F(BillingInvoices, ConcurrentIssuingHasNoGapsAndNoDuplicates) {
    const auto customer = createCustomer("Concurrent Co");
    std::vector<std::string> drafts;
    for (int i = 0; i < 16; ++i)
        drafts.push_back(id(createDraft(id(customer), Json::array({{{"description", "x"}, {"quantity", "1"},
                                                                      {"unit_price", 100 + i}}}),
                                        "BRL", {{"issue_date", "2040-06-01"}})));
    // Each draft is issued twice at once: exactly one of the two wins.
    std::vector<HttpResult> results(drafts.size() * 2);
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < results.size(); ++i)
        threads.emplace_back([&, i] { results[i] = call("POST", "/api/v1/billing/invoices/" + drafts[i / 2] + "/issue"); });
    for (auto& t : threads) t.join();
    std::set<std::string> numbers;
    int ok = 0;
    for (const auto& r : results) {
        if (r.status == 200) {
            ++ok;
            numbers.insert(r.json()["number"].get<std::string>());
        } else {
            EXPECT_EQ(r.status, 409) << r.body;
        }
    }
    EXPECT_EQ(ok, 16);
    ASSERT_EQ(numbers.size(), 16u);
    std::set<std::string> expected;
    for (int i = 1; i <= 16; ++i) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "INV-2040-%06d", i);
        expected.insert(buf);
    }
    EXPECT_EQ(numbers, expected);
}

TEST_F(BillingInvoices, IssuedInvoicesAreImmutable) {
    const auto customer = createCustomer("Dora");
    const auto inv = openInvoice(id(customer), 5000);
    const std::string path = "/api/v1/billing/invoices/" + id(inv);
    auto patch = call("PATCH", path, {{"notes", "changed"}});
    EXPECT_EQ(patch.status, 409);
    EXPECT_EQ(patch.json()["error"]["code"], "invoice_not_editable");
    EXPECT_EQ(call("DELETE", path).status, 409);
    EXPECT_EQ(call("POST", path + "/issue").status, 409);
    EXPECT_EQ(invoice(id(inv)), inv);

    // A draft can be changed, with If-Match, and deleted.
    const auto draft = createDraft(id(customer), Json::array({{{"description", "a"}, {"quantity", "1"}, {"unit_price", 10}}}));
    const std::string dpath = "/api/v1/billing/invoices/" + id(draft);
    EXPECT_EQ(call("PATCH", dpath, {{"notes", "x"}}, {{"If-Match", "\"99\""}}).status, 412);
    auto changed = call("PATCH", dpath, {{"lines", Json::array({{{"description", "b"}, {"quantity", "2"}, {"unit_price", 10}}})}});
    ASSERT_EQ(changed.status, 200) << changed.body;
    EXPECT_EQ(changed.json()["total"], 20);
    EXPECT_EQ(changed.json()["version"], 2);
    EXPECT_EQ(call("DELETE", dpath).status, 204);
    EXPECT_EQ(call("GET", dpath).status, 404);
    // An empty draft cannot be issued.
    const auto empty = createDraft(id(customer), Json::array());
    auto r = call("POST", "/api/v1/billing/invoices/" + id(empty) + "/issue");
    EXPECT_EQ(r.status, 422);
    EXPECT_EQ(r.json()["error"]["fields"]["lines"], "an invoice needs at least one line to be issued");
}

TEST_F(BillingInvoices, VoidAndCreditNotes) {
    const auto customer = createCustomer("Eva");
    const auto a = openInvoice(id(customer), 3000);
    auto v = call("POST", "/api/v1/billing/invoices/" + id(a) + "/void");
    ASSERT_EQ(v.status, 200) << v.body;
    EXPECT_EQ(v.json()["status"], "void");
    EXPECT_EQ(call("POST", "/api/v1/billing/invoices/" + id(a) + "/void").status, 409);

    const auto b = openInvoice(id(customer), 10000);
    auto cn = call("POST", "/api/v1/billing/invoices/" + id(b) + "/credit-notes",
                   {{"lines", Json::array({{{"description", "Refund part"}, {"quantity", "1"}, {"unit_price", 4000}}})}});
    ASSERT_EQ(cn.status, 201) << cn.body;
    const auto note = cn.json();
    EXPECT_EQ(note["kind"], "credit_note");
    EXPECT_EQ(note["total"], -4000);
    EXPECT_EQ(note["original_invoice_id"], id(b));
    EXPECT_EQ(note["number"].get<std::string>().rfind("CN-", 0), 0u);
    auto after = invoice(id(b));
    EXPECT_EQ(after["amount_credited"], 4000);
    EXPECT_EQ(after["amount_due"], 6000);
    // More than is left to credit is refused.
    auto too_much = call("POST", "/api/v1/billing/invoices/" + id(b) + "/credit-notes",
                         {{"lines", Json::array({{{"description", "x"}, {"quantity", "1"}, {"unit_price", 6001}}})}});
    EXPECT_EQ(too_much.status, 422);
    // A paid-with-payments invoice cannot be voided: the answer points at credit notes.
    ASSERT_EQ(call("POST", "/api/v1/billing/invoices/" + id(b) + "/payments", {{"amount", 100}, {"method", "cash"}}).status, 201);
    auto nv = call("POST", "/api/v1/billing/invoices/" + id(b) + "/void");
    EXPECT_EQ(nv.status, 409);
    EXPECT_EQ(nv.json()["error"]["code"], "invoice_has_payments");
}

TEST_F(BillingInvoices, ListsPaginateAndFilter) {
    const auto customer = createCustomer("Lister");
    for (int i = 0; i < 3; ++i) createDraft(id(customer), Json::array());
    auto page1 = call("GET", "/api/v1/billing/invoices?limit=2&filter%5Bcustomer_id%5D=" + id(customer));
    ASSERT_EQ(page1.status, 200) << page1.body;
    ASSERT_EQ(page1.json()["data"].size(), 2u);
    ASSERT_TRUE(page1.json()["next_cursor"].is_string());
    auto page2 = call("GET", "/api/v1/billing/invoices?limit=2&filter%5Bcustomer_id%5D=" + id(customer) +
                                 "&cursor=" + page1.json()["next_cursor"].get<std::string>());
    ASSERT_EQ(page2.json()["data"].size(), 1u);
    EXPECT_TRUE(page2.json()["next_cursor"].is_null());
    EXPECT_EQ(call("GET", "/api/v1/billing/invoices?bogus=1").status, 400);
    EXPECT_EQ(call("GET", "/api/v1/billing/invoices?cursor=zz").status, 400);
    // Unknown fields and operators are named in the 400; known ones take every operator.
    auto unknown = call("GET", "/api/v1/billing/invoices?" + filter("notes", "", "x"));
    EXPECT_EQ(unknown.status, 400);
    EXPECT_TRUE(unknown.json()["error"]["fields"].contains("filter[notes]")) << unknown.body;
    EXPECT_EQ(call("GET", "/api/v1/billing/invoices?" + filter("total", "near", "1")).status, 400);
    EXPECT_EQ(call("GET", "/api/v1/billing/invoices?" + filter("total", "gte", "abc")).status, 400);
    auto drafts = call("GET", "/api/v1/billing/invoices?sort=created_at&" + filter("customer_id", "", id(customer)) + "&" +
                                  filter("status", "in", "draft,open") + "&" + filter("total", "lte", "0"));
    ASSERT_EQ(drafts.status, 200) << drafts.body;
    ASSERT_EQ(drafts.json()["data"].size(), 3u);
    EXPECT_LE(drafts.json()["data"][0]["created_at"], drafts.json()["data"][2]["created_at"]);
    EXPECT_EQ(call("GET", "/api/v1/billing/invoices?sort=notes").status, 400);
}

}  // namespace
}  // namespace tessera::plugins::billing::test
