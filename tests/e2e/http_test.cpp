// The HTTP surface of the host through a running server: tenancy, errors, limits,
// events, services, per-tenant plugin state and graceful shutdown.
#include <gtest/gtest.h>

#include <cctype>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <future>
#include <netinet/in.h>
#include <signal.h>
#include <sstream>
#include <sys/resource.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>
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

namespace {

std::size_t countHeads(const std::string& stream) {
    std::size_t n = 0;
    for (auto at = stream.find("\r\n\r\n"); at != std::string::npos; at = stream.find("\r\n\r\n", at + 4)) ++n;
    return n;
}

// Receives into `stream` until `done(stream)` holds or the server stops sending.
template <typename Done>
void receiveUntil(int fd, std::string& stream, Done done) {
    char buf[65536];
    while (!done(stream)) {
        const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
        if (n <= 0) return;
        stream.append(buf, static_cast<std::size_t>(n));
    }
}

// A loopback connection whose receive window stays a few KiB: a client that reads
// nothing leaves most of a large answer with the server. -1 if refused.
int connectSlowReader(int port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    const int small = 4096;  // before connect, so the advertised window stays small
    ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
    timeval tv{30, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) return fd;
    ::close(fd);
    return -1;
}

// Sends each of `sends` (bytes, then a pause in ms) on one connection and returns
// whatever arrives until the server closes it, and whether it did: a server that stays
// silent for 5 s fails the test instead of hanging it.
std::pair<std::string, bool> converseUntilClosed(int port, const std::vector<std::pair<std::string, int>>& sends) {
    const int fd = connectTo(port);
    timeval tv{5, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    for (const auto& [bytes, pause_ms] : sends) {
        ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
        std::this_thread::sleep_for(std::chrono::milliseconds(pause_ms));
    }
    std::string stream;
    char buf[4096];
    ssize_t n;
    while ((n = ::recv(fd, buf, sizeof buf, 0)) > 0) stream.append(buf, static_cast<std::size_t>(n));
    ::close(fd);
    return {stream, n == 0};
}

// Whether `stream` holds a whole response (head and Content-Length bytes of body).
bool wholeResponse(const std::string& stream) {
    const auto end = stream.find("\r\n\r\n");
    if (end == std::string::npos) return false;
    const auto length = parseResponse(stream.substr(0, end + 4)).header("content-length");
    return !length.empty() && stream.size() >= end + 4 + std::stoull(length);
}

}  // namespace

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
    EXPECT_EQ(wrong.header("allow"), "GET, POST, HEAD");
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

// A body nested 100,000 levels deep used to overflow the stack and kill the process.
TEST_F(HttpTest, DeeplyNestedJsonIsRefusedBeforeAnyHandler) {
    const std::string deep = std::string(100000, '[') + std::string(100000, ']');
    const std::string login = R"({"email":)" + deep + R"(,"password":"x"})";
    // Unauthenticated, and whatever the Content-Type claims.
    for (const std::string type : {"application/json", "text/plain"}) {
        auto r = httpRequest(host_->port(), "POST", "/api/v1/fixture/items", {{"X-Tenant", "acme"}, {"Content-Type", type}},
                             login.substr(0, 4000));
        expectError(r, 400, "invalid_json");
        EXPECT_NE(r.json()["error"]["message"].get<std::string>().find("64 levels"), std::string::npos) << r.body;
    }
    auto nested = [](int depth) { return "{\"name\":" + std::string(depth, '[') + std::string(depth, ']') + "}"; };
    expectError(httpRequest(host_->port(), "POST", "/api/v1/fixture/items", auth({{"X-Tenant", "acme"}}), nested(65)), 400,
                "invalid_json");
    // 64 levels are JSON like any other: the handler's own validation answers.
    expectError(httpRequest(host_->port(), "POST", "/api/v1/fixture/items", auth({{"X-Tenant", "acme"}}), nested(63)), 422,
                "validation_failed");
    EXPECT_EQ(host_->get("/healthz", "").status, 200);
}

// Malformed heads got an empty 408 after 30 s; now an immediate JSON 400 and a close.
TEST_F(HttpTest, MalformedHeadsAreRefusedAtOnceWithJsonAndARequestId) {
    for (const std::string raw : {std::string("GET\r\n\r\n"), std::string("GET / HTTP/1.1\r\nNo colon here\r\n\r\n"),
                                  std::string("\r\n\r\n\r\n\r\n"), std::string("GET /healthz\r\n\r\n")}) {
        const auto started = std::chrono::steady_clock::now();
        auto r = httpRaw(host_->port(), raw);
        EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(2)) << raw;
        expectError(r, 400, "bad_request");
        EXPECT_EQ(r.header("connection"), "Close") << raw;
    }
    auto version = httpRaw(host_->port(), "GET /healthz HTTP/9.9\r\nHost: x\r\n\r\n");
    expectError(version, 505, "http_version_not_supported");
    auto negative = httpRaw(host_->port(), "POST /api/v1/fixture/echo HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n");
    EXPECT_EQ(negative.status, 400) << negative.body;
    EXPECT_FALSE(negative.header("x-request-id").empty());
    auto big = httpRequest(host_->port(), "POST", "/api/v1/fixture/echo", {{"X-Tenant", "acme"}}, std::string(6000, 'x'));
    expectError(big, 413, "payload_too_large");
    EXPECT_EQ(host_->get("/healthz", "").status, 200);
}

