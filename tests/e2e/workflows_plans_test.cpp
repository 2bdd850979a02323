// What a tenant's plan and roles mean for its workflows: per-plan run limits, the
// plan's workflow allowance (API and CLI), and custom roles as the identity a workflow
// runs as.
#include <fstream>

#include "workflows_fixture.hpp"

namespace tessera::test {
namespace {

class WorkflowPlans : public WorkflowsTest {
protected:
    static void putOnPlan(const std::string& tenant, const std::string& plan) {
        auto r = host_->cli({"tenant", "plan", tenant, plan});
        ASSERT_EQ(r.exit_code, 0) << r.out;
        ASSERT_TRUE(eventually([&] { return host_->get("/api/v1/auth/plan", tenant).json()["plan"]["id"] == plan; }));
    }
};

// About 1.5 million instructions: over Starter's 1 million, under the operator's 2 million.
constexpr const char* kBusyLoop = "local n = 0 for i = 1, 750000 do n = n + i end";

TEST_F(WorkflowPlans, RunLimitsFollowTheTenantsPlan) {
    putOnPlan("beta", "starter");
    auto plan = host_->get("/api/v1/auth/plan", "beta").json();
    EXPECT_EQ(plan["limits"]["script_instructions"], 1000000);
    EXPECT_EQ(plan["limits"]["script_memory_mb"], 16);
    auto limited = runScript("beta", kBusyLoop);
    EXPECT_EQ(limited["status"], "budget") << limited.dump();
    // The same script on a tenant whose plan leaves the operator's default.
    EXPECT_EQ(runScript("acme", kBusyLoop)["status"], "ok");
}

TEST_F(WorkflowPlans, ThePlansWorkflowAllowanceIsEnforcedOnTheApiAndTheCli) {
    host_->createTenant("gamma");
    putOnPlan("gamma", "starter");
    for (int i = 0; i < 3; ++i) createWorkflow("gamma", "wf-" + std::to_string(i), "manual", "crm.log('info', 'hi')");
    auto over = host_->post("/api/v1/workflows", "gamma", {{"name", "one-too-many"}, {"trigger", "manual"}, {"source", "x = 1"}});
    EXPECT_EQ(over.status, 402) << over.body;
    EXPECT_EQ(over.json()["error"]["code"], "plan_limit_exceeded");
    EXPECT_NE(over.json()["error"]["fields"]["scripts"].get<std::string>().find("limit 3"), std::string::npos);
    EXPECT_EQ(host_->get("/api/v1/auth/plan", "gamma").json()["usage"]["scripts"], 3);
    const std::string file = host_->dataDir() + "/extra.lua";
    std::ofstream(file) << "-- name: extra\n-- trigger: manual\ncrm.log('info', 'extra')\n";
    auto pushed = host_->cli({"workflow", "push", file, "--tenant", "gamma"});
    EXPECT_EQ(pushed.exit_code, 1) << pushed.out;
    EXPECT_NE(pushed.out.find("allows 3 workflows"), std::string::npos) << pushed.out;
    // Updating an existing workflow is not a new one.
    std::ofstream(file) << "-- name: wf-0\n-- trigger: manual\ncrm.log('info', 'v2')\n";
    EXPECT_EQ(host_->cli({"workflow", "push", file, "--tenant", "gamma"}).exit_code, 0);
}

TEST_F(WorkflowPlans, AWorkflowCanRunAsACustomRoleAndGetsExactlyItsPermissions) {
    auto role = host_->post("/api/v1/roles", "acme", {{"name", "Contact readers"}, {"permissions", {"contacts.read"}}});
    ASSERT_EQ(role.status, 201) << role.body;
    const std::string role_id = role.json()["id"];
    createContact("acme", {{"name", "Readable Person"}});
    auto wf = createWorkflow("acme", "reader", "manual", R"(
local found = crm.contacts.find({ q = "Readable" })
crm.log("info", "found " .. #found)
local made, err = crm.contacts.create({ name = "Should not exist" })
crm.log("info", "create: " .. tostring(err))
)",
                             {{"run_as", role_id}});
    EXPECT_EQ(wf["run_as"], role_id);
    auto run = runWorkflow("acme", wf);
    EXPECT_EQ(run["status"], "ok") << run.dump();
    EXPECT_TRUE(logsContain(run, "found 1")) << run.dump();
    EXPECT_TRUE(logsContain(run, "does not have")) << run.dump();
    EXPECT_TRUE(host_->get("/api/v1/contacts?q=Should%20not%20exist", "acme").json()["data"].empty());
    deleteWorkflow("acme", wf);
    for (const std::string bad : {"owner", "role_doesnotexist00", "god"}) {
        auto r = host_->post("/api/v1/workflows", "acme",
                             {{"name", "as-" + bad}, {"trigger", "manual"}, {"source", "x = 1"}, {"run_as", bad}});
        EXPECT_EQ(r.status, 422) << bad << " " << r.body;
        EXPECT_TRUE(r.json()["error"]["fields"].contains("run_as")) << r.body;
    }
}

}  // namespace
}  // namespace tessera::test
