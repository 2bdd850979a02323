// The HTTP surface of the host through a running server: tenancy, errors, limits,
// events, services, per-tenant plugin state and graceful shutdown.
#include <gtest/gtest.h>

#include <cctype>
#include <chrono>
#include <future>
#include <signal.h>
#include <thread>
#include <vector>

#include "e2e_util.hpp"

using namespace tessera::test;

class HttpTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        host_ = new TestHost(fixtureDirs({"good", "dependent"}));
        host_->setEnv("TESSERA_MAX_BODY_BYTES", "4096");
        host_->createTenant("acme");
        host_->createTenant("beta");
        ASSERT_EQ(host_->cli({"tenant", "domain", "acme", "crm.acme-corp.com"}).exit_code, 0);
        ASSERT_TRUE(host_->start()) << host_->log();
    }
    static void TearDownTestSuite() {
        delete host_;
        host_ = nullptr;
    }
    static void expectError(const HttpResult& r, int status, const std::string& code) {
        EXPECT_EQ(r.status, status) << r.body;
        auto j = r.json();
        ASSERT_TRUE(j.is_object()) << r.body;
        EXPECT_EQ(j["error"]["code"], code) << r.body;
        EXPECT_TRUE(j["request_id"].is_string()) << r.body;
        EXPECT_EQ(j["request_id"], r.header("x-request-id"));
    }
    // Raw requests for tenant acme, authenticated as its owner.
    static std::map<std::string, std::string> auth(std::map<std::string, std::string> headers) {
        headers["Authorization"] = "Bearer " + host_->ownerToken("acme");
        return headers;
    }
    static TestHost* host_;
};
TestHost* HttpTest::host_ = nullptr;

TEST_F(HttpTest, HealthAndReadiness) {
    EXPECT_EQ(host_->get("/healthz", "").json()["status"], "ok");
    EXPECT_EQ(host_->get("/readyz", "").json()["status"], "ready");
}

TEST_F(HttpTest, TenantsSeeOnlyTheirOwnRecords) {
    EXPECT_EQ(host_->post("/api/v1/fixture/items", "acme", {{"name", "acme-only"}}).status, 201);
    auto acme = host_->get("/api/v1/fixture/items", "acme").json();
    auto beta = host_->get("/api/v1/fixture/items", "beta").json();
    EXPECT_EQ(acme["tenant"], "acme");
    bool found = false;
    for (auto& item : acme["data"]) found = found || item["name"] == "acme-only";
    EXPECT_TRUE(found);
    for (auto& item : beta["data"]) EXPECT_NE(item["name"], "acme-only");
}

TEST_F(HttpTest, TenantResolutionErrors) {
    expectError(host_->get("/api/v1/fixture/items", "nope"), 404, "tenant_not_found");
    expectError(host_->get("/api/v1/fixture/items", "Bad_Slug!"), 400, "invalid_tenant");
    auto missing = host_->get("/api/v1/fixture/items", "");
    expectError(missing, 400, "tenant_required");
    EXPECT_TRUE(missing.json()["error"]["fields"].contains("X-Tenant"));
}

TEST_F(HttpTest, TenantFromSubdomainOrCustomDomain) {
    auto sub = httpRequest(host_->port(), "GET", "/api/v1/fixture/items", auth({{"Host", "acme.localhost:8080"}}));
    EXPECT_EQ(sub.status, 200) << sub.body;
    EXPECT_EQ(sub.json()["tenant"], "acme");
    auto custom = httpRequest(host_->port(), "GET", "/api/v1/fixture/items", auth({{"Host", "crm.acme-corp.com"}}));
    EXPECT_EQ(custom.json()["tenant"], "acme") << custom.body;
    expectError(httpRequest(host_->port(), "GET", "/api/v1/fixture/items", {{"Host", "unknown.example.org"}}), 404,
                "tenant_not_found");
}

TEST_F(HttpTest, UnknownRouteAndWrongMethod) {
    expectError(host_->get("/api/v1/nothing-here", "acme"), 404, "not_found");
    auto wrong = host_->request("DELETE", "/api/v1/fixture/items", "acme");
    expectError(wrong, 405, "method_not_allowed");
    EXPECT_EQ(wrong.header("allow"), "GET, POST");
}

TEST_F(HttpTest, AHandlerThatThrowsGives500WithoutLeakingAndTheHostKeepsServing) {
    auto r = host_->get("/api/v1/fixture/boom", "acme");
    expectError(r, 500, "internal_error");
    EXPECT_EQ(r.body.find("secret internal detail"), std::string::npos);
    EXPECT_NE(host_->log().find("secret internal detail"), std::string::npos);  // logged, with the request id
    EXPECT_NE(host_->log().find(r.header("x-request-id")), std::string::npos);
    EXPECT_EQ(host_->get("/api/v1/fixture/items", "acme").status, 200);
}

