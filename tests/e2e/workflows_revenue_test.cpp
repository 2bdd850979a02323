// Lua workflows driving the deals and billing plugins through the real host: the
// example scripts pushed with the CLI, the crm.deals.* and crm.billing.* functions, and
// the payloads of the events those plugins publish, as a script sees them.
#include <ctime>
#include <sstream>
#include <string>
#include <vector>

#include "workflows_fixture.hpp"

using namespace tessera::test;

namespace {

// "YYYY-MM-DD" `days` days from today (UTC).
std::string dayOffset(int days) {
    const std::time_t t = std::time(nullptr) + static_cast<std::time_t>(days) * 86400;
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[16];
    std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
    return buf;
}

}  // namespace

class WorkflowsRevenue : public WorkflowsTest {
protected:
    static void push(const std::string& file) {
        auto r = host_->cli({"workflow", "push", TestHost::sourceDir() + "/scripts/" + file, "--tenant", "acme"});
        ASSERT_EQ(r.exit_code, 0) << r.out;
    }
    static Json post(const std::string& target, const Json& body, int status = 201) {
        auto r = host_->post(target, "acme", body);
        EXPECT_EQ(r.status, status) << target << " -> " << r.body;
        return r.json();
    }
    static Json get(const std::string& target) { return host_->get(target, "acme").json(); }
    // An issued invoice for `customer`, of one untaxed line, due on `due_date`.
    static Json issuedInvoice(const std::string& customer, long amount, const std::string& due_date) {
        auto draft = post("/api/v1/billing/invoices",
                          {{"customer_id", customer},
                           {"currency", "BRL"},
                           {"issue_date", dayOffset(-40)},
                           {"due_date", due_date},
                           {"lines", {{{"description", "Support plan"}, {"quantity", "1"}, {"unit_price", amount}}}}});
        return post("/api/v1/billing/invoices/" + draft["id"].get<std::string>() + "/issue", Json::object(), 200);
    }
    static bool hasTag(const std::string& contact_id, const std::string& tag) {
        const auto c = get("/api/v1/contacts/" + contact_id);
        for (const auto& t : c["tags"])
            if (t == tag) return true;
        return false;
    }
    static Json mailTo(const std::string& address) {
        const auto mail = get("/api/v1/mail");
        for (const auto& m : mail["data"])
            if (m["to"] == address) return m;
        return nullptr;
    }
    // Runs of the workflow named `name`, newest first.
    static Json runsOf(const std::string& name) {
        const auto workflows = get("/api/v1/workflows");
        for (const auto& wf : workflows["data"])
            if (wf["name"] == name) return runs("acme", "?workflow_id=" + wf["id"].get<std::string>());
        return Json::array();
    }
};

TEST_F(WorkflowsRevenue, AnInvoiceTenDaysOverdueBlocksTheCustomerAndQueuesAMail) {
    ASSERT_EQ(host_->request("PUT", "/api/v1/mail/templates/account_blocked_overdue", "acme",
                             {{"body", "Invoice {{invoice}} is {{days_overdue}} days overdue."}})
                  .status,
              200);
    push("invoice_overdue_block.lua");
    std::this_thread::sleep_for(std::chrono::milliseconds(2200));  // the server's workflow cache
    const std::string late = createContact("acme", {{"name", "Late Payer"}, {"email", "late@payer.test"}});
    const std::string recent = createContact("acme", {{"name", "Recent Payer"}, {"email", "recent@payer.test"}});
    const auto late_invoice = issuedInvoice(late, 45000, dayOffset(-10));
    issuedInvoice(recent, 12000, dayOffset(-3));

    // The billing job publishes invoice.overdue; the workflow reacts to it.
    auto job = post("/api/v1/billing/jobs/run", {{"job", "overdue"}}, 200);
    EXPECT_GE(job["overdue_notices"].get<int>(), 2) << job.dump();
    ASSERT_TRUE(eventually([&] { return hasTag(late, "blocked"); })) << runsOf("invoice-overdue-block").dump();
    ASSERT_TRUE(eventually([&] { return mailTo("late@payer.test").is_object(); })) << get("/api/v1/mail").dump();
    const auto mail = mailTo("late@payer.test");
    EXPECT_EQ(mail["subject"], "Your account is on hold") << mail.dump();
    EXPECT_EQ(mail["template"], "account_blocked_overdue") << mail.dump();
    // The host's mailer delivers it with the tenant's template filled in.
    ASSERT_TRUE(eventually([&] {
        for (const auto& m : smtp_->received())
            if (m.decodedBody().find("is 10 days overdue") != std::string::npos) return true;
        return false;
    })) << get("/api/v1/mail").dump();

    // Three days overdue is not enough; the run says nothing and blocks nobody.
    ASSERT_TRUE(eventually([&] { return runsOf("invoice-overdue-block").size() >= 2; }));
    for (const auto& run : runsOf("invoice-overdue-block")) EXPECT_EQ(run["status"], "ok") << run.dump();
    EXPECT_FALSE(hasTag(recent, "blocked"));
    EXPECT_TRUE(mailTo("recent@payer.test").is_null());
    bool logged = false;
    for (const auto& run : runsOf("invoice-overdue-block"))
        logged = logged || logsContain(run, "blocked contact " + late + ": invoice " +
                                                late_invoice["number"].get<std::string>() + " is 10 days overdue");
    EXPECT_TRUE(logged) << runsOf("invoice-overdue-block").dump();

    // The next day's notice finds the customer blocked already: no second mail.
    const auto before = get("/api/v1/mail")["data"].size();
    const auto workflows = get("/api/v1/workflows")["data"];
    Json block = nullptr;
    for (const auto& wf : workflows)
        if (wf["name"] == "invoice-overdue-block") block = wf;
    ASSERT_TRUE(block.is_object());
    auto again = runWorkflow("acme", block,
                             {{"name", "invoice.overdue"}, {"invoice", late_invoice}, {"days_overdue", 11}});
    EXPECT_EQ(again["status"], "ok") << again.dump();
    EXPECT_EQ(get("/api/v1/mail")["data"].size(), before);
}