// max_header_bytes (16 KiB) was not enforced: a 100 KB header, 8,000 headers or a 40 KB
// cookie were processed.
TEST_F(HttpTest, HeadsLargerThanTheHeaderLimitAre431) {
    std::string many = "GET /healthz HTTP/1.1\r\nHost: x\r\n";
    for (int i = 0; i < 8000; ++i) many += "X-" + std::to_string(i) + ": y\r\n";
    for (const std::string raw : {"GET /healthz HTTP/1.1\r\nX-Big: " + std::string(100000, 'a') + "\r\n\r\n", many + "\r\n",
                                  "GET /healthz HTTP/1.1\r\nCookie: s=" + std::string(40000, 'c') + "\r\n\r\n"}) {
        auto r = httpRaw(host_->port(), raw);
        expectError(r, 431, "headers_too_large");
    }
    // The body limit is separate: a head under 16 KiB with a body under max_body_bytes passes.
    auto ok = httpRequest(host_->port(), "GET", "/healthz", {{"X-Fill", std::string(12000, 'f')}});
    EXPECT_EQ(ok.status, 200) << ok.body;
    EXPECT_EQ(host_->get("/healthz", "").status, 200);
}

// Pistache read past its buffer on a chunk announcing 5 bytes that carried 4 (found by
// fuzz_request_head); chunked bodies are now checked whole before its parser sees them.
TEST_F(HttpTest, ChunkedBodiesAreCheckedBeforeTheyAreParsed) {
    const std::string head = "POST /api/v1/fixture/echo HTTP/1.1\r\nHost: x\r\nX-Tenant: acme\r\nAuthorization: Bearer " +
                             host_->ownerToken("acme") + "\r\nConnection: close\r\n";
    const std::string chunked = head + "Transfer-Encoding: chunked\r\n\r\n";
    auto good = httpRaw(host_->port(), chunked + "3\r\nabc\r\nA\r\n0123456789\r\n0\r\nX-Trailer: t\r\n\r\n");
    ASSERT_EQ(good.status, 200) << good.body;
    EXPECT_EQ(good.json()["bytes"], 13);
    for (const std::string body : {"5\r\nabcd\r\n0\r\n\r\n", "3\r\nabcXY0\r\n\r\n", "3;ext=1\r\nabc\r\n0\r\n\r\n",
                                   "-5\r\nabc\r\n0\r\n\r\n", "0x3\r\nabc\r\n0\r\n\r\n", "\r\n"})
        expectError(httpRaw(host_->port(), chunked + body), 400, "bad_request");
    // Refused from the announced size, before a byte of it arrives.
    expectError(httpRaw(host_->port(), chunked + "7fffffffffff\r\n"), 413, "payload_too_large");
    expectError(httpRaw(host_->port(), head + "Transfer-Encoding: gzip\r\n\r\n"), 501, "unsupported_transfer_encoding");
    // A Content-Length too: Pistache reserves whatever it announces.
    expectError(httpRaw(host_->port(), head + "Content-Length: 333333333333333333\r\n\r\n{}"), 413, "payload_too_large");
    expectError(httpRaw(host_->port(), head + std::string("Content-Length: 3\0\0\r\n\r\n{}", 25)), 400, "bad_request");
    expectError(httpRaw(host_->port(), head + "Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}"), 400, "bad_request");
    expectError(httpRaw(host_->port(), head + "Transfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n3\r\nabc\r\n0\r\n\r\n"),
                400, "bad_request");
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
    // An answer marked close is followed by the close (RFC 9112 9.6), not left for the
    // client to do.
    for (const std::string raw : {get + "Connection: close\r\n\r\n", std::string("GET /healthz HTTP/1.0\r\n\r\n")}) {
        const auto [stream, closed] = converseUntilClosed(host_->port(), {{raw, 0}});
        EXPECT_TRUE(closed) << raw;
        EXPECT_EQ(parseResponse(stream).status, 200) << stream;
    }
    // HTTP/1.0 that asks to keep the connection keeps it.
    auto kept = httpConversation(host_->port(), {"GET /healthz HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
                                                 "GET /healthz HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"});
    EXPECT_EQ(kept[1].status, 200);
    EXPECT_EQ(lower(kept[1].header("connection")), "keep-alive");
}

