// The end-to-end scenario of issue 6: a lead becomes a contact, a deal is won, the deal
// is invoiced, paid partly, then fully. Uses the deals plugin when the build has it.

#include <filesystem>

#include "billing_fixture.hpp"

namespace tessera::plugins::billing::test {
namespace {

class BillingScenario : public BillingTest {
protected:
    void SetUp() override {
        // The manifest is copied next to the library when the plugin is built.
        const auto manifest = std::filesystem::path(TestHost::buildPluginDir()) / "deals" / "plugin.json";
        if (!std::filesystem::exists(manifest))
            GTEST_SKIP() << "the deals plugin is not built here (no " << manifest.string()
                         << "), so the lead -> deal -> invoice scenario cannot run";
    }
};

TEST_F(BillingScenario, LeadToDealWonToInvoicePartialPaymentToPaid) {
    // The lead.
    const auto lead = created("/api/v1/contacts", {{"name", "Mariana Costa"}, {"email", "mariana@lead.example"}});

    // The deal, moved through a pipeline and won.
    const auto pipeline = created("/api/v1/pipelines",
                                  {{"name", "Sales"},
                                   {"stages", Json::array({{{"name", "Qualified"}, {"probability", 20}},
                                                           {{"name", "Proposal"}, {"probability", 60}}})}});
    const auto deal = created("/api/v1/deals", {{"title", "Annual support"}, {"contact_id", id(lead)},
                                                {"pipeline_id", id(pipeline)}, {"amount", 120000}, {"currency", "BRL"}});
    auto moved = call("PATCH", "/api/v1/deals/" + id(deal), {{"stage_id", pipeline["stages"][1]["id"]}});
    ASSERT_EQ(moved.status, 200) << moved.body;
    auto won = call("PATCH", "/api/v1/deals/" + id(deal), {{"status", "won"}});
    ASSERT_EQ(won.status, 200) << won.body;
    ASSERT_EQ(won.json()["status"], "won");

    // The invoice for the won deal, to the deal's contact, in the deal's currency.
    const auto& d = won.json();
    const auto draft = createDraft(d["contact_id"], Json::array({{{"description", d["title"]}, {"quantity", "1"},
                                                                  {"unit_price", d["amount"]}}}),
                                   d["currency"], {{"notes", "Deal " + id(deal)}});
    EXPECT_EQ(draft["total"], 120000);
    const auto open = issue(id(draft));
    ASSERT_EQ(open["status"], "open");
    ASSERT_TRUE(open["number"].is_string());

    // Partial payment, then the rest.
    const std::string payments = "/api/v1/billing/invoices/" + id(open) + "/payments";
    auto part = call("POST", payments, {{"amount", 50000}, {"method", "pix"}});
    ASSERT_EQ(part.status, 201) << part.body;
    EXPECT_EQ(part.json()["invoice"]["status"], "open");
    EXPECT_EQ(part.json()["invoice"]["amount_due"], 70000);
    auto rest = call("POST", payments, {{"amount", 70000}, {"method", "boleto"}});
    ASSERT_EQ(rest.status, 201) << rest.body;
    EXPECT_EQ(rest.json()["invoice"]["status"], "paid");

    const auto final_state = invoice(id(open));
    EXPECT_EQ(final_state["status"], "paid");
    EXPECT_EQ(final_state["amount_paid"], 120000);
    EXPECT_EQ(final_state["customer_id"], id(lead));
}

}  // namespace
}  // namespace tessera::plugins::billing::test
