// The example workflows in scripts/, pushed with the CLI and exercised against a real
// tenant exactly as a customer would use them.
#include "workflows_fixture.hpp"

using namespace tessera::test;

class WorkflowScripts : public WorkflowsTest {
protected:
    static void push(const std::string& file, std::vector<std::string> extra = {}) {
        std::vector<std::string> args{"workflow", "push", TestHost::sourceDir() + "/scripts/" + file, "--tenant", "acme"};
        args.insert(args.end(), extra.begin(), extra.end());
        auto r = host_->cli(args);
        ASSERT_EQ(r.exit_code, 0) << r.out;
    }
    static Json workflowNamed(const std::string& name) {
        for (const auto& wf : Json(host_->get("/api/v1/workflows", "acme").json()["data"]))
            if (wf["name"] == name) return wf;
        return nullptr;
    }
    // The CLI writes to the database; the server's cache notices within two seconds.
    static void waitForCache() { std::this_thread::sleep_for(std::chrono::milliseconds(2200)); }
};

TEST_F(WorkflowScripts, NormaliseTidiesAndRefusesUnreachableContacts) {
    push("contacts_normalise.lua");
    waitForCache();
    auto r = host_->post("/api/v1/contacts", "acme", {{"name", "  Ana   Lima "}, {"email", "ANA.Lima@GMAIL.com"}});
    ASSERT_EQ(r.status, 201) << r.body;
    EXPECT_EQ(r.json()["name"], "Ana Lima");
    EXPECT_EQ(r.json()["email"], "ana.lima@gmail.com");
    EXPECT_EQ(r.json()["tags"], Json::array({"free-mail"}));
    auto refused = host_->post("/api/v1/contacts", "acme", {{"name", "Nobody"}});
    ASSERT_EQ(refused.status, 422) << refused.body;
    EXPECT_EQ(refused.json()["error"]["message"], "a contact needs an e-mail address or a phone number");
}

TEST_F(WorkflowScripts, WelcomeDripSendsNowAndSchedulesTheFollowUp) {
    push("contacts_welcome_drip.lua");
    waitForCache();
    createContact("acme", {{"name", "Drip Person"}, {"email", "drip@x.test"}});
    auto wf = workflowNamed("contacts-welcome-drip");
    ASSERT_TRUE(wf.is_object());
    ASSERT_TRUE(eventually([&] { return !runs("acme", "?workflow_id=" + wf["id"].get<std::string>()).empty(); }));
    EXPECT_EQ(runs("acme", "?workflow_id=" + wf["id"].get<std::string>())[0]["status"], "ok");
    bool follow_up = false;
    for (const auto& job : Json(host_->get("/api/v1/workflow-jobs", "acme").json()["data"]))
        follow_up = follow_up || (job["workflow_id"] == wf["id"] && job["name"] == "follow_up");
    EXPECT_TRUE(follow_up);
    // The follow-up step itself, tried now with a dry run.
    auto t = host_->post("/api/v1/workflows/" + wf["id"].get<std::string>() + "/test", "acme",
                         {{"entry", "follow_up"}, {"payload", {{"contact_id", "ct_missing"}}}});
    EXPECT_EQ(t.json()["status"], "ok") << t.body;
}

TEST_F(WorkflowScripts, WebFormLeadsAreAssignedRoundRobin) {
    push("web_form_round_robin.lua");
    waitForCache();
    std::vector<std::string> owners;
    for (int i = 0; i < 4; ++i) {
        auto r = host_->post("/api/v1/contacts", "acme",
                             {{"name", "Lead " + std::to_string(i)}, {"email", "lead" + std::to_string(i) + "@x.test"},
                              {"tags", {"web-form"}}});
        ASSERT_EQ(r.status, 201) << r.body;
        owners.push_back(r.json()["owner_id"]);
        std::this_thread::sleep_for(std::chrono::milliseconds(5));  // distinct created_at
    }
    EXPECT_EQ(owners, (std::vector<std::string>{"usr_alice", "usr_bruno", "usr_chen", "usr_alice"}));
    auto other = host_->post("/api/v1/contacts", "acme", {{"name", "Walk-in"}, {"email", "walkin@x.test"}});
    EXPECT_TRUE(other.json()["owner_id"].is_null()) << other.body;
}

TEST_F(WorkflowScripts, VipAlertQueuesAWebhookOnTheAllowlist) {
    ASSERT_EQ(host_->request("PUT", "/api/v1/workflow-settings", "acme", {{"http_allowlist", {"hooks.example.com"}}}).status,
              200);
    push("contacts_vip_alert.lua");
    waitForCache();
    const std::string id = createContact("acme", {{"name", "Very Important"}, {"email", "vip@x.test"}});
    ASSERT_EQ(host_->request("PATCH", "/api/v1/contacts/" + id, "acme", {{"tags", {"vip"}}}).status, 200);
    ASSERT_TRUE(eventually([&] {
        auto list = host_->get("/api/v1/workflow-outbox", "acme").json()["data"];
        return !list.empty() && list[0]["url"] == "https://hooks.example.com/services/vip";
    }));
}

TEST_F(WorkflowScripts, BillingExamplesRunCleanlyOnIncompleteData) {
    push("deal_won_invoice.lua");
    push("invoice_overdue_block.lua");
    auto deal = workflowNamed("deal-won-invoice");
    auto overdue = workflowNamed("invoice-overdue-block");
    ASSERT_TRUE(deal.is_object() && overdue.is_object()) << host_->get("/api/v1/workflows", "acme").body;
    EXPECT_EQ(overdue["trigger"], "invoice.overdue");
    auto d = runWorkflow("acme", deal, {{"record", {{"id", "dl_1"}, {"amount", 125000}, {"currency", "EUR"}}}});
    EXPECT_EQ(d["status"], "ok") << d.dump();
    EXPECT_TRUE(logsContain(d, "has no contact: nothing to invoice")) << d.dump();
    // Without an invoice, or under 10 days overdue, the script leaves everyone alone.
    auto o = runWorkflow("acme", overdue);
    EXPECT_EQ(o["status"], "ok") << o.dump();
    EXPECT_TRUE(o["logs"].empty()) << o.dump();
    auto early = runWorkflow("acme", overdue, {{"invoice", {{"id", "in_1"}, {"customer_id", "ct_missing"}}}, {"days_overdue", 3}});
    EXPECT_EQ(early["status"], "ok") << early.dump();
    EXPECT_TRUE(early["logs"].empty()) << early.dump();
    auto stranger = runWorkflow("acme", overdue, {{"invoice", {{"id", "in_2"}, {"customer_id", "co_company"}}}, {"days_overdue", 12}});
    EXPECT_EQ(stranger["status"], "ok") << stranger.dump();
    EXPECT_TRUE(logsContain(stranger, "is not a contact: nothing to block")) << stranger.dump();
}