TEST_F(HttpTest, HeadAnswersCarryTheLengthButNoBody) {
    const int fd = connectTo(host_->port());
    ASSERT_GE(fd, 0);
    // Each request is sent once the previous answer's head has arrived: a body sent after
    // a HEAD answer would stand between that head and the next answer.
    std::string stream;
    const std::string heads[] = {"HEAD /healthz HTTP/1.1\r\nHost: x\r\n\r\n",
                                 "HEAD /api/v1/fixture/items HTTP/1.1\r\nHost: x\r\nX-Tenant: acme\r\nAuthorization: Bearer " +
                                     host_->ownerToken("acme") + "\r\n\r\n"};
    for (std::size_t i = 0; i < std::size(heads); ++i) {
        ::send(fd, heads[i].data(), heads[i].size(), MSG_NOSIGNAL);
        receiveUntil(fd, stream, [&](const std::string& s) { return countHeads(s) > i; });
    }
    const auto first_end = stream.find("\r\n\r\n") + 4;
    const auto second_end = stream.find("\r\n\r\n", first_end) + 4;
    const std::string get = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
    ::send(fd, get.data(), get.size(), MSG_NOSIGNAL);
    receiveUntil(fd, stream, [&](const std::string& s) { return wholeResponse(s.substr(second_end)); });
    ::close(fd);

    const auto health = parseResponse(stream.substr(0, first_end));
    const auto items = parseResponse(stream.substr(first_end, second_end - first_end));
    const auto answer = parseResponse(stream.substr(second_end));
    EXPECT_EQ(health.status, 200) << stream;
    EXPECT_EQ(health.header("content-length"), std::to_string(std::string(R"({"status":"ok"})").size()));
    // A GET route answers HEAD (RFC 9110 9.3.2): the GET's head, its length, no body.
    EXPECT_EQ(items.status, 200) << stream;
    EXPECT_TRUE(items.body.empty()) << stream;
    const auto get_items = host_->get("/api/v1/fixture/items", "acme");
    EXPECT_EQ(items.header("content-length"), std::to_string(get_items.body.size()));
    EXPECT_EQ(items.header("content-type"), get_items.header("content-type"));
    ASSERT_EQ(answer.status, 200) << stream;
    EXPECT_EQ(answer.json()["status"], "ok") << stream;
}

