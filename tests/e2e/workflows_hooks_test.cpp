// Record hooks, loop guard, dry runs, versions and the run log through the HTTP API.
#include <fstream>

#include "workflows_fixture.hpp"

using namespace tessera::test;

class WorkflowHooks : public WorkflowsTest {};

TEST_F(WorkflowHooks, BeforeHookChangesFieldsOfTheWrite) {
    auto wf = createWorkflow("acme", "normalise", "before:contact.create", R"(
local r = event.record
if r.email then r.email = string.lower(r.email) end
r.tags = { "from-hook" }
)");
    auto r = host_->post("/api/v1/contacts", "acme", {{"name", "Hook Person"}, {"email", "MiXeD@Hook.Test"}});
    ASSERT_EQ(r.status, 201) << r.body;
    EXPECT_EQ(r.json()["email"], "mixed@hook.test");
    EXPECT_EQ(r.json()["tags"], Json::array({"from-hook"}));

    auto update_hook = createWorkflow("acme", "stamp-phone", "before:contact.update",
                                      "if event.record.name == 'Renamed' then event.record.phone = '+15550001' end");
    const std::string id = r.json()["id"];
    auto p = host_->request("PATCH", "/api/v1/contacts/" + id, "acme", {{"name", "Renamed"}});
    ASSERT_EQ(p.status, 200) << p.body;
    EXPECT_EQ(p.json()["phone"], "+15550001");
    deleteWorkflow("acme", wf);
    deleteWorkflow("acme", update_hook);
}

TEST_F(WorkflowHooks, BeforeHookThatErrorsRejectsTheWriteWith422) {
    auto wf = createWorkflow("acme", "require-email", "before:contact.create", R"(
if not event.record.email then
  error("contacts need an email address")
end
if event.record.name == "crash" then
  local nothing = nil
  return nothing.field
end
)");
    auto r = host_->post("/api/v1/contacts", "acme", {{"name", "No Email"}});
    ASSERT_EQ(r.status, 422) << r.body;
    EXPECT_EQ(r.json()["error"]["code"], "rejected_by_workflow");
    EXPECT_EQ(r.json()["error"]["message"], "contacts need an email address");

    auto crash = host_->post("/api/v1/contacts", "acme", {{"name", "crash"}, {"email", "crash@x.test"}});
    EXPECT_EQ(crash.status, 422) << crash.body;
    EXPECT_NE(crash.json()["error"]["message"].get<std::string>().find("attempt to index a nil value"),
              std::string::npos);

    // Neither write happened.
    auto list = host_->get("/api/v1/contacts?q=No%20Email", "acme").json();
    EXPECT_TRUE(list["data"].empty()) << list.dump();
    // The rejections are in the run log.
    EXPECT_TRUE(eventually([&] {
        return runs("acme", "?workflow_id=" + wf["id"].get<std::string>() + "&status=error").size() == 2;
    }));
    auto ok = host_->post("/api/v1/contacts", "acme", {{"name", "Has Email"}, {"email", "has@x.test"}});
    EXPECT_EQ(ok.status, 201) << ok.body;
    deleteWorkflow("acme", wf);
}