TEST_F(HttpTest, RequestIdIsEchoedOrGenerated) {
    auto mine = host_->request("GET", "/healthz", "", nullptr, {{"X-Request-Id", "trace-123"}});
    EXPECT_EQ(mine.header("x-request-id"), "trace-123");
    auto generated = host_->get("/healthz", "");
    EXPECT_EQ(generated.header("x-request-id").size(), 16u);
    auto hostile = host_->request("GET", "/healthz", "", nullptr, {{"X-Request-Id", "<script>"}});
    EXPECT_NE(hostile.header("x-request-id"), "<script>");
}

TEST_F(HttpTest, BadBodiesGetClean4xx) {
    expectError(host_->request("POST", "/api/v1/fixture/items", "acme", nullptr, {{"Content-Type", "application/json"}}),
                400, "invalid_json");
    auto r = httpRequest(host_->port(), "POST", "/api/v1/fixture/items", auth({{"X-Tenant", "acme"}}), "{\"name\": ");
    expectError(r, 400, "invalid_json");
    expectError(host_->post("/api/v1/fixture/items", "acme", {{"name", 42}}), 422, "validation_failed");
    expectError(host_->post("/api/v1/fixture/items", "acme", {{"name", "dup"}}).status == 201
                    ? host_->post("/api/v1/fixture/items", "acme", {{"name", "dup"}})
                    : HttpResult{},
                409, "duplicate");
}

TEST_F(HttpTest, OversizedBodiesAre413) {
    const std::string big(6000, 'x');
    auto r = httpRequest(host_->port(), "POST", "/api/v1/fixture/echo", {{"X-Tenant", "acme"}}, big);
    EXPECT_EQ(r.status, 413) << r.body;
    EXPECT_EQ(host_->get("/healthz", "").status, 200);
}

TEST_F(HttpTest, MalformedRequestsDoNotCrashTheHost) {
    for (const std::string raw : {
             std::string("POST /api/v1/fixture/echo HTTP/1.1\r\nHost: x\r\nX-Tenant: acme\r\nContent-Length: -5\r\n\r\n"),
             std::string("GET /api/v1/fixture/items%ZZ HTTP/1.1\r\nHost: x\r\nX-Tenant: acme\r\n\r\n"),
             std::string("GET /api/v1/fixture/echo?x=%E0%A4%A HTTP/1.1\r\nHost: x\r\nX-Tenant: acme\r\n\r\n"),
             std::string("BREW /coffee HTCPCP/1.0\r\n\r\n"),
             std::string("\x01\x02\x03garbage\r\n\r\n"),
         }) {
        auto r = httpRaw(host_->port(), raw);
        EXPECT_TRUE(r.status == 0 || (r.status >= 400 && r.status < 500)) << r.status << " for " << raw << "\n" << r.body;
    }
    EXPECT_EQ(host_->get("/healthz", "").status, 200);
}

TEST_F(HttpTest, Http11ConnectionsStayOpenUnlessAskedToClose) {
    const auto lower = [](std::string s) {
        for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        return s;
    };
    const std::string token = host_->ownerToken("acme");
    const std::string get = "GET /api/v1/fixture/items HTTP/1.1\r\nHost: x\r\nX-Tenant: acme\r\nAuthorization: Bearer " +
                            token + "\r\n";
    // No Connection header: HTTP/1.1 means keep-alive, so the second request is answered
    // on the same connection.
    auto replies = httpConversation(host_->port(), {get + "\r\n", get + "Connection: close\r\n\r\n"});
    ASSERT_EQ(replies.size(), 2u);
    EXPECT_EQ(replies[0].status, 200) << replies[0].body;
    EXPECT_EQ(lower(replies[0].header("connection")), "keep-alive");
    EXPECT_EQ(replies[1].status, 200) << replies[1].body;
    EXPECT_EQ(lower(replies[1].header("connection")), "close");
    // HTTP/1.0 closes by default.
    auto old = httpRaw(host_->port(), "GET /healthz HTTP/1.0\r\n\r\n");
    EXPECT_EQ(old.status, 200) << old.body;
    EXPECT_EQ(lower(old.header("connection")), "close");
}

TEST_F(HttpTest, QueryParametersArriveDecoded) {
    auto r = httpRequest(host_->port(), "POST", "/api/v1/fixture/echo?q=Jo%C3%A3o+Silva&filter%5Bname%5D=a%26b",
                         auth({{"X-Tenant", "acme"}}), "{}");
    auto j = r.json();
    EXPECT_EQ(j["query"]["q"], "João Silva") << r.body;
    EXPECT_EQ(j["query"]["filter[name]"], "a&b") << r.body;
}