TEST_F(HttpTest, SlowReadersGetWholeResponsesAndHoldNoWorker) {
    // More readers than the host has workers (4), each asking for far more than the
    // socket buffers hold and then reading nothing for a while.
    constexpr int kReaders = 6;
    constexpr std::size_t kKib = 8192;
    const std::string get = "GET /api/v1/fixture/large?kib=" + std::to_string(kKib) +
                            " HTTP/1.1\r\nHost: x\r\nX-Tenant: acme\r\nAuthorization: Bearer " + host_->ownerToken("acme") +
                            "\r\n\r\n";
    std::vector<int> readers;
    for (int i = 0; i < kReaders; ++i) {
        const int fd = connectSlowReader(host_->port());
        ASSERT_GE(fd, 0);
        ::send(fd, get.data(), get.size(), MSG_NOSIGNAL);
        readers.push_back(fd);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    // A worker that waited for any of those clients would leave this request queued.
    auto other = std::async(std::launch::async, [] { return host_->get("/api/v1/fixture/items", "acme"); });
    ASSERT_EQ(other.wait_for(std::chrono::seconds(10)), std::future_status::ready) << "a slow reader held a worker";
    EXPECT_EQ(other.get().status, 200);
    for (const int fd : readers) {
        std::string stream;
        receiveUntil(fd, stream, wholeResponse);
        ::close(fd);
        const auto r = parseResponse(stream);
        ASSERT_EQ(r.status, 200) << stream.substr(0, 300);
        EXPECT_EQ(r.body.size(), std::stoull(r.header("content-length")));
        EXPECT_EQ(r.json()["data"].get<std::string>(), std::string(kKib * 1024, 'x'));
    }
}

TEST_F(HttpTest, PipelinedRequestsGetTheFirstAnswerThenAClose) {
    const std::string slow = "GET /api/v1/fixture/slow?ms=400 HTTP/1.1\r\nHost: x\r\nX-Tenant: acme\r\nAuthorization: Bearer " +
                             host_->ownerToken("acme") + "\r\n\r\n";
    const std::string health = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
    const auto converse = [](const std::vector<std::pair<std::string, int>>& sends) {
        return converseUntilClosed(host_->port(), sends);
    };
    // Both requests in one packet: the slow one is answered, said to be the last, and the
    // connection closed (it was: the second request was dropped and the client hung).
    {
        const auto [stream, closed] = converse({{slow + health, 0}});
        EXPECT_TRUE(closed) << "no close after the answer: " << stream;
        const auto first = parseResponse(stream);
        EXPECT_EQ(first.status, 200) << stream;
        EXPECT_EQ(first.json()["slept"], true) << stream;
        EXPECT_EQ(first.header("connection"), "Close");
        EXPECT_EQ(countHeads(stream), 1u) << stream;
    }
    // The second sent while the first is on a worker: still the first answer first, then
    // the close (answered on another worker, the quick one would have overtaken it).
    {
        const auto [stream, closed] = converse({{slow, 100}, {health, 0}});
        EXPECT_TRUE(closed) << "no close after the answer: " << stream;
        const auto first = parseResponse(stream);
        EXPECT_EQ(first.status, 200) << stream;
        EXPECT_EQ(first.json()["slept"], true) << stream;
        EXPECT_EQ(countHeads(stream), 1u) << stream;
    }
    // The pipelined request's body still arriving after the first answer began: nothing
    // of it is answered (a 400 for its stray bytes could leave before the first answer).
    {
        const std::string echo = "POST /api/v1/fixture/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n12345";
        const auto [stream, closed] = converse({{slow + echo, 100}, {"67890", 0}});
        EXPECT_TRUE(closed) << "no close after the answer: " << stream;
        const auto first = parseResponse(stream);
        EXPECT_EQ(first.status, 200) << stream;
        EXPECT_EQ(first.json()["slept"], true) << stream;
        EXPECT_EQ(countHeads(stream), 1u) << stream;
    }
    // Garbage sent while the first request is on a worker: the first answer still comes,
    // then the close; the refusal of the garbage would have overtaken it.
    {
        const auto [stream, closed] = converse({{slow, 100}, {"\x01\x02garbage\r\n\r\n", 0}});
        EXPECT_TRUE(closed) << "no close after the answer: " << stream;
        const auto first = parseResponse(stream);
        EXPECT_EQ(first.status, 200) << stream;
        EXPECT_EQ(first.json()["slept"], true) << stream;
        EXPECT_EQ(countHeads(stream), 1u) << stream;
    }
    // A client that waits for each answer keeps its connection.
    auto replies = httpConversation(host_->port(), {health, health, health});
    for (const auto& r : replies) EXPECT_EQ(r.status, 200) << r.body;
}

TEST_F(HttpTest, ClosedConnectionsLeaveNoDescriptorsBehind) {
    const auto openDescriptors = [] {
        std::size_t n = 0;
        for ([[maybe_unused]] const auto& entry :
             std::filesystem::directory_iterator("/proc/" + std::to_string(host_->pid()) + "/fd"))
            ++n;
        return n;
    };
    const auto request = "GET /api/v1/fixture/items HTTP/1.1\r\nHost: x\r\nX-Tenant: acme\r\nAuthorization: Bearer " +
                         host_->ownerToken("acme") + "\r\n\r\n";
    ASSERT_EQ(httpRaw(host_->port(), request).status, 200);
    const auto before = openDescriptors();
    // Each connection is answered, then the client hangs up without saying so.
    for (int i = 0; i < 300; ++i) ASSERT_EQ(httpRaw(host_->port(), request).status, 200);
    // The server closes its side as it notices each hang-up.
    for (int wait = 0; wait < 50 && openDescriptors() > before + 5; ++wait)
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    EXPECT_LE(openDescriptors(), before + 5);
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

TEST(HttpLimits, TheServerRaisesItsOpenFileLimitToTheHardLimit) {
    // Each connection holds two descriptors: a server left at a low soft limit would refuse
    // connections at half the number it could carry.
    rlimit inherited{};
    ASSERT_EQ(::getrlimit(RLIMIT_NOFILE, &inherited), 0);
    if (inherited.rlim_max <= 256) GTEST_SKIP() << "hard limit too low to lower the soft one";
    rlimit low = inherited;
    low.rlim_cur = 256;
    ASSERT_EQ(::setrlimit(RLIMIT_NOFILE, &low), 0);
    TestHost host(fixtureDirs({"good"}));
    const bool started = host.start();
    ::setrlimit(RLIMIT_NOFILE, &inherited);
    ASSERT_TRUE(started) << host.log();
    std::ifstream limits("/proc/" + std::to_string(host.pid()) + "/limits");
    std::string line;
    while (std::getline(limits, line) && line.rfind("Max open files", 0) != 0) {
    }
    std::istringstream fields(line.substr(std::string("Max open files").size()));
    std::string soft, hard;
    fields >> soft >> hard;
    EXPECT_EQ(soft, hard) << line;
    EXPECT_NE(soft, "256") << line;
}

TEST(GracefulShutdown, InFlightRequestsFinishAndTheExitCodeIsZero) {
    TestHost host(fixtureDirs({"good"}));
    host.createTenant("acme");
    ASSERT_TRUE(host.start()) << host.log();
    auto slow = std::async(std::launch::async, [&] { return host.get("/api/v1/fixture/slow?ms=1500", "acme"); });
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    ::kill(host.pid(), SIGTERM);
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    // A request that comes during the drain is refused, and its connection closed then,
    // not when the server stops after the slow request.
    const auto [refused, closed] = converseUntilClosed(host.port(), {{"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n", 0}});
    EXPECT_EQ(parseResponse(refused).status, 503) << refused;
    EXPECT_EQ(parseResponse(refused).json()["error"]["code"], "shutting_down") << refused;
    EXPECT_TRUE(closed) << refused;
    EXPECT_EQ(slow.wait_for(std::chrono::seconds(0)), std::future_status::timeout) << "closed only at the stop";
    auto r = slow.get();
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.json()["slept"], true);
    EXPECT_EQ(host.stop(), 0) << host.log();
    EXPECT_NE(host.log().find("stopped"), std::string::npos);
}

TEST(GracefulShutdown, AClientThatStopsReadingDelaysTheExitOnlyByTheGracePeriod) {
    TestHost host(fixtureDirs({"good"}));
    host.setEnv("TESSERA_SHUTDOWN_GRACE_SECONDS", "1");
    host.createTenant("acme");
    ASSERT_TRUE(host.start()) << host.log();
    const int fd = connectSlowReader(host.port());
    ASSERT_GE(fd, 0);
    const std::string get = "GET /api/v1/fixture/large?kib=8192 HTTP/1.1\r\nHost: x\r\nX-Tenant: acme\r\n"
                            "Authorization: Bearer " + host.ownerToken("acme") + "\r\n\r\n";
    ::send(fd, get.data(), get.size(), MSG_NOSIGNAL);
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    // The answer's rest waits for a client that reads nothing (for up to 30 s): the
    // shutdown gives up on it after the grace period instead.
    const auto started = std::chrono::steady_clock::now();
    EXPECT_EQ(host.stop(), 0) << host.log();
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(10)) << host.log();
    EXPECT_NE(host.log().find("did not finish in time"), std::string::npos) << host.log();
    ::close(fd);
}