TEST_F(WorkflowHooks, AfterHookRunsAfterCommitAndNeverFailsTheRequest) {
    auto failing = createWorkflow("acme", "after-fails", "contact.created", "error('after hook failure')");
    auto enrich = createWorkflow("acme", "after-enrich", "contact.created", R"(
local c = crm.contacts.get(event.id)
crm.log("info", "saw " .. c.name)
crm.contacts.update(event.id, { phone = "+15559999" })
)");
    auto r = host_->post("/api/v1/contacts", "acme", {{"name", "After Person"}, {"email", "after@x.test"}});
    ASSERT_EQ(r.status, 201) << r.body;
    const std::string id = r.json()["id"];
    EXPECT_TRUE(r.json()["phone"].is_null()) << "the after hook ran before the response";
    EXPECT_TRUE(eventually([&] { return host_->get("/api/v1/contacts/" + id, "acme").json()["phone"] == "+15559999"; }));
    EXPECT_TRUE(eventually([&] {
        auto list = runs("acme", "?workflow_id=" + failing["id"].get<std::string>());
        return !list.empty() && list[0]["status"] == "error" && list[0]["error"] == "after hook failure" &&
               list[0]["trigger"] == "contact.created";
    }));
    auto enrich_runs = runs("acme", "?workflow_id=" + enrich["id"].get<std::string>());
    ASSERT_FALSE(enrich_runs.empty());
    EXPECT_TRUE(logsContain(enrich_runs[0], "saw After Person"));
    deleteWorkflow("acme", failing);
    deleteWorkflow("acme", enrich);
}

TEST_F(WorkflowHooks, FieldFiltersSelectWhichUpdatesTrigger) {
    const std::string id = createContact("acme", {{"name", "Filter Person"}, {"email", "filter@x.test"}});
    auto wf = createWorkflow("acme", "phone-watch", "contact.updated:phone", "crm.log('info', 'phone now ' .. event.record.phone)");
    const std::string q = "?workflow_id=" + wf["id"].get<std::string>();
    ASSERT_EQ(host_->request("PATCH", "/api/v1/contacts/" + id, "acme", {{"name", "Filter Renamed"}}).status, 200);
    ASSERT_EQ(host_->request("PATCH", "/api/v1/contacts/" + id, "acme", {{"phone", "+15551234"}}).status, 200);
    ASSERT_TRUE(eventually([&] { return runs("acme", q).size() == 1; }));
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    auto list = runs("acme", q);
    ASSERT_EQ(list.size(), 1u) << list.dump();
    EXPECT_TRUE(logsContain(list[0], "phone now +15551234"));
    deleteWorkflow("acme", wf);
}

TEST_F(WorkflowHooks, ALoopingWorkflowIsStoppedByTheDepthGuard) {
    const std::string id = createContact("acme", {{"name", "Loop Person"}, {"email", "loop@x.test"}, {"phone", "0"}});
    auto wf = createWorkflow("acme", "self-update", "contact.updated", R"(
local c = crm.contacts.get(event.id)
crm.contacts.update(event.id, { phone = tostring(tonumber(c.phone) + 1) })
)");
    ASSERT_EQ(host_->request("PATCH", "/api/v1/contacts/" + id, "acme", {{"phone", "1"}}).status, 200);
    const std::string q = "?workflow_id=" + wf["id"].get<std::string>() + "&status=error";
    ASSERT_TRUE(eventually([&] { return !runs("acme", q).empty(); }));
    auto guarded = runs("acme", q)[0];
    EXPECT_NE(guarded["error"].get<std::string>().find("loop guard"), std::string::npos) << guarded.dump();
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    const int phone = std::stoi(host_->get("/api/v1/contacts/" + id, "acme").json()["phone"].get<std::string>());
    EXPECT_GE(phone, 2);
    EXPECT_LE(phone, 10) << "the chain did not stop";
    deleteWorkflow("acme", wf);
}