TEST_F(HttpTest, EventsReachSubscribersAfterTheRequest) {
    ASSERT_EQ(host_->post("/api/v1/fixture/items", "beta", {{"name", "evented"}}).status, 201);
    bool delivered = false;
    for (int i = 0; i < 100 && !delivered; ++i) {
        const auto events = host_->get("/api/v1/fixture/events", "beta").json().value("data", Json::array());
        for (auto& e : events)
            delivered = delivered || (e["item"] == "evented" && e["event"] == "item.created");
        if (!delivered) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    EXPECT_TRUE(delivered);
}

TEST_F(HttpTest, PluginStatePerTenant) {
    // fixture_dependent needs fixture_good: it cannot be disabled first.
    auto refused = host_->cli({"plugin", "disable", "fixture_good", "--tenant", "beta"});
    EXPECT_EQ(refused.exit_code, 1);
    EXPECT_NE(refused.out.find("'fixture_dependent' depends on 'fixture_good'"), std::string::npos) << refused.out;
    ASSERT_EQ(host_->post("/api/v1/fixture/items", "beta", {{"name", "survives"}}).status, 201);
    ASSERT_EQ(host_->cli({"plugin", "disable", "fixture_dependent", "--tenant", "beta"}).exit_code, 0);
    ASSERT_EQ(host_->cli({"plugin", "disable", "fixture_good", "--tenant", "beta"}).exit_code, 0);
    // Other processes' changes reach the server within about a second.
    int status = 0;
    for (int i = 0; i < 60 && status != 404; ++i) {
        status = host_->get("/api/v1/fixture/items", "beta").status;
        if (status != 404) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    EXPECT_EQ(status, 404);
    EXPECT_EQ(host_->get("/api/v1/fixture/items", "acme").status, 200);  // other tenants unaffected
    auto enable_dependent_first = host_->cli({"plugin", "enable", "fixture_dependent", "--tenant", "beta"});
    EXPECT_EQ(enable_dependent_first.exit_code, 1);
    EXPECT_NE(enable_dependent_first.out.find("needs 'fixture_good'"), std::string::npos) << enable_dependent_first.out;
    ASSERT_EQ(host_->cli({"plugin", "enable", "fixture_good", "--tenant", "beta"}).exit_code, 0);
    bool back = false;
    for (int i = 0; i < 60 && !back; ++i) {
        const auto items = host_->get("/api/v1/fixture/items", "beta").json().value("data", Json::array());
        for (auto& item : items) back = back || item["name"] == "survives";
        if (!back) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    EXPECT_TRUE(back) << "data kept while the plugin was disabled";
    ASSERT_EQ(host_->cli({"plugin", "enable", "fixture_dependent", "--tenant", "beta"}).exit_code, 0);
}

TEST_F(HttpTest, DisabledTenantIsNotFoundUntilEnabled) {
    host_->createTenant("gamma");
    ASSERT_EQ(host_->cli({"tenant", "disable", "gamma"}).exit_code, 0);
    int status = 0;
    for (int i = 0; i < 60 && status != 404; ++i) {
        status = host_->get("/api/v1/fixture/items", "gamma").status;
        if (status != 404) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    EXPECT_EQ(status, 404);
    ASSERT_EQ(host_->cli({"tenant", "enable", "gamma"}).exit_code, 0);
    for (int i = 0; i < 60 && status != 200; ++i) {
        status = host_->get("/api/v1/fixture/items", "gamma").status;
        if (status != 200) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    EXPECT_EQ(status, 200);
}

TEST_F(HttpTest, LivenessAnswersWhileEveryWorkerIsBusy) {
    // More slow requests than the host has workers: /healthz must not queue behind them.
    std::vector<std::future<HttpResult>> slow;
    for (int i = 0; i < 6; ++i)
        slow.push_back(std::async(std::launch::async, [] { return host_->get("/api/v1/fixture/slow?ms=1200", "acme"); }));
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    const auto started = std::chrono::steady_clock::now();
    auto live = httpRequest(host_->port(), "GET", "/healthz");
    const auto waited = std::chrono::steady_clock::now() - started;
    EXPECT_EQ(live.status, 200) << live.body;
    EXPECT_FALSE(live.header("x-request-id").empty());
    EXPECT_LT(waited, std::chrono::milliseconds(1000)) << "liveness waited for a worker";
    for (auto& f : slow) EXPECT_EQ(f.get().status, 200);
}

TEST(GracefulShutdown, InFlightRequestsFinishAndTheExitCodeIsZero) {
    TestHost host(fixtureDirs({"good"}));
    host.createTenant("acme");
    ASSERT_TRUE(host.start()) << host.log();
    auto slow = std::async(std::launch::async, [&] { return host.get("/api/v1/fixture/slow?ms=1500", "acme"); });
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    ::kill(host.pid(), SIGTERM);
    auto r = slow.get();
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.json()["slept"], true);
    EXPECT_EQ(host.stop(), 0) << host.log();
    EXPECT_NE(host.log().find("stopped"), std::string::npos);
}
