// The Lua sandbox seen through the workflow API: limits end a run and nothing else,
// dangerous libraries are absent, shared tables are read-only, runs do not leak into
// each other and a tenant's scripts see only that tenant's records.
#include <algorithm>
#include <chrono>
#include <future>
#include <thread>
#include <vector>

#include "workflows_fixture.hpp"

using namespace tessera::test;

class WorkflowSandbox : public WorkflowsTest {};

TEST_F(WorkflowSandbox, InfiniteLoopEndsWithBudgetAndPcallCannotSwallowIt) {
    auto run = runScript("acme", "while true do end");
    EXPECT_EQ(run["status"], "budget") << run.dump();
    EXPECT_EQ(run["error"], "instruction budget exceeded");
    EXPECT_GE(run["instructions"].get<std::int64_t>(), 2000000);

    auto nested = runScript("acme", "while true do pcall(function() while true do end end) end");
    EXPECT_EQ(nested["status"], "budget") << nested.dump();

    auto after = runScript("acme", "crm.log('info', 'still here')");
    EXPECT_EQ(after["status"], "ok") << after.dump();
    EXPECT_TRUE(logsContain(after, "still here"));
}

TEST_F(WorkflowSandbox, SlowScriptEndsWithTimeout) {
    auto run = runScript("acme", "local s = string.rep('x', 400000)\nwhile true do local t = s:upper() end");
    EXPECT_EQ(run["status"], "timeout") << run.dump();
    EXPECT_EQ(run["error"], "time limit exceeded");
    EXPECT_GE(run["duration_us"].get<std::int64_t>(), 1500000);
}

TEST_F(WorkflowSandbox, MemoryBombEndsWithMemory) {
    auto run = runScript("acme",
                         "local t = {}\nlocal s = string.rep('x', 1024 * 1024)\n"
                         "for i = 1, 100000 do t[i] = string.rep(s, 2) .. i end");
    EXPECT_EQ(run["status"], "memory") << run.dump();
    EXPECT_NE(run["error"].get<std::string>().find("memory limit exceeded"), std::string::npos);

    auto huge = runScript("acme", "local s = string.rep('x', 200 * 1024 * 1024)");
    EXPECT_EQ(huge["status"], "memory") << huge.dump();

    EXPECT_EQ(runScript("acme", "local s = string.rep('x', 1000)")["status"], "ok");
}

TEST_F(WorkflowSandbox, DeepRecursionEndsTheRunOnly) {
    auto run = runScript("acme", "local function f(n) return 1 + f(n + 1) end\nreturn f(1)");
    const std::string status = run["status"];
    EXPECT_TRUE(status == "error" || status == "memory") << run.dump();
    EXPECT_NE(run["error"], nullptr);

    auto coroutines = runScript("acme",
                                "local function f() return coroutine.wrap(function() return f() end)() end\nf()");
    EXPECT_NE(coroutines["status"], "ok") << coroutines.dump();
    EXPECT_EQ(host_->get("/healthz", "").status, 200);
    EXPECT_EQ(runScript("acme", "return 1")["status"], "ok");
}

TEST_F(WorkflowSandbox, DangerousLibrariesAreAbsent) {
    auto run = runScript("acme", R"(
assert(require == nil, "require")
assert(io == nil, "io")
assert(debug == nil, "debug")
assert(package == nil, "package")
assert(dofile == nil, "dofile")
assert(loadfile == nil, "loadfile")
assert(os.execute == nil and os.exit == nil and os.getenv == nil and os.remove == nil, "os")
assert(string.dump == nil, "string.dump")
local f, err = load("\27Lua\84\0\25\147\13\10\26\10")
assert(f == nil and err:find("binary chunk"), "bytecode: " .. tostring(err))
assert(not pcall(collectgarbage, "stop"), "collectgarbage stop")
assert(type(collectgarbage("count")) == "number")
local g = load("x = 1; return _G.x")
assert(g() == 1 and x == nil, "load gets a fresh environment")
crm.log("info", "sandbox ok")
)");
    EXPECT_EQ(run["status"], "ok") << run.dump();
    EXPECT_TRUE(logsContain(run, "sandbox ok"));

    auto exec = runScript("acme", "local x = 1\nos.execute('touch /tmp/pwned')");
    EXPECT_EQ(exec["status"], "error");
    EXPECT_EQ(exec["error_line"], 2);
    EXPECT_NE(exec["error"].get<std::string>().find("execute"), std::string::npos) << exec.dump();

    auto req = runScript("acme", "require('os')");
    EXPECT_EQ(req["status"], "error");
}