TEST_F(WorkflowHooks, DryRunReturnsLogsChangesAndActionsAndRollsBack) {
    ASSERT_EQ(host_->request("PUT", "/api/v1/workflow-settings", "acme", {{"http_allowlist", {"hooks.example.com"}}}).status,
              200);
    auto wf = createWorkflow("acme", "dry", "manual", R"(
local c = assert(crm.contacts.create({ name = "Dry Person", email = "dry@x.test" }))
crm.log("info", "created " .. c.id)
crm.http.request({ url = "https://hooks.example.com/new", body = { id = c.id } })
crm.email.send({ to = "dry@x.test", subject = "Welcome", body = "Hello" })
crm.schedule(3600, "later", { id = c.id })
function later(p) end
)");
    auto r = host_->post("/api/v1/workflows/" + wf["id"].get<std::string>() + "/test", "acme", {{"event", Json::object()}});
    ASSERT_EQ(r.status, 200) << r.body;
    auto j = r.json();
    EXPECT_EQ(j["status"], "ok") << j.dump();
    EXPECT_EQ(j["dry_run"], true);
    ASSERT_EQ(j["changes"].size(), 1u) << j.dump();
    EXPECT_EQ(j["changes"][0]["function"], "contacts.create");
    ASSERT_EQ(j["actions"].size(), 3u) << j.dump();
    EXPECT_EQ(j["actions"][0]["type"], "http");
    EXPECT_EQ(j["actions"][1]["type"], "email");
    EXPECT_EQ(j["actions"][2]["type"], "schedule");
    EXPECT_TRUE(logsContain(j, "created ct_"));
    ASSERT_FALSE(j["events"].empty());
    EXPECT_EQ(j["events"][0]["name"], "contact.created");

    // Nothing of it stayed.
    EXPECT_TRUE(host_->get("/api/v1/contacts?q=Dry%20Person", "acme").json()["data"].empty());
    EXPECT_TRUE(host_->get("/api/v1/workflow-outbox", "acme").json()["data"].empty());
    EXPECT_TRUE(host_->get("/api/v1/mail", "acme").json()["data"].empty());
    for (const auto& job : Json(host_->get("/api/v1/workflow-jobs", "acme").json()["data"]))
        EXPECT_NE(job["workflow_id"], wf["id"]);
    EXPECT_TRUE(runs("acme", "?workflow_id=" + wf["id"].get<std::string>()).empty());

    // Before hooks can be tried with a sample record and show the record they produce.
    auto hook = createWorkflow("acme", "dry-hook", "before:contact.create", "event.record.name = event.record.name:upper()",
                               {{"enabled", false}});
    auto h = host_->post("/api/v1/workflows/" + hook["id"].get<std::string>() + "/test", "acme",
                         {{"event", {{"record", {{"name", "quiet"}}}}}});
    EXPECT_EQ(h.json()["record"]["name"], "QUIET") << h.body;
    deleteWorkflow("acme", wf);
    deleteWorkflow("acme", hook);
}

TEST_F(WorkflowHooks, EverySaveIsAVersionAndRollbackRestoresOne) {
    auto wf = createWorkflow("acme", "versioned", "manual", "crm.log('info', 'v1')");
    const std::string path = "/api/v1/workflows/" + wf["id"].get<std::string>();
    EXPECT_EQ(wf["version"], 1);
    auto v2 = host_->request("PATCH", path, "acme", {{"source", "crm.log('info', 'v2')"}});
    ASSERT_EQ(v2.status, 200) << v2.body;
    EXPECT_EQ(v2.json()["version"], 2);
    EXPECT_TRUE(logsContain(runWorkflow("acme", wf), "v2"));

    auto versions = host_->get(path + "/versions", "acme").json()["data"];
    ASSERT_EQ(versions.size(), 2u);
    EXPECT_EQ(versions[0]["version"], 2);
    EXPECT_EQ(versions[1]["source"], "crm.log('info', 'v1')");

    auto back = host_->post(path + "/rollback", "acme", {{"version", 1}});
    ASSERT_EQ(back.status, 200) << back.body;
    EXPECT_EQ(back.json()["version"], 3);
    EXPECT_EQ(back.json()["source"], "crm.log('info', 'v1')");
    auto run = runWorkflow("acme", wf);
    EXPECT_EQ(run["version"], 3);
    EXPECT_TRUE(logsContain(run, "v1"));

    EXPECT_EQ(host_->post(path + "/rollback", "acme", {{"version", 99}}).status, 422);
    auto disabled = host_->post(path + "/disable", "acme", Json::object());
    EXPECT_EQ(disabled.json()["enabled"], false);
    EXPECT_EQ(host_->post(path + "/enable", "acme", Json::object()).json()["enabled"], true);
    deleteWorkflow("acme", wf);
    EXPECT_EQ(host_->get(path, "acme").status, 404);
}

