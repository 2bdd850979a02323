// Delayed steps, cron, webhooks and the CLI: work that happens later, survives a stop of
// the host and reaches other systems.
#include "workflows_fixture.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <mutex>
#include <regex>

#include "hmac.hpp"

using namespace tessera::test;

namespace {

// A port on 127.0.0.1 that nothing listens on.
int closedPort() {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
    socklen_t len = sizeof a;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    ::close(fd);
    return ntohs(a.sin_port);
}

// Accepts one HTTP request on 127.0.0.1, answers 200 "thanks", keeps what it received.
class OneShotServer {
public:
    OneShotServer() {
        fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        ::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a);
        ::listen(fd_, 4);
        socklen_t len = sizeof a;
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
        port_ = ntohs(a.sin_port);
        thread_ = std::thread([this] {
            int c = ::accept(fd_, nullptr, nullptr);
            if (c < 0) return;
            std::string data;
            char buf[4096];
            for (;;) {
                auto n = ::recv(c, buf, sizeof buf, 0);
                if (n <= 0) break;
                data.append(buf, static_cast<std::size_t>(n));
                auto end = data.find("\r\n\r\n");
                if (end == std::string::npos) continue;
                std::smatch m;
                std::size_t length = 0;
                if (std::regex_search(data, m, std::regex("[Cc]ontent-[Ll]ength: *([0-9]+)"))) length = std::stoul(m[1]);
                if (data.size() >= end + 4 + length) break;
            }
            const std::string reply = "HTTP/1.1 200 OK\r\nContent-Length: 6\r\nConnection: close\r\n\r\nthanks";
            ::send(c, reply.data(), reply.size(), MSG_NOSIGNAL);
            ::close(c);
            std::lock_guard lock(mutex_);
            request_ = data;
        });
    }
    ~OneShotServer() {
        ::shutdown(fd_, SHUT_RDWR);
        ::close(fd_);
        thread_.join();
    }
    int port() const { return port_; }
    std::string request() {
        std::lock_guard lock(mutex_);
        return request_;
    }

private:
    int fd_ = -1;
    int port_ = 0;
    std::thread thread_;
    std::mutex mutex_;
    std::string request_;
};

std::string header(const std::string& request, const std::string& name) {
    std::smatch m;
    if (std::regex_search(request, m, std::regex(name + ": ([^\r]*)\r\n", std::regex::icase))) return m[1];
    return "";
}

}  // namespace

class WorkflowSchedule : public WorkflowsTest {};

TEST_F(WorkflowSchedule, DelayedStepRunsTheNamedFunctionLater) {
    auto wf = createWorkflow("acme", "drip", "manual", R"(
function second_mail(p)
  crm.log("info", "step two for " .. p.who)
end
if event.name == "manual" then
  local id = crm.schedule(1, "second_mail", { who = "ana" })
  crm.log("info", "scheduled " .. id)
end
)");
    auto run = runWorkflow("acme", wf);
    ASSERT_EQ(run["status"], "ok") << run.dump();
    const std::string q = "?workflow_id=" + wf["id"].get<std::string>() + "&trigger=schedule:second_mail";
    ASSERT_TRUE(eventually([&] { return !runs("acme", q).empty(); }));
    auto step = runs("acme", q)[0];
    EXPECT_EQ(step["status"], "ok") << step.dump();
    EXPECT_TRUE(logsContain(step, "step two for ana"));
    EXPECT_EQ(step["late"], false);
    deleteWorkflow("acme", wf);
}

