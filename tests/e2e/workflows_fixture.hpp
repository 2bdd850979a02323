#pragma once
// Shared setup of the workflow end-to-end tests: a real host with the contacts plugin,
// short scheduler and retry intervals, a real SMTP server taking its mail, and helpers
// that drive the workflow API.
#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <regex>
#include <thread>

#include "smtp_sink.hpp"
#include "test_host.hpp"

namespace tessera::test {

class WorkflowsTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        smtp_ = new SmtpSink();
        host_ = new TestHost();
        host_->setEnv("TESSERA_MAIL_SMTP_URL", smtp_->url());
        host_->setEnv("TESSERA_MAIL_FROM", "Tessera Cloud <no-reply@tessera.test>");
        host_->setEnv("TESSERA_MAIL_TICK_MS", "100");
        host_->setEnv("TESSERA_MAIL_BACKOFF_MS", "200");
        host_->setEnv("TESSERA_MAIL_MAX_ATTEMPTS", "3");
        host_->setEnv("TESSERA_WORKFLOWS_TICK_MS", "100");
        host_->setEnv("TESSERA_WORKFLOWS_INSTRUCTIONS", "2000000");
        host_->setEnv("TESSERA_WORKFLOWS_MEMORY_MB", "16");
        host_->setEnv("TESSERA_WORKFLOWS_WALL_MS", "1500");
        host_->setEnv("TESSERA_WORKFLOWS_HTTP_MAX_ATTEMPTS", "3");
        host_->setEnv("TESSERA_WORKFLOWS_HTTP_BACKOFF_MS", "100");
        host_->setEnv("TESSERA_WORKFLOWS_HTTP_TIMEOUT_MS", "2000");
        host_->setEnv("TESSERA_WORKFLOWS_LATE_AFTER_S", "1");
        // The webhook tests talk to servers on 127.0.0.1; only the operator can allow that.
        host_->setEnv("TESSERA_WORKFLOWS_ALLOW_PRIVATE_NETWORK", "true");
        host_->createTenant("acme");
        host_->createTenant("beta");
        ASSERT_TRUE(host_->start()) << host_->log();
    }
    static void TearDownTestSuite() {
        delete host_;
        host_ = nullptr;
        delete smtp_;
        smtp_ = nullptr;
    }

    // Creates a workflow and returns its JSON; fails the test unless 201.
    static Json createWorkflow(const std::string& tenant, const std::string& name, const std::string& trigger,
                               const std::string& source, Json extra = Json::object()) {
        Json body = {{"name", name}, {"trigger", trigger}, {"source", source}};
        body.update(extra);
        auto r = host_->post("/api/v1/workflows", tenant, body);
        EXPECT_EQ(r.status, 201) << r.body;
        return r.json();
    }
    static void deleteWorkflow(const std::string& tenant, const Json& wf) {
        auto r = host_->request("DELETE", "/api/v1/workflows/" + wf["id"].get<std::string>(), tenant);
        EXPECT_EQ(r.status, 204) << r.body;
    }
    // POST /workflows/{id}/run and the run it returns.
    static Json runWorkflow(const std::string& tenant, const Json& wf, Json event = Json::object()) {
        auto r = host_->post("/api/v1/workflows/" + wf["id"].get<std::string>() + "/run", tenant, {{"event", event}});
        EXPECT_EQ(r.status, 200) << r.body;
        return r.json();
    }
    // A one-off manual workflow: create, run once, delete; returns the run.
    static Json runScript(const std::string& tenant, const std::string& source, Json event = Json::object()) {
        static int n = 0;
        auto wf = createWorkflow(tenant, "adhoc-" + std::to_string(++n), "manual", source);
        auto run = runWorkflow(tenant, wf, event);
        deleteWorkflow(tenant, wf);
        return run;
    }
    static Json runs(const std::string& tenant, const std::string& query = "") {
        auto r = host_->get("/api/v1/workflow-runs" + query, tenant);
        EXPECT_EQ(r.status, 200) << r.body;
        return r.json()["data"];
    }
    // Polls `check` every 100 ms until it is true or `seconds` pass.
    static bool eventually(const std::function<bool()>& check, double seconds = 10) {
        const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(static_cast<int>(seconds * 1000));
        while (std::chrono::steady_clock::now() < until) {
            if (check()) return true;
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        return check();
    }
    static bool logsContain(const Json& run, const std::string& text) {
        for (const auto& line : run["logs"])
            if (line["message"].get<std::string>().find(text) != std::string::npos) return true;
        return false;
    }
    static std::string createContact(const std::string& tenant, Json body) {
        auto r = host_->post("/api/v1/contacts", tenant, body);
        EXPECT_EQ(r.status, 201) << r.body;
        return r.json().value("id", "");
    }

    static inline TestHost* host_ = nullptr;
    static inline SmtpSink* smtp_ = nullptr;
};

}  // namespace tessera::test