TEST_F(WorkflowHooks, InvalidWorkflowsAreRefusedNamingTheField) {
    auto r = host_->post("/api/v1/workflows", "acme",
                         {{"name", "bad"}, {"trigger", "cron:61 * * * *"}, {"source", "if then"}, {"run_as", "god"},
                          {"colour", "red"}});
    ASSERT_EQ(r.status, 422) << r.body;
    auto fields = r.json()["error"]["fields"];
    EXPECT_TRUE(fields.contains("trigger"));
    EXPECT_NE(fields["source"].get<std::string>().find("line 1"), std::string::npos) << fields.dump();
    EXPECT_TRUE(fields.contains("run_as"));
    EXPECT_EQ(fields["colour"], "unknown field");
    EXPECT_EQ(host_->post("/api/v1/workflows", "acme", {{"name", "x"}}).status, 422);
    auto dup = createWorkflow("acme", "dup", "manual", "return 1");
    EXPECT_EQ(host_->post("/api/v1/workflows", "acme", {{"name", "dup"}, {"trigger", "manual"}, {"source", "return 1"}}).status,
              409);
    deleteWorkflow("acme", dup);
    EXPECT_EQ(host_->get("/api/v1/workflows/wf_nope", "acme").status, 404);
    EXPECT_EQ(host_->get("/api/v1/workflow-runs?status=weird", "acme").status, 400);
}

// Runs reach the run log in batches (workflows/run_log.cpp): none may be missing when the
// log is read right after the writes, when more runs wait than one batch holds, or after
// a graceful restart.
TEST_F(WorkflowHooks, EveryBeforeHookRunIsInTheRunLogRightAwayAndAfterARestart) {
    auto wf = createWorkflow("acme", "counted", "before:contact.create", "crm.log('info', 'saw ' .. event.record.name)");
    const std::string q = "?workflow_id=" + wf["id"].get<std::string>() + "&limit=200";
    auto countRuns = [&] {
        std::size_t n = 0;
        std::string cursor;
        do {
            auto page = host_->get("/api/v1/workflow-runs" + q + (cursor.empty() ? "" : "&cursor=" + cursor), "acme");
            EXPECT_EQ(page.status, 200) << page.body;
            Json body = page.json();
            n += body["data"].size();
            cursor = body["next_cursor"].is_string() ? body["next_cursor"].get<std::string>() : "";
        } while (!cursor.empty());
        return n;
    };
    constexpr int kWrites = 300;  // more than one batch (256)
    for (int i = 0; i < kWrites; ++i)
        ASSERT_EQ(host_->post("/api/v1/contacts", "acme", {{"name", "Counted " + std::to_string(i)}}).status, 201);
    EXPECT_EQ(countRuns(), static_cast<std::size_t>(kWrites));

    for (int i = 0; i < 5; ++i)
        ASSERT_EQ(host_->post("/api/v1/contacts", "acme", {{"name", "Late " + std::to_string(i)}}).status, 201);
    ASSERT_EQ(host_->stop(), 0);
    ASSERT_TRUE(host_->start()) << host_->log();
    EXPECT_EQ(countRuns(), static_cast<std::size_t>(kWrites + 5));
    deleteWorkflow("acme", wf);
}