TEST_F(WorkflowSandbox, SharedTablesAreReadOnlyAndRunsDoNotLeak) {
    for (const char* attack : {"string.upper = function() return 'pwned' end", "rawset(string, 'upper', print)",
                               "crm.log = nil", "os.time = nil", "setmetatable(string, {})", "math.pi = 3",
                               "getmetatable('').__index = {}", "crm.contacts = {}", "table.insert = nil"}) {
        auto run = runScript("acme", attack);
        EXPECT_EQ(run["status"], "error") << attack << ": " << run.dump();
    }
    auto first = runScript("acme", "leaked = 42\nmy_helper = function() end");
    EXPECT_EQ(first["status"], "ok") << first.dump();
    auto second = runScript("acme", R"(
assert(leaked == nil and my_helper == nil, "globals leaked between runs")
assert(string.upper("a") == "A" and ("b"):upper() == "B")
assert(math.pi > 3.14 and os.time() > 0 and type(crm.log) == "function")
)");
    EXPECT_EQ(second["status"], "ok") << second.dump();
}

TEST_F(WorkflowSandbox, ErrorsCarryTheirLineNumber) {
    auto run = runScript("acme", "local a = 1\nlocal b = 2\nerror('boom')");
    EXPECT_EQ(run["status"], "error");
    EXPECT_EQ(run["error"], "boom");
    EXPECT_EQ(run["error_line"], 3);

    auto nil_index = runScript("acme", "local c = nil\nreturn c.name");
    EXPECT_EQ(nil_index["error_line"], 2);
    EXPECT_NE(nil_index["error"].get<std::string>().find("attempt to index a nil value"), std::string::npos);
}

TEST_F(WorkflowSandbox, ScriptsSeeOnlyTheirTenantsRecords) {
    const std::string acme_id = createContact("acme", {{"name", "Acme Secret"}, {"email", "secret@acme.test"}});
    auto run = runScript("beta", R"(
local c, err = crm.contacts.get(event.target)
crm.log("info", "get: " .. (c and c.name or "nil"))
local found = crm.contacts.find({ email = "secret@acme.test" })
crm.log("info", "find: " .. #found)
local all = crm.contacts.find("Acme Secret")
crm.log("info", "search: " .. #all)
)",
                         {{"target", acme_id}});
    EXPECT_EQ(run["status"], "ok") << run.dump();
    EXPECT_TRUE(logsContain(run, "get: nil")) << run.dump();
    EXPECT_TRUE(logsContain(run, "find: 0")) << run.dump();
    EXPECT_TRUE(logsContain(run, "search: 0")) << run.dump();

    // The same script in acme's own tenant sees it.
    auto own = runScript("acme", "local c = crm.contacts.get(event.target)\ncrm.log('info', 'get: ' .. c.name)",
                         {{"target", acme_id}});
    EXPECT_TRUE(logsContain(own, "get: Acme Secret")) << own.dump();
}

TEST_F(WorkflowSandbox, PermissionsOfTheRunAsRoleApply) {
    auto wf = createWorkflow("acme", "readonly-writer", "manual", R"(
local c, err = crm.contacts.create({ name = "Not Allowed" })
crm.log("info", "create: " .. tostring(c) .. " " .. tostring(err))
local list = crm.contacts.find({})
crm.log("info", "read ok " .. type(list))
)",
                             {{"run_as", "readonly"}});
    auto run = runWorkflow("acme", wf);
    EXPECT_EQ(run["status"], "ok") << run.dump();
    EXPECT_TRUE(logsContain(run, "permission denied: crm.contacts.create needs 'contacts.write'")) << run.dump();
    EXPECT_TRUE(logsContain(run, "read ok table")) << run.dump();
    deleteWorkflow("acme", wf);
}