// The header timeout's 408 was written by Pistache (an empty body, outside the server's
// one write path) after a fixed 30 s; now it is the server's JSON 408, then the close,
// after header_timeout_seconds, for a head that stops half-way or never starts.
TEST(HeaderTimeout, ARequestThatDoesNotArriveInTimeGets408AsJsonThenTheClose) {
    TestHost host(fixtureDirs({"good"}));
    host.setEnv("TESSERA_HEADER_TIMEOUT_SECONDS", "1");
    ASSERT_TRUE(host.start()) << host.log();
    for (const std::string partial : {std::string("GET /healthz HTTP/1.1\r\nHost: x\r\n"), std::string("")}) {
        const auto started = std::chrono::steady_clock::now();
        auto r = httpRaw(host.port(), partial);
        const auto waited = std::chrono::steady_clock::now() - started;
        EXPECT_EQ(r.status, 408) << "'" << partial << "': " << r.body;
        EXPECT_EQ(r.json()["error"]["code"], "request_timeout") << r.body;
        EXPECT_EQ(r.header("connection"), "Close");
        EXPECT_FALSE(r.header("x-request-id").empty());
        EXPECT_GE(waited, std::chrono::milliseconds(900));
        EXPECT_LT(waited, std::chrono::seconds(5));
    }
    // A request sent whole is answered as ever, and the server keeps serving.
    EXPECT_EQ(host.get("/healthz", "").status, 200);
    EXPECT_EQ(host.stop(), 0) << host.log();
}
