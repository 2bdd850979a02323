// Settings, tax rates, products, PIX charges and the revenue report through the HTTP API.

#include <cstring>

#include "billing_fixture.hpp"

namespace tessera::plugins::billing::test {
namespace {

class BillingCatalog : public BillingTest {};

// CRC-16/CCITT-FALSE written out again here, so the host's payload is checked by an
// implementation it does not share.
unsigned crc16(const std::string& s) {
    unsigned crc = 0xFFFF;
    for (unsigned char c : s) {
        crc ^= c << 8;
        for (int i = 0; i < 8; ++i) crc = (crc & 0x8000) ? ((crc << 1) ^ 0x1021) & 0xFFFF : (crc << 1) & 0xFFFF;
    }
    return crc;
}

TEST_F(BillingCatalog, TaxRatesValidateAndRefuseDuplicates) {
    auto r = call("POST", "/api/v1/billing/tax-rates", {{"name", ""}, {"percent", "12.34567"}, {"inclusive", "yes"}});
    ASSERT_EQ(r.status, 422);
    const auto f = r.json()["error"]["fields"];
    EXPECT_EQ(f["name"], "must not be empty");
    EXPECT_EQ(f["percent"], "must have at most 4 decimals");
    EXPECT_EQ(f["inclusive"], "must be true or false");
    EXPECT_EQ(call("POST", "/api/v1/billing/tax-rates", {{"name", "Too much"}, {"percent", "100.5"}}).status, 422);
    const auto icms = createTaxRate("ICMS 18", "18.0000", false);
    EXPECT_EQ(icms["percent"], "18");
    auto dup = call("POST", "/api/v1/billing/tax-rates", {{"name", "ICMS 18"}, {"percent", "18"}});
    EXPECT_EQ(dup.status, 409);
    EXPECT_EQ(dup.json()["error"]["code"], "duplicate_name");
    auto patched = call("PATCH", "/api/v1/billing/tax-rates/" + id(icms), {{"active", false}});
    ASSERT_EQ(patched.status, 200) << patched.body;
    EXPECT_EQ(patched.json()["active"], false);
    EXPECT_EQ(patched.json()["version"], 2);
    auto list = call("GET", "/api/v1/billing/tax-rates?filter%5Bactive%5D=false");
    ASSERT_EQ(list.status, 200) << list.body;
    EXPECT_EQ(list.json()["data"].size(), 1u);
}

TEST_F(BillingCatalog, ProductsHaveUniqueSkusAndValidatedPrices) {
    auto bad = call("POST", "/api/v1/billing/products",
                    {{"sku", "A"}, {"name", "x"}, {"unit_price", 1.5}, {"currency", "brl"}, {"tax_rate_id", "tx_no"},
                     {"id", "pr_mine"}});
    ASSERT_EQ(bad.status, 422);
    const auto f = bad.json()["error"]["fields"];
    EXPECT_EQ(f["unit_price"], "must be an integer amount in minor units from 0 to 10^15");
    EXPECT_TRUE(f.contains("currency"));
    EXPECT_EQ(f["tax_rate_id"], "no tax rate with this id");
    EXPECT_EQ(f["id"], "is read-only");
    const auto p = created("/api/v1/billing/products",
                           {{"sku", "CONS-H"}, {"name", "Consulting hour"}, {"unit_price", 15000}, {"currency", "BRL"},
                            {"unit", "hour"}});
    EXPECT_EQ(p["active"], true);
    auto dup = call("POST", "/api/v1/billing/products", {{"sku", "CONS-H"}, {"name", "y"}, {"unit_price", 1}, {"currency", "BRL"}});
    EXPECT_EQ(dup.status, 409);
    EXPECT_EQ(dup.json()["error"]["code"], "duplicate_sku");
    auto off = call("PATCH", "/api/v1/billing/products/" + id(p), {{"active", false}});
    ASSERT_EQ(off.status, 200);
    // An inactive product cannot be put on a new invoice.
    const auto customer = createCustomer("Catalog customer");
    auto r = call("POST", "/api/v1/billing/invoices",
                  {{"customer_id", id(customer)}, {"currency", "BRL"},
                   {"lines", Json::array({{{"product_id", id(p)}, {"quantity", "1"}}})}});
    EXPECT_EQ(r.status, 422);
    EXPECT_EQ(r.json()["error"]["fields"]["lines.0.product_id"], "the product is not active");
    EXPECT_EQ(call("DELETE", "/api/v1/billing/products/" + id(p)).status, 204);
    EXPECT_EQ(call("GET", "/api/v1/billing/products/" + id(p)).status, 404);
}

TEST_F(BillingCatalog, PixChargeForAnOpenInvoice) {
    const auto customer = createCustomer("Pix payer");
    const auto inv = openInvoice(id(customer), 12345);
    auto not_configured = call("GET", "/api/v1/billing/invoices/" + id(inv) + "/pix");
    EXPECT_EQ(not_configured.status, 409);
    auto bad = call("PATCH", "/api/v1/billing/settings", {{"pix_merchant_name", "Padaria São João"}});
    EXPECT_EQ(bad.status, 422);
    auto s = call("PATCH", "/api/v1/billing/settings",
                  {{"pix_key", "+5511999990000"}, {"pix_merchant_name", "Loja Exemplo A"}, {"pix_merchant_city", "SAO PAULO"}});
    ASSERT_EQ(s.status, 200) << s.body;

    auto r = call("GET", "/api/v1/billing/invoices/" + id(inv) + "/pix");
    ASSERT_EQ(r.status, 200) << r.body;
    const std::string payload = r.json()["payload"];
    const std::string txid = r.json()["txid"];
    char txfield[64];
    std::snprintf(txfield, sizeof txfield, "05%02zu%s", txid.size(), txid.c_str());
    char additional[80];
    std::snprintf(additional, sizeof additional, "62%02zu%s", std::strlen(txfield), txfield);
    const std::string body = std::string("000201") + "2636" + "0014br.gov.bcb.pix" + "0114+5511999990000" + "52040000" +
                             "5303986" + "5406123.45" + "5802BR" + "5914Loja Exemplo A" + "6009SAO PAULO" + additional +
                             "6304";
    char crc[8];
    std::snprintf(crc, sizeof crc, "%04X", crc16(body));
    EXPECT_EQ(payload, body + crc);

    auto svg = call("GET", "/api/v1/billing/invoices/" + id(inv) + "/pix.svg");
    ASSERT_EQ(svg.status, 200);
    EXPECT_EQ(svg.header("content-type"), "image/svg+xml");
    EXPECT_NE(svg.body.find("<svg"), std::string::npos);
    auto png = call("GET", "/api/v1/billing/invoices/" + id(inv) + "/pix.png?scale=4");
    ASSERT_EQ(png.status, 200);
    EXPECT_EQ(png.header("content-type"), "image/png");
    EXPECT_EQ(png.body.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
    EXPECT_EQ(call("GET", "/api/v1/billing/invoices/" + id(inv) + "/pix.png?scale=99").status, 400);

    // Partly paid: the charge is for what is still due.
    ASSERT_EQ(call("POST", "/api/v1/billing/invoices/" + id(inv) + "/payments", {{"amount", 2345}, {"method", "pix"}}).status, 201);
    EXPECT_NE(call("GET", "/api/v1/billing/invoices/" + id(inv) + "/pix").json()["payload"].get<std::string>().find("5406100.00"),
              std::string::npos);
}

TEST_F(BillingCatalog, RevenueReportSumsPaymentsPerMonthAndCurrency) {
    const auto customer = createCustomer("Revenue");
    const auto a = openInvoice(id(customer), 10000);
    ASSERT_EQ(call("POST", "/api/v1/billing/invoices/" + id(a) + "/payments",
                   {{"amount", 4000}, {"method", "cash"}, {"paid_on", "2030-03-05"}}).status, 201);
    ASSERT_EQ(call("POST", "/api/v1/billing/invoices/" + id(a) + "/payments",
                   {{"amount", 6000}, {"method", "card"}, {"paid_on", "2030-04-20"}}).status, 201);
    auto r = call("GET", "/api/v1/billing/reports/revenue?from=2030-03&to=2030-04");
    ASSERT_EQ(r.status, 200) << r.body;
    const auto data = r.json()["data"];
    ASSERT_EQ(data.size(), 2u);
    EXPECT_EQ(data[0], (Json{{"month", "2030-03"}, {"currency", "BRL"}, {"amount", 4000}, {"paid", 4000},
                             {"refunded", 0}, {"payments", 1}}));
    EXPECT_EQ(data[1]["amount"], 6000);
    EXPECT_EQ(call("GET", "/api/v1/billing/reports/revenue?from=2030-13").status, 400);
    EXPECT_EQ(call("GET", "/api/v1/billing/reports/revenue?from=2030-05&to=2030-04").status, 400);
}

}  // namespace
}  // namespace tessera::plugins::billing::test