// Lua's pattern functions ran inside one VM instruction: a backtracking pattern held a
// worker for hours, and manual runs of it froze every other tenant.
TEST_F(WorkflowSandbox, PathologicalPatternsEndAtTheRunsLimitsAndOtherTenantsStayFast) {
    auto wf = createWorkflow("acme", "backtracking", "manual",
                             "crm.log('info', 'start')\nreturn string.rep('a', 200000):find('a-a-a-a-a-a-b')");
    const std::string run_path = "/api/v1/workflows/" + wf["id"].get<std::string>() + "/run";
    std::vector<std::future<HttpResult>> manual;
    for (int i = 0; i < 3; ++i)
        manual.push_back(std::async(std::launch::async, [&] { return host_->post(run_path, "acme", Json::object()); }));
    std::vector<double> ms;
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(3);
    while (std::chrono::steady_clock::now() < until) {
        const auto t0 = std::chrono::steady_clock::now();
        EXPECT_EQ(host_->get("/api/v1/contacts?limit=5", "beta").status, 200);
        ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    }
    std::sort(ms.begin(), ms.end());
    const double p99 = ms[static_cast<std::size_t>(static_cast<double>(ms.size() - 1) * 0.99)];
    EXPECT_LT(p99, 100.0) << ms.size() << " requests while acme's pattern runs";

    int answered = 0, queued = 0;
    for (auto& f : manual) {
        auto r = f.get();
        if (r.status == 200) {
            ++answered;
            const std::string status = r.json()["status"];
            EXPECT_TRUE(status == "timeout" || status == "budget") << r.body;
            EXPECT_NE(r.json()["error"].get<std::string>().find("exceeded"), std::string::npos) << r.body;
        } else {
            EXPECT_EQ(r.status, 202) << r.body;  // queued behind the one being waited for
            ++queued;
        }
    }
    EXPECT_EQ(answered + queued, 3);
    EXPECT_GE(answered, 1);
    // Every run, waited for or queued, ends at its limits and is in the run log.
    for (int attempt = 0; attempt < 100; ++attempt) {
        int ended = 0;
        for (const auto& run : runs("acme", "?workflow_id=" + wf["id"].get<std::string>())) ended += run["status"] != "ok" ? 1 : 0;
        if (ended == 3) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    int ended = 0;
    for (const auto& run : runs("acme", "?workflow_id=" + wf["id"].get<std::string>())) {
        EXPECT_TRUE(run["status"] == "timeout" || run["status"] == "budget") << run.dump();
        ++ended;
    }
    EXPECT_EQ(ended, 3);
    deleteWorkflow("acme", wf);
}

TEST_F(WorkflowSandbox, OnlyOneTestRunPerTenantHoldsARequest) {
    auto wf = createWorkflow("acme", "slow-test", "manual",
                             "local s = string.rep('x', 400000)\nwhile true do local t = s:upper() end");
    const std::string test_path = "/api/v1/workflows/" + wf["id"].get<std::string>() + "/test";
    // Both sent together; each run takes its whole 1.5 s wall-clock limit, so they overlap.
    auto first = std::async(std::launch::async, [&] { return host_->post(test_path, "acme", Json::object()); });
    auto second = std::async(std::launch::async, [&] { return host_->post(test_path, "acme", Json::object()); });
    auto a = first.get(), b = second.get();
    const auto& waited = a.status == 200 ? a : b;
    const auto& refused = a.status == 200 ? b : a;
    EXPECT_EQ(waited.status, 200) << waited.body;
    EXPECT_EQ(waited.json()["status"], "timeout") << waited.body;
    EXPECT_EQ(refused.status, 429) << refused.body;
    EXPECT_EQ(refused.json()["error"]["code"], "workflow_run_in_progress");
    EXPECT_EQ(refused.header("retry-after"), "1");
    // Another tenant is not affected by acme's wait.
    auto beta = createWorkflow("beta", "quick", "manual", "return 1");
    EXPECT_EQ(host_->post("/api/v1/workflows/" + beta["id"].get<std::string>() + "/test", "beta", Json::object()).status, 200);
    deleteWorkflow("beta", beta);
    deleteWorkflow("acme", wf);
}
