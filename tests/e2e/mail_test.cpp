// Outgoing e-mail end to end: auth and workflows queue into one outbox; the host's
// sender delivers over real SMTP with the tenant's sender and templates, retries
// temporary refusals, records permanent ones, and an admin can see and retry them.
#include <regex>

#include "workflows_fixture.hpp"

namespace tessera::test {
namespace {

class MailDelivery : public WorkflowsTest {
protected:
    static std::vector<ReceivedMail> mailTo(const std::string& address) {
        std::vector<ReceivedMail> out;
        for (auto& m : smtp_->received())
            if (!m.to.empty() && m.to[0] == address) out.push_back(m);
        return out;
    }
    static Json outbox(const std::string& tenant, const std::string& query = "") {
        auto r = host_->get("/api/v1/mail" + query, tenant);
        EXPECT_EQ(r.status, 200) << r.body;
        return r.json()["data"];
    }
};

TEST_F(MailDelivery, APasswordResetArrivesOverSmtpAndItsLinkWorks) {
    auto user = host_->post("/api/v1/users", "acme",
                            {{"email", "forgetful@acme.example"}, {"role", "member"}, {"password", "correct horse battery staple"}});
    ASSERT_EQ(user.status, 201) << user.body;
    auto asked = host_->request("POST", "/api/v1/auth/password-reset/request", "acme",
                                {{"email", "forgetful@acme.example"}}, {{"Authorization", ""}});
    ASSERT_EQ(asked.status, 202) << asked.body;
    ASSERT_TRUE(eventually([] { return !mailTo("forgetful@acme.example").empty(); })) << host_->log();
    const auto mail = mailTo("forgetful@acme.example").back();
    EXPECT_EQ(mail.from, "no-reply@tessera.test");
    EXPECT_EQ(mail.header("Subject"), "Reset your password");
    EXPECT_EQ(mail.header("From"), "Tessera Cloud <no-reply@tessera.test>");
    EXPECT_EQ(mail.header("Content-Type"), "text/plain; charset=UTF-8");
    std::smatch m;
    const std::string body = mail.decodedBody();
    ASSERT_TRUE(std::regex_search(body, m, std::regex("token=(rst_[A-Za-z0-9_-]+)"))) << body;
    auto reset = host_->request("POST", "/api/v1/auth/password-reset", "acme",
                                {{"token", m[1].str()}, {"password", "a brand new passphrase"}}, {{"Authorization", ""}});
    EXPECT_LT(reset.status, 300) << reset.body;
    // The outbox shows the delivery, never the body (it carried a secret).
    bool listed = false;
    for (const auto& x : outbox("acme"))
        if (x["to"] == "forgetful@acme.example") {
            listed = true;
            EXPECT_EQ(x["kind"], "password_reset");
            EXPECT_EQ(x["status"], "sent");
            EXPECT_EQ(x["attempts"], 1);
            EXPECT_FALSE(x["sent_at"].is_null());
            EXPECT_FALSE(x.contains("body"));
        }
    EXPECT_TRUE(listed);
}

TEST_F(MailDelivery, AWorkflowMailUsesTheTenantsTemplateAndSender) {
    ASSERT_EQ(host_->request("PUT", "/api/v1/mail/settings", "acme", {{"from", "Acme Billing <billing@acme.example>"}}).status,
              200);
    const std::string long_line(200, 'x');
    auto tmpl = host_->request("PUT", "/api/v1/mail/templates/invoice-overdue", "acme",
                               {{"body", "Hello {{name}},\ninvoice {{invoice.number}} is {{days}} days overdue.\n"
                                         "Café ✓ & <ok>\n" + long_line + "\n"}});
    ASSERT_EQ(tmpl.status, 200) << tmpl.body;
    auto broken = host_->request("PUT", "/api/v1/mail/templates/broken", "acme", {{"body", "{{#open}} never closed"}});
    EXPECT_EQ(broken.status, 422) << broken.body;
    EXPECT_TRUE(broken.json()["error"]["fields"].contains("body"));
    auto run = runScript("acme", R"(
local id = crm.email.send({ to = "ana@customer.test", subject = "Invoice {{invoice.number}} is overdue",
                            template = "invoice-overdue",
                            data = { name = "Ana", days = 10, invoice = { number = "F-2026-0001" } } })
crm.log("info", "queued " .. id)
)");
    ASSERT_EQ(run["status"], "ok") << run.dump();
    ASSERT_TRUE(eventually([] { return !mailTo("ana@customer.test").empty(); })) << host_->log();
    const auto mail = mailTo("ana@customer.test").back();
    EXPECT_EQ(mail.from, "billing@acme.example");
    EXPECT_EQ(mail.header("From"), "Acme Billing <billing@acme.example>");
    EXPECT_EQ(mail.header("Subject"), "Invoice F-2026-0001 is overdue");
    const std::string body = mail.decodedBody();
    EXPECT_NE(body.find("Hello Ana,\ninvoice F-2026-0001 is 10 days overdue."), std::string::npos) << body;
    EXPECT_NE(body.find("Café ✓ & <ok>"), std::string::npos) << body;  // plain text: nothing HTML-escaped
    EXPECT_NE(body.find(long_line), std::string::npos);
    // SMTP lines stay short however long the text is.
    std::size_t start = 0, longest = 0;
    for (std::size_t eol; (eol = mail.data.find("\r\n", start)) != std::string::npos; start = eol + 2)
        longest = std::max(longest, eol - start);
    EXPECT_LE(longest, 78u);
    // Another tenant sees none of it.
    for (const auto& x : outbox("beta")) EXPECT_NE(x["to"], "ana@customer.test");
    EXPECT_EQ(host_->get("/api/v1/mail/templates/invoice-overdue", "beta").status, 404);
}

TEST_F(MailDelivery, TemporaryRefusalsAreRetriedPermanentOnesFailAndCanBeRetried) {
    smtp_->refuse("later@customer.test", 451);
    smtp_->refuse("gone@customer.test", 550);
    auto run = runScript("acme", R"(
crm.email.send({ to = "later@customer.test", subject = "Hello", body = "first try fails" })
crm.email.send({ to = "gone@customer.test", subject = "Hello", body = "never arrives" })
crm.email.send({ to = "nobody@customer.test", subject = "Hello", template = "no-such-template" })
)");
    ASSERT_EQ(run["status"], "ok") << run.dump();
    ASSERT_TRUE(eventually([] { return smtp_->refusals("later@customer.test") >= 1; }));
    smtp_->refuse("later@customer.test", 0);
    ASSERT_TRUE(eventually([] { return !mailTo("later@customer.test").empty(); })) << host_->log();
    Json gone, missing;
    ASSERT_TRUE(eventually([&] {
        for (const auto& x : outbox("acme", "?status=failed")) {
            if (x["to"] == "gone@customer.test") gone = x;
            if (x["to"] == "nobody@customer.test") missing = x;
        }
        return gone.is_object() && missing.is_object();
    }));
    EXPECT_EQ(gone["attempts"], 1) << gone.dump();  // a 5xx is final: no pointless retries
    EXPECT_NE(gone["last_error"].get<std::string>().find("550"), std::string::npos) << gone.dump();
    EXPECT_NE(missing["last_error"].get<std::string>().find("no-such-template"), std::string::npos) << missing.dump();
    for (const auto& x : outbox("acme"))
        if (x["to"] == "later@customer.test") EXPECT_GE(x["attempts"], 2);
    // Once the address is fixed, an admin retries it.
    smtp_->refuse("gone@customer.test", 0);
    auto retry = host_->post("/api/v1/mail/" + gone["id"].get<std::string>() + "/retry", "acme", Json::object());
    ASSERT_EQ(retry.status, 200) << retry.body;
    EXPECT_EQ(retry.json()["status"], "pending");
    ASSERT_TRUE(eventually([] { return !mailTo("gone@customer.test").empty(); }));
    auto again = host_->post("/api/v1/mail/" + gone["id"].get<std::string>() + "/retry", "acme", Json::object());
    EXPECT_EQ(again.status, 409) << again.body;
}

TEST_F(MailDelivery, BadInputGetsClearErrorsAndMembersCannotReadTheOutbox) {
    auto script = runScript("acme", R"(
local id, err = crm.email.send({ to = "a@b.test\r\nBcc: all@evil.test", subject = "x", body = "y" })
crm.log("info", "refused: " .. tostring(err)))");
    EXPECT_EQ(script["status"], "ok") << script.dump();
    EXPECT_TRUE(logsContain(script, "refused: crm.email.send: 'to' must be one e-mail address")) << script.dump();
    EXPECT_EQ(host_->get("/api/v1/mail?status=bogus", "acme").status, 400);
    EXPECT_EQ(host_->get("/api/v1/mail?limit=0", "acme").status, 400);
    EXPECT_EQ(host_->get("/api/v1/mail?cursor=nonsense", "acme").status, 400);
    EXPECT_EQ(host_->post("/api/v1/mail/mail_nope/retry", "acme", Json::object()).status, 404);
    EXPECT_EQ(host_->get("/api/v1/mail/templates/..%2F..%2Fetc", "acme").status, 404);
    auto injected = host_->request("PUT", "/api/v1/mail/settings", "acme", {{"from", "x@y.test\r\nBcc: all@evil.test"}});
    EXPECT_EQ(injected.status, 422);
    EXPECT_TRUE(injected.json()["error"]["fields"].contains("from"));
    EXPECT_EQ(host_->request("PUT", "/api/v1/mail/templates/t", "acme", {{"body", 42}}).status, 422);
    // Paging: newest first, a cursor to the next page.
    ASSERT_EQ(runScript("acme", R"(
crm.email.send({ to = "page1@customer.test", subject = "one", body = "1" })
crm.email.send({ to = "page2@customer.test", subject = "two", body = "2" }))")["status"],
              "ok");
    auto page = host_->get("/api/v1/mail?limit=1", "acme").json();
    ASSERT_EQ(page["data"].size(), 1u);
    ASSERT_TRUE(page["next_cursor"].is_string());
    auto next = host_->get("/api/v1/mail?limit=1&cursor=" + page["next_cursor"].get<std::string>(), "acme").json();
    ASSERT_EQ(next["data"].size(), 1u);
    EXPECT_NE(next["data"][0]["id"], page["data"][0]["id"]);
    // A member may not read other people's mail.
    ASSERT_EQ(host_->post("/api/v1/users", "acme",
                          {{"email", "member@acme.example"}, {"role", "member"}, {"password", "correct horse battery staple"}})
                  .status,
              201);
    auto login = host_->request("POST", "/api/v1/auth/login", "acme",
                                {{"email", "member@acme.example"}, {"password", "correct horse battery staple"}, {"token", true}, {"session", false}},
                                {{"Authorization", ""}});
    ASSERT_EQ(login.status, 200) << login.body;
    ASSERT_TRUE(login.json().contains("token")) << login.body;
    auto denied = host_->request("GET", "/api/v1/mail", "acme", nullptr,
                                 {{"Authorization", "Bearer " + login.json()["token"].get<std::string>()}});
    EXPECT_EQ(denied.status, 403);
    EXPECT_EQ(denied.json()["error"]["fields"]["permission"], "mail.manage");
}

}  // namespace
}  // namespace tessera::test
