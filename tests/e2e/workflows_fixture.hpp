#pragma once
// Shared setup of the workflow end-to-end tests: a real host with the contacts plugin,
// short scheduler and retry intervals, a real SMTP server taking its mail, and helpers
// that drive the workflow API.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "host_suite.hpp"
#include "smtp_sink.hpp"

namespace tessera::test {

class WorkflowsTest : public HostSuite {
protected:
    static void SetUpTestSuite() {
        smtp_ = std::make_unique<SmtpSink>();
        startHost({"acme", "beta"}, [](TestHost& host) {
            host.setEnv("TESSERA_MAIL_SMTP_URL", smtp_->url());
            host.setEnv("TESSERA_MAIL_FROM", "Tessera Cloud <no-reply@tessera.test>");
            host.setEnv("TESSERA_MAIL_TICK_MS", "100");
            host.setEnv("TESSERA_MAIL_BACKOFF_MS", "200");
            host.setEnv("TESSERA_MAIL_MAX_ATTEMPTS", "3");
            host.setEnv("TESSERA_WORKFLOWS_TICK_MS", "100");
            host.setEnv("TESSERA_WORKFLOWS_INSTRUCTIONS", "2000000");
            host.setEnv("TESSERA_WORKFLOWS_MEMORY_MB", "16");
            host.setEnv("TESSERA_WORKFLOWS_WALL_MS", "1500");
            host.setEnv("TESSERA_WORKFLOWS_HTTP_MAX_ATTEMPTS", "3");
            host.setEnv("TESSERA_WORKFLOWS_HTTP_BACKOFF_MS", "100");
            host.setEnv("TESSERA_WORKFLOWS_HTTP_TIMEOUT_MS", "2000");
            host.setEnv("TESSERA_WORKFLOWS_LATE_AFTER_S", "1");
            // The webhook tests talk to servers on 127.0.0.1; only the operator can allow that.
            host.setEnv("TESSERA_WORKFLOWS_ALLOW_PRIVATE_NETWORK", "true");
        });
    }
    static void TearDownTestSuite() {
        HostSuite::TearDownTestSuite();  // the host first: it may still be talking to the sink
        smtp_.reset();
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

    static inline std::unique_ptr<SmtpSink> smtp_;
};

}  // namespace tessera::test