TEST_F(WorkflowsRevenue, ScriptsSellThroughDealsAndBillingFunctions) {
    const std::string customer = createContact("acme", {{"name", "Scripted Buyer"}, {"email", "buyer@script.test"}});
    auto pipeline = post("/api/v1/pipelines", {{"name", "Scripted"},
                                               {"stages", {{{"name", "Lead"}, {"probability", 10}},
                                                           {{"name", "Proposal"}, {"probability", 60}}}}});
    const std::string proposal = pipeline["stages"][1]["id"];
    const std::string source = R"(
local deal = assert(crm.deals.create({ title = "Scripted deal", contact_id = event.customer, amount = 30000,
                                       currency = "BRL", pipeline_id = event.pipeline }))
local moved = assert(crm.deals.move({ id = deal.id, stage_id = event.stage }))
local won = assert(crm.deals.update({ id = deal.id, status = "won" }))
local invoice = assert(crm.billing.invoices.create({ customer_id = event.customer, currency = "BRL", issue = true,
  lines = { { description = won.title, quantity = "1", unit_price = won.amount } } }))
local part = assert(crm.billing.payments.record({ invoice_id = invoice.id, amount = 10000, method = "pix" }))
local rest = assert(crm.billing.payments.record({ invoice_id = invoice.id, amount = 20000, method = "card" }))
local paid = assert(crm.billing.invoices.get({ id = invoice.id }))
local found = crm.billing.invoices.find({ customer_id = event.customer })
local bad, err = crm.billing.payments.record({ invoice_id = invoice.id, amount = 1, method = "cash" })
crm.log("info", table.concat({ moved.stage_id == event.stage and "moved" or "not moved", won.status,
  invoice.status, part.invoice.status, rest.invoice.status, paid.status, tostring(paid.amount_due), tostring(#found),
  tostring(bad == nil), tostring(err ~= nil) }, " "))
)";
    auto run = runScript("acme", source, {{"customer", customer}, {"pipeline", pipeline["id"]}, {"stage", proposal}});
    ASSERT_EQ(run["status"], "ok") << run.dump();
    EXPECT_TRUE(logsContain(run, "moved won open open paid paid 0 1 true true")) << run.dump();

    // What the script did is what the API shows.
    auto deals = get("/api/v1/deals?filter%5Bcontact_id%5D=" + customer)["data"];
    ASSERT_EQ(deals.size(), 1u);
    EXPECT_EQ(deals[0]["status"], "won");
    EXPECT_EQ(deals[0]["stage_id"], proposal);
    auto invoices = get("/api/v1/billing/invoices?filter%5Bcustomer_id%5D=" + customer)["data"];
    ASSERT_EQ(invoices.size(), 1u);
    EXPECT_EQ(invoices[0]["status"], "paid");
    EXPECT_EQ(invoices[0]["amount_paid"], 30000);

    // A role without billing.write gets the documented refusal.
    auto readonly = createWorkflow("acme", "readonly-billing", "manual",
                                   "local ok, err = crm.billing.invoices.create({}) crm.log('info', tostring(err))",
                                   {{"run_as", "readonly"}});
    auto refused = runWorkflow("acme", readonly);
    EXPECT_TRUE(logsContain(refused, "needs 'billing.write'")) << refused.dump();
    deleteWorkflow("acme", readonly);
}