TEST_F(WorkflowSchedule, WebhookIsSignedAndItsResponseReachesTheCallback) {
    OneShotServer server;
    ASSERT_EQ(host_->request("PUT", "/api/v1/workflow-settings", "acme", {{"http_allowlist", {"127.0.0.1"}}}).status, 200);
    const std::string secret = host_->get("/api/v1/workflow-settings", "acme").json()["webhook_secret"];
    ASSERT_EQ(secret.size(), 64u);
    auto wf = createWorkflow("acme", "notify", "manual",
                             "function answered(r) crm.log('info', 'answer ' .. r.status .. ' ' .. r.body) end\n"
                             "assert(crm.http.request({ url = 'http://127.0.0.1:" +
                                 std::to_string(server.port()) +
                                 "/hook', body = { deal = 'won' }, callback = 'answered' }))\n"
                                 "local ok, err = crm.http.request({ url = 'https://elsewhere.example.org/x' })\n"
                                 "crm.log('info', 'refused: ' .. tostring(err))");
    auto run = runWorkflow("acme", wf);
    ASSERT_EQ(run["status"], "ok") << run.dump();
    EXPECT_TRUE(logsContain(run, "refused: crm.http.request: host 'elsewhere.example.org' is not on this tenant's HTTP allowlist"))
        << run.dump();
    const std::string q = "?workflow_id=" + wf["id"].get<std::string>() + "&trigger=http.response";
    ASSERT_TRUE(eventually([&] { return !runs("acme", q).empty(); })) << host_->log();
    EXPECT_TRUE(logsContain(runs("acme", q)[0], "answer 200 thanks"));

    const std::string request = server.request();
    ASSERT_FALSE(request.empty());
    const std::string body = request.substr(request.find("\r\n\r\n") + 4);
    EXPECT_EQ(Json::parse(body), Json({{"deal", "won"}}));
    const std::string timestamp = header(request, "X-Tessera-Timestamp");
    EXPECT_EQ(header(request, "X-Tessera-Signature"), "sha256=" + hmacHex(secret, timestamp + "." + body));
    auto outbox = host_->get("/api/v1/workflow-outbox?status=delivered", "acme").json()["data"];
    ASSERT_FALSE(outbox.empty());
    EXPECT_EQ(outbox[0]["response_status"], 200);
    deleteWorkflow("acme", wf);
}

TEST_F(WorkflowSchedule, WebhookTargetThatIsDownIsRetriedThenGivenUp) {
    ASSERT_EQ(host_->request("PUT", "/api/v1/workflow-settings", "beta", {{"http_allowlist", {"127.0.0.1"}}}).status, 200);
    const int port = closedPort();
    auto wf = createWorkflow("beta", "down", "manual",
                             "function done(r) crm.log('warn', 'gave up ok=' .. tostring(r.ok) .. ' attempts=' .. "
                             "r.attempts .. ' ' .. r.error) end\n"
                             "crm.http.request({ method = 'POST', url = 'http://127.0.0.1:" +
                                 std::to_string(port) + "/hook', body = 'ping', callback = 'done' })");
    ASSERT_EQ(runWorkflow("beta", wf)["status"], "ok");
    Json failed;
    ASSERT_TRUE(eventually(
        [&] {
            auto list = host_->get("/api/v1/workflow-outbox?status=failed", "beta").json()["data"];
            if (list.empty()) return false;
            failed = list[0];
            return true;
        },
        std::chrono::seconds(20)));
    EXPECT_EQ(failed["attempts"], 3);
    EXPECT_TRUE(failed["last_error"].is_string());
    EXPECT_TRUE(failed["response_status"].is_null());
    const std::string q = "?workflow_id=" + wf["id"].get<std::string>() + "&trigger=http.response";
    ASSERT_TRUE(eventually([&] { return !runs("beta", q).empty(); }, std::chrono::seconds(5)));
    EXPECT_TRUE(logsContain(runs("beta", q)[0], "gave up ok=false attempts=3")) << runs("beta", q).dump();
    EXPECT_NE(host_->log().find("failed after 3 attempt(s)"), std::string::npos);
    deleteWorkflow("beta", wf);
}

TEST_F(WorkflowSchedule, DelayedStepDueWhileTheHostWasStoppedRunsOnceFlaggedLate) {
    auto wf = createWorkflow("beta", "durable-step", "manual",
                             "function later(p) crm.log('info', 'caught up ' .. p.n) end\n"
                             "if event.name == 'manual' then crm.schedule(1, 'later', { n = 5 }) end");
    ASSERT_EQ(runWorkflow("beta", wf)["status"], "ok");
    ASSERT_EQ(host_->stop(), 0);
    std::this_thread::sleep_for(std::chrono::milliseconds(3500));
    ASSERT_TRUE(host_->start()) << host_->log();
    const std::string q = "?workflow_id=" + wf["id"].get<std::string>() + "&trigger=schedule:later";
    ASSERT_TRUE(eventually([&] { return !runs("beta", q).empty(); }));
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    auto list = runs("beta", q);
    ASSERT_EQ(list.size(), 1u) << list.dump();
    EXPECT_EQ(list[0]["late"], true);
    EXPECT_TRUE(logsContain(list[0], "caught up 5"));
    deleteWorkflow("beta", wf);
}