TEST_F(WorkflowHooks, RunLogIsListableFilterableAndPaged) {
    auto wf = createWorkflow("acme", "logged", "manual", "crm.log('info', 'n=' .. event.n)\nif event.n == 2 then error('two') end");
    for (int n = 1; n <= 3; ++n) runWorkflow("acme", wf, {{"n", n}});
    const std::string q = "?workflow_id=" + wf["id"].get<std::string>();
    auto all = runs("acme", q);
    ASSERT_EQ(all.size(), 3u);
    EXPECT_TRUE(logsContain(all[0], "n=3"));  // newest first
    for (const auto& run : all) {
        EXPECT_EQ(run["version"], 1);
        EXPECT_EQ(run["trigger"], "manual");
        EXPECT_GT(run["duration_us"].get<std::int64_t>(), 0);
    }
    auto errors = runs("acme", q + "&status=error");
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_EQ(errors[0]["error"], "two");
    EXPECT_EQ(errors[0]["error_line"], 2);

    auto page1 = host_->get("/api/v1/workflow-runs" + q + "&limit=2", "acme").json();
    ASSERT_EQ(page1["data"].size(), 2u);
    ASSERT_TRUE(page1["next_cursor"].is_string());
    auto page2 = host_->get("/api/v1/workflow-runs" + q + "&limit=2&cursor=" + page1["next_cursor"].get<std::string>(),
                            "acme")
                     .json();
    ASSERT_EQ(page2["data"].size(), 1u);
    EXPECT_TRUE(logsContain(page2["data"][0], "n=1"));
    auto one = host_->get("/api/v1/workflow-runs/" + all[0]["id"].get<std::string>(), "acme");
    EXPECT_EQ(one.status, 200);
    EXPECT_EQ(host_->get("/api/v1/workflow-runs/" + all[0]["id"].get<std::string>(), "beta").status, 404);
    deleteWorkflow("acme", wf);
}

// Unknown triggers were accepted (201) and never fired.
TEST_F(WorkflowHooks, TriggersNamingUnknownEventsAreRefused) {
    const std::pair<std::string, std::string> refused[] = {
        {"no.such.event", "'no.such.event'"},
        {"before:contact.explode", "'contact.explode'"},
        {"invoice.exploded:status", "'invoice.exploded'"}};
    for (const auto& [trigger, named] : refused) {
        auto r = host_->post("/api/v1/workflows", "acme", {{"name", "bad"}, {"trigger", trigger}, {"source", "x = 1"}});
        ASSERT_EQ(r.status, 422) << trigger << ": " << r.body;
        const std::string why = r.json()["error"]["fields"]["trigger"];
        EXPECT_NE(why.find(named), std::string::npos) << why;
        EXPECT_NE(why.find("known:"), std::string::npos) << why;
    }
    auto before = host_->post("/api/v1/workflows", "acme", {{"name", "b"}, {"trigger", "before:contact.explode"}, {"source", "x = 1"}});
    EXPECT_NE(before.json()["error"]["fields"]["trigger"].get<std::string>().find("before:contact.create"), std::string::npos)
        << before.body;
    auto after = host_->post("/api/v1/workflows", "acme", {{"name", "a"}, {"trigger", "no.such.event"}, {"source", "x = 1"}});
    EXPECT_NE(after.json()["error"]["fields"]["trigger"].get<std::string>().find("deal.won"), std::string::npos) << after.body;
    // Known events and points are accepted as before.
    for (const std::string trigger : {"before:deal.update", "invoice.paid", "contact.updated:status"}) {
        auto ok = createWorkflow("acme", "ok-" + trigger, trigger, "x = 1");
        deleteWorkflow("acme", ok);
    }
    // The CLI refuses the same way.
    const std::string file = host_->dataDir() + "/unknown-trigger.lua";
    std::ofstream(file) << "-- name: unknown\n-- trigger: before:contact.explode\nx = 1\n";
    auto pushed = host_->cli({"workflow", "push", file, "--tenant", "acme"});
    EXPECT_EQ(pushed.exit_code, 1) << pushed.out;
    EXPECT_NE(pushed.out.find("no plugin enabled for this tenant has a before hook 'contact.explode'"), std::string::npos)
        << pushed.out;
}

