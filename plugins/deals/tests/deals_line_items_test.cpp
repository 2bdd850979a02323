// Line items on deals: free-text items and billing products (read through the
// billing.products service), the amount computed from them, and every refusal naming
// the item and field.

#include "deals_fixture.hpp"

namespace tessera::plugins::deals::test {
namespace {

class DealsLineItems : public DealsTest {};

TEST_F(DealsLineItems, AmountIsTheSumOfFreeTextItems) {
    createPipeline("Items", {{"New", 10}});
    auto deal = createDeal({{"title", "Two things"}, {"currency", "EUR"},
                            {"line_items", {{{"name", "Setup"}, {"quantity", 1}, {"unit_price", 50000}},
                                            {{"name", "Seat"}, {"quantity", 12}, {"unit_price", 1999}}}}});
    EXPECT_EQ(deal["amount"], 50000 + 12 * 1999);
    ASSERT_EQ(deal["line_items"].size(), 2u);
    EXPECT_EQ(deal["line_items"][1], (Json{{"product_id", nullptr}, {"name", "Seat"}, {"quantity", 12},
                                           {"unit_price", 1999}, {"total", 23988}}));
    EXPECT_EQ(expect(200, "GET", "/api/v1/deals/" + id(deal))["line_items"], deal["line_items"]);

    // While items exist the amount is theirs; changing the items changes it.
    auto both = call("PATCH", "/api/v1/deals/" + id(deal), {{"amount", 5}});
    ASSERT_EQ(both.status, 422) << both.body;
    EXPECT_TRUE(both.json()["error"]["fields"].contains("amount")) << both.body;
    auto fewer = expect(200, "PATCH", "/api/v1/deals/" + id(deal),
                        {{"line_items", {{{"name", "Seat"}, {"quantity", 3}, {"unit_price", 1999}}}}});
    EXPECT_EQ(fewer["amount"], 5997);
    // Without items the amount is set by hand again.
    auto cleared = expect(200, "PATCH", "/api/v1/deals/" + id(deal), {{"line_items", Json::array()}, {"amount", 700}});
    EXPECT_EQ(cleared["amount"], 700);
    EXPECT_TRUE(cleared["line_items"].empty());
}

TEST_F(DealsLineItems, ItemsAreValidatedFieldByField) {
    createPipeline("Checked", {{"New", 10}});
    auto r = call("POST", "/api/v1/deals",
                  {{"title", "Bad items"}, {"currency", "EUR"},
                   {"line_items", {{{"quantity", 0}, {"unit_price", -1}},
                                   {{"name", "x"}, {"quantity", 1}, {"unit_price", 1}, {"total", 1}, {"colour", "red"}},
                                   "not an item"}}});
    ASSERT_EQ(r.status, 422) << r.body;
    const auto f = r.json()["error"]["fields"];
    EXPECT_TRUE(f.contains("line_items.0.name")) << r.body;
    EXPECT_TRUE(f.contains("line_items.0.quantity")) << r.body;
    EXPECT_TRUE(f.contains("line_items.0.unit_price")) << r.body;
    EXPECT_EQ(f.value("line_items.1.total", ""), "is read-only");
    EXPECT_EQ(f.value("line_items.1.colour", ""), "unknown field");
    EXPECT_TRUE(f.contains("line_items.2")) << r.body;
    EXPECT_EQ(call("POST", "/api/v1/deals", {{"title", "x"}, {"currency", "EUR"}, {"line_items", "many"}}).status, 422);
    auto huge = call("POST", "/api/v1/deals", {{"title", "Huge"}, {"currency", "EUR"},
                                                {"line_items", {{{"name", "a"}, {"quantity", 1000000},
                                                                 {"unit_price", 1000000000000000LL}}}}});
    ASSERT_EQ(huge.status, 422) << huge.body;
    EXPECT_TRUE(huge.json()["error"]["fields"].contains("line_items")) << huge.body;
}

TEST_F(DealsLineItems, ProductsComeFromBillingThroughItsService) {
    createPipeline("Catalog", {{"New", 10}});
    auto product = expect(201, "POST", "/api/v1/billing/products",
                          {{"sku", "DEAL-PRO"}, {"name", "Pro licence"}, {"unit_price", 12000}, {"currency", "BRL"}});
    auto deal = createDeal({{"title", "Licences"}, {"currency", "BRL"},
                            {"line_items", {{{"product_id", id(product)}, {"quantity", 5}},
                                            {{"product_id", id(product)}, {"quantity", 1}, {"unit_price", 10000},
                                             {"name", "Discounted licence"}}}}});
    EXPECT_EQ(deal["amount"], 5 * 12000 + 10000);
    EXPECT_EQ(deal["line_items"][0]["name"], "Pro licence");
    EXPECT_EQ(deal["line_items"][0]["product_id"], id(product));
    EXPECT_EQ(deal["line_items"][1]["name"], "Discounted licence");

    // Another currency, a missing product: named per item.
    auto euro = call("POST", "/api/v1/deals", {{"title", "Euro"}, {"currency", "EUR"},
                                               {"line_items", {{{"product_id", id(product)}, {"quantity", 1}}}}});
    ASSERT_EQ(euro.status, 422) << euro.body;
    EXPECT_NE(euro.json()["error"]["fields"].value("line_items.0.product_id", "").find("BRL"), std::string::npos);
    auto missing = call("POST", "/api/v1/deals", {{"title", "Ghost"}, {"currency", "BRL"},
                                                  {"line_items", {{{"product_id", "pr_missing"}, {"quantity", 1}}}}});
    ASSERT_EQ(missing.status, 422) << missing.body;
    EXPECT_EQ(missing.json()["error"]["fields"].value("line_items.0.product_id", ""), "no such product");
    // Changing the deal's currency re-checks its products.
    auto switched = call("PATCH", "/api/v1/deals/" + id(deal), {{"currency", "EUR"}});
    EXPECT_EQ(switched.status, 422) << switched.body;
}

// One answer names every problem: an item's shape, its product, another item's product
// and the deal's own fields (products used to go unchecked while any item was malformed).
TEST_F(DealsLineItems, EveryProblemIsReportedAtOnce) {
    createPipeline("All at once", {{"New", 10}});
    auto euro = expect(201, "POST", "/api/v1/billing/products",
                       {{"sku", "EUR-ONLY"}, {"name", "Euro thing"}, {"unit_price", 500}, {"currency", "EUR"}});
    auto r = call("POST", "/api/v1/deals",
                  {{"title", ""}, {"currency", "BRL"},
                   {"line_items", {{{"product_id", "pr_missing"}, {"quantity", 0}},
                                   {{"product_id", id(euro)}, {"quantity", 1}},
                                   {{"name", "ok"}, {"quantity", 1}, {"unit_price", 100}}}}});
    ASSERT_EQ(r.status, 422) << r.body;
    const auto f = r.json()["error"]["fields"];
    EXPECT_TRUE(f.contains("title")) << r.body;
    EXPECT_TRUE(f.contains("line_items.0.quantity")) << r.body;
    EXPECT_EQ(f.value("line_items.0.product_id", ""), "no such product") << r.body;
    EXPECT_NE(f.value("line_items.1.product_id", "").find("priced in EUR"), std::string::npos) << r.body;
    EXPECT_FALSE(f.contains("line_items.2")) << r.body;
}

}  // namespace
}  // namespace tessera::plugins::deals::test