TEST_F(WorkflowsRevenue, ScriptFunctionsKeepToTheRunAsRolesRecordsAndFields) {
    // A role that reaches only its own deals and invoices, and never a deal's amount.
    auto role = post("/api/v1/roles", {{"name", "Own sellers"},
                                       {"permissions", {"contacts.read", "deals.read", "deals.write", "billing.read",
                                                        "billing.write", "billing.invoices.void"}},
                                       {"access", {{"deals", {{"own_records_only", true}, {"hidden_fields", {"amount"}}}},
                                                   {"invoices", {{"own_records_only", true}}}}}});
    const std::string customer = createContact("acme", {{"name", "Guarded Buyer"}, {"email", "guarded@buyer.test"}});
    auto pipeline = post("/api/v1/pipelines", {{"name", "Guarded"},
                                               {"stages", {{{"name", "A"}, {"probability", 20}},
                                                           {{"name", "B"}, {"probability", 80}}}}});
    // Someone else's deal and invoice: the owner's.
    auto deal = post("/api/v1/deals", {{"title", "Not yours"}, {"pipeline_id", pipeline["id"]}, {"amount", 900},
                                       {"currency", "EUR"}});
    auto invoice = issuedInvoice(customer, 5000, dayOffset(14));
    const std::string source = R"(
local d, err = crm.deals.get({ id = event.deal })
local u = crm.deals.update({ id = event.deal, title = "Taken" })
local m = crm.deals.move({ id = event.deal, stage_id = event.stage })
local mine = assert(crm.deals.create({ title = "Mine", pipeline_id = event.pipeline, currency = "EUR" }))
local again = assert(crm.deals.get({ id = mine.id }))
local _, priced = crm.deals.create({ title = "Priced", pipeline_id = event.pipeline, amount = 5, currency = "EUR" })
local i = crm.billing.invoices.get({ id = event.invoice })
local found = crm.billing.invoices.find({ customer_id = event.customer })
local p = crm.billing.payments.record({ invoice_id = event.invoice, amount = 100, method = "pix" })
local v = crm.billing.invoices.void({ id = event.invoice })
crm.log("info", table.concat({ tostring(d), tostring(err), tostring(u), tostring(m), again.title, tostring(again.amount),
  tostring(priced), tostring(i), tostring(#found), tostring(p), tostring(v) }, "|"))
)";
    auto wf = createWorkflow("acme", "own-seller", "manual", source, {{"run_as", role["id"]}});
    auto run = runWorkflow("acme", wf, {{"deal", deal["id"]}, {"stage", pipeline["stages"][1]["id"]},
                                        {"pipeline", pipeline["id"]}, {"invoice", invoice["id"]}, {"customer", customer}});
    deleteWorkflow("acme", wf);
    ASSERT_EQ(run["status"], "ok") << run.dump();
    ASSERT_EQ(run["logs"].size(), 1u) << run.dump();
    std::vector<std::string> seen;
    std::stringstream line(run["logs"][0]["message"].get<std::string>());
    for (std::string part; std::getline(line, part, '|');) seen.push_back(part);
    ASSERT_EQ(seen.size(), 11u) << run.dump();
    EXPECT_EQ(seen[0], "nil") << "another's deal is not found";
    EXPECT_EQ(seen[1], "no such deal");
    EXPECT_EQ(seen[2], "nil") << "nor updated";
    EXPECT_EQ(seen[3], "nil") << "nor moved";
    EXPECT_EQ(seen[4], "Mine") << "its own deal is";
    EXPECT_EQ(seen[5], "nil") << "without the hidden amount";
    EXPECT_NE(seen[6].find("'amount' is not writable"), std::string::npos) << seen[6];
    EXPECT_EQ(seen[7], "nil") << "another's invoice is not found";
    EXPECT_EQ(seen[8], "0") << "nor listed";
    EXPECT_EQ(seen[9], "nil") << "nor paid";
    EXPECT_EQ(seen[10], "nil") << "nor voided";
    // Nothing of the owner's changed.
    auto theirs = get("/api/v1/deals/" + deal["id"].get<std::string>());
    EXPECT_EQ(theirs["title"], "Not yours");
    EXPECT_EQ(theirs["stage_id"], pipeline["stages"][0]["id"]);
    auto billed = get("/api/v1/billing/invoices/" + invoice["id"].get<std::string>());
    EXPECT_EQ(billed["status"], "open");
    EXPECT_EQ(billed["amount_paid"], 0);
}

TEST_F(WorkflowsRevenue, DealAndBillingEventsCarryTheDocumentedFields) {
    // One workflow per event logs the fields docs/deals.md and docs/billing.md promise.
    const std::string log_deal = R"(
local d = event.deal
crm.log("info", table.concat({ event.name, tostring(event.id == d.id), tostring(event.record and event.record.id == d.id),
  d.status, tostring(d.amount), d.currency, tostring(d.contact_id), tostring(event.from_stage_id ~= nil),
  tostring(event.to_stage_id == d.stage_id), tostring(event.lost_reason and event.lost_reason.name) }, "|"))
)";
    for (const char* e : {"deal.created", "deal.stage_changed", "deal.won", "deal.lost"})
        createWorkflow("acme", std::string("log-") + e, e, log_deal);
    const std::string log_billing = R"(
local i = event.invoice
crm.log("info", table.concat({ event.name, tostring(event.id), i and i.status or "-", i and tostring(i.amount_due) or "-",
  tostring(event.payment and event.payment.amount), tostring(event.days_overdue) }, "|"))
)";
    for (const char* e : {"invoice.issued", "invoice.paid", "payment.received"})
        createWorkflow("acme", std::string("log-") + e, e, log_billing);
    std::this_thread::sleep_for(std::chrono::milliseconds(2200));

    const std::string customer = createContact("acme", {{"name", "Event Buyer"}, {"email", "events@buyer.test"}});
    auto pipeline = post("/api/v1/pipelines", {{"name", "Evented"},
                                               {"stages", {{{"name", "A"}, {"probability", 20}},
                                                           {{"name", "B"}, {"probability", 80}}}}});
    auto reason = post("/api/v1/lost-reasons", {{"name", "Too expensive"}});
    auto deal = post("/api/v1/deals", {{"title", "Evented deal"}, {"pipeline_id", pipeline["id"]}, {"contact_id", customer},
                                       {"amount", 5000}, {"currency", "EUR"}});
    const std::string deal_id = deal["id"];
    auto moved = host_->request("PATCH", "/api/v1/deals/" + deal_id, "acme", {{"stage_id", pipeline["stages"][1]["id"]}});
    ASSERT_EQ(moved.status, 200) << moved.body;
    auto won = host_->request("PATCH", "/api/v1/deals/" + deal_id, "acme", {{"status", "won"}});
    ASSERT_EQ(won.status, 200) << won.body;
    auto lost_deal = post("/api/v1/deals", {{"title", "Lost one"}, {"pipeline_id", pipeline["id"]}, {"amount", 700},
                                            {"currency", "EUR"}});
    auto lost = host_->request("PATCH", "/api/v1/deals/" + lost_deal["id"].get<std::string>(), "acme",
                               {{"status", "lost"}, {"lost_reason_id", reason["id"]}});
    ASSERT_EQ(lost.status, 200) << lost.body;
    auto invoice = issuedInvoice(customer, 5000, dayOffset(14));
    post("/api/v1/billing/invoices/" + invoice["id"].get<std::string>() + "/payments", {{"amount", 5000}, {"method", "pix"}});

    const std::string contact = customer;
    auto logged = [&](const std::string& workflow, const std::string& text) {
        return eventually([&] {
            for (const auto& run : runsOf(workflow))
                if (logsContain(run, text)) return true;
            return false;
        });
    };
    EXPECT_TRUE(logged("log-deal.created", "deal.created|true|true|open|5000|EUR|" + contact + "|false|false|nil"))
        << runsOf("log-deal.created").dump();
    EXPECT_TRUE(logged("log-deal.stage_changed", "deal.stage_changed|true|true|open|5000|EUR|" + contact + "|true|true|nil"))
        << runsOf("log-deal.stage_changed").dump();
    EXPECT_TRUE(logged("log-deal.won", "deal.won|true|true|won|5000|EUR|" + contact + "|false|false|nil"))
        << runsOf("log-deal.won").dump();
    EXPECT_TRUE(logged("log-deal.lost", "deal.lost|true|true|lost|700|EUR|nil|false|false|Too expensive"))
        << runsOf("log-deal.lost").dump();
    const std::string inv = invoice["id"];
    EXPECT_TRUE(logged("log-invoice.issued", "invoice.issued|" + inv + "|open|5000|nil|nil"))
        << runsOf("log-invoice.issued").dump();
    EXPECT_TRUE(logged("log-invoice.paid", "invoice.paid|" + inv + "|paid|0|nil|nil")) << runsOf("log-invoice.paid").dump();
    EXPECT_TRUE(logged("log-payment.received", "payment.received|"))
        << runsOf("log-payment.received").dump();
    bool payment_fields = false;
    for (const auto& run : runsOf("log-payment.received"))
        payment_fields = payment_fields || logsContain(run, "|paid|0|5000|nil");
    EXPECT_TRUE(payment_fields) << runsOf("log-payment.received").dump();
}