TEST_F(WorkflowSchedule, CronJobDueWhileTheHostWasStoppedIsCaughtUpOnceFlaggedLate) {
    ASSERT_EQ(host_->request("PUT", "/api/v1/workflow-settings", "beta", {{"time_zone", "Europe/Berlin"}}).status, 200);
    auto wf = createWorkflow("beta", "every-minute", "cron:* * * * *", "crm.log('info', 'tick late=' .. tostring(workflow.late))");
    std::string due;
    for (const auto& job : Json(host_->get("/api/v1/workflow-jobs", "beta").json()["data"]))
        if (job["workflow_id"] == wf["id"] && job["kind"] == "cron") due = job["due_at"];
    ASSERT_FALSE(due.empty());
    ASSERT_EQ(due.substr(17), "00.000Z") << "cron occurrences fall on whole minutes: " << due;
    ASSERT_EQ(host_->stop(), 0);
    // Wait until the occurrence is at least two seconds overdue (at most a minute).
    for (;;) {
        const auto now = std::chrono::system_clock::now();
        const std::time_t t = std::chrono::system_clock::to_time_t(now - std::chrono::seconds(2));
        char buf[32];
        std::tm tm{};
        gmtime_r(&t, &tm);
        std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
        if (std::string(buf) + ".000Z" >= due) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    ASSERT_TRUE(host_->start()) << host_->log();
    const std::string q = "?workflow_id=" + wf["id"].get<std::string>() + "&trigger=cron";
    ASSERT_TRUE(eventually([&] { return !runs("beta", q).empty(); }));
    auto first = runs("beta", q).back();
    EXPECT_EQ(first["late"], true) << first.dump();
    EXPECT_TRUE(logsContain(first, "tick late=true"));
    // The next occurrence is planned in the future, not replayed for the missed time.
    for (const auto& job : Json(host_->get("/api/v1/workflow-jobs", "beta").json()["data"]))
        if (job["workflow_id"] == wf["id"]) EXPECT_GT(job["due_at"].get<std::string>(), due);
    deleteWorkflow("beta", wf);
}

TEST_F(WorkflowSchedule, CliPushCreatesThenVersionsAWorkflowFromAFile) {
    const std::string file = host_->dataDir() + "/greet.lua";
    {
        std::ofstream out(file);
        out << "-- name: greet-new-contacts\n-- trigger: contact.created\n-- run_as: member\n"
               "crm.log('info', 'hello ' .. event.record.name)\n";
    }
    auto r = host_->cli({"workflow", "push", file, "--tenant", "acme"});
    ASSERT_EQ(r.exit_code, 0) << r.out;
    EXPECT_NE(r.out.find("version 1"), std::string::npos) << r.out;
    auto r2 = host_->cli({"workflow", "push", file, "--tenant", "acme", "--trigger", "manual"});
    ASSERT_EQ(r2.exit_code, 0) << r2.out;
    EXPECT_NE(r2.out.find("version 2"), std::string::npos) << r2.out;
    Json found;
    for (const auto& wf : Json(host_->get("/api/v1/workflows?include=source", "acme").json()["data"]))
        if (wf["name"] == "greet-new-contacts") found = wf;
    ASSERT_TRUE(found.is_object());
    EXPECT_EQ(found["trigger"], "manual");
    EXPECT_EQ(found["run_as"], "member");
    EXPECT_EQ(found["version"], 2);

    {
        std::ofstream out(file);
        out << "if then\n";
    }
    auto bad = host_->cli({"workflow", "push", file, "--tenant", "acme"});
    EXPECT_NE(bad.exit_code, 0);
    EXPECT_NE(bad.out.find("line 1"), std::string::npos) << bad.out;
    EXPECT_NE(host_->cli({"workflow", "push", file, "--tenant", "nope"}).exit_code, 0);
    deleteWorkflow("acme", found);
}
