// Hostile input on every auth route parameter, per-tenant rate limits and plan quotas.
#include <regex>

#include "auth_fixture.hpp"

namespace tessera::test {
namespace {

class AuthSecurity : public AuthTest {};

const std::vector<std::string>& hostileStrings() {
    static const std::vector<std::string> values = {
        "' OR '1'='1",
        "x'; DROP TABLE auth_users; --",
        "\" OR \"\"=\"",
        "1 UNION SELECT token_hash FROM auth_tokens",
        "../../../../etc/passwd",
        "..\\..\\windows\\win.ini",
        "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        std::string("nul\0byte", 8),
        "<script>alert(1)</script>",
        "*",
        "%",
        "_",
        std::string(5000, 'A'),
        "\xff\xfe invalid utf-8",
    };
    return values;
}

// A clean refusal: a 4xx with the uniform JSON error body.
void expectCleanRefusal(const HttpResult& r, const std::string& what) {
    EXPECT_GE(r.status, 400) << what << ": " << r.body.substr(0, 300);
    EXPECT_LT(r.status, 500) << what << ": " << r.body.substr(0, 300);
    if (r.status != 404 && r.status != 405) {
        auto j = r.json();
        EXPECT_TRUE(j.is_object() && j.contains("error")) << what << ": " << r.body.substr(0, 300);
    }
}

TEST_F(AuthSecurity, InjectionAndTraversalStringsInEveryAuthParameterFailCleanly) {
    auto users_before = host_->get("/api/v1/users", "acme").json()["data"].size();
    const auto anon = anonymous();
    for (const auto& evil : hostileStrings()) {
        // Body parameters; invalid UTF-8 goes through the raw path (nlohmann refuses to dump it).
        const bool utf8_ok = evil.find('\xff') == std::string::npos;
        auto send = [&](const std::string& method, const std::string& target, const Json& body,
                        const std::map<std::string, std::string>& headers) {
            return host_->request(method, target, "acme", body, headers);
        };
        if (utf8_ok) {
            expectCleanRefusal(send("POST", "/api/v1/auth/login", {{"email", evil}, {"password", evil}}, anon), "login");
            expectCleanRefusal(send("POST", "/api/v1/auth/login", {{"email", TestHost::ownerEmail("acme")}, {"password", evil}},
                                    anon),
                               "login password");
            auto reset_req = send("POST", "/api/v1/auth/password-reset/request", {{"email", evil}}, anon);
            EXPECT_TRUE(reset_req.status == 202 || (reset_req.status >= 400 && reset_req.status < 500)) << reset_req.body;
            expectCleanRefusal(send("POST", "/api/v1/auth/password-reset", {{"token", evil}, {"password", evil + evil}}, anon),
                               "reset");
            expectCleanRefusal(send("POST", "/api/v1/tokens", {{"name", "x"}, {"scopes", {evil}}}, {}), "token scopes");
            expectCleanRefusal(send("POST", "/api/v1/tokens", {{"name", "x"}, {"expires_at", evil}}, {}), "token expiry");
            // "*" is the documented everything-pattern, valid for an Owner; the rest are not names.
            if (evil != "*")
                expectCleanRefusal(send("POST", "/api/v1/roles", {{"name", "R"}, {"permissions", {evil}}}, {}), "role perms");
            expectCleanRefusal(send("POST", "/api/v1/roles",
                                    {{"name", "R2"}, {"permissions", Json::array()}, {"access", {{evil, {{"own_records_only", true}}}}}},
                                    {}),
                               "role access");
            expectCleanRefusal(send("POST", "/api/v1/users", {{"email", evil}, {"role", "member"}}, {}), "user email");
            expectCleanRefusal(send("POST", "/api/v1/users", {{"email", "ok@acme.example"}, {"role", evil}}, {}), "user role");
            expectCleanRefusal(send("PUT", "/api/v1/auth/settings", {{"require_2fa_roles", {evil}}}, {}), "settings");
            expectCleanRefusal(send("POST", "/api/v1/auth/2fa/totp/verify", {{"code", evil}}, {}), "totp verify");
            expectCleanRefusal(send("POST", "/api/v1/auth/password", {{"current_password", evil}, {"new_password", evil}}, {}),
                               "password change");
        }
        // Path and query parameters.
        const std::string p = enc(evil);
        expectCleanRefusal(send("DELETE", "/api/v1/tokens/" + p, nullptr, {}), "token id");
        expectCleanRefusal(send("PUT", "/api/v1/roles/" + p, Json{{"name", "x"}}, {}), "role id");
        expectCleanRefusal(send("DELETE", "/api/v1/roles/" + p, nullptr, {}), "role id delete");
        expectCleanRefusal(send("GET", "/api/v1/users/" + p, nullptr, {}), "user id");
        expectCleanRefusal(send("PATCH", "/api/v1/users/" + p, Json{{"name", "x"}}, {}), "user id patch");
        for (const std::string q : {"since", "until", "cursor", "limit"})
            expectCleanRefusal(send("GET", "/api/v1/audit?" + q + "=" + p, nullptr, {}), "audit " + q);
        for (const std::string q : {"actor", "action"}) {
            auto r = send("GET", "/api/v1/audit?" + q + "=" + p, nullptr, {});
            EXPECT_TRUE(r.status == 200 || r.status == 400) << q << " " << r.status;
            if (r.status == 200 && q == "actor") EXPECT_TRUE(r.json()["data"].empty()) << "no actor matches " << evil.substr(0, 40);
        }
        // As a bearer token and as a session cookie.
        expectCleanRefusal(send("GET", "/api/v1/auth/me", nullptr, {{"Authorization", "Bearer " + evil.substr(0, 3000)}}),
                           "bearer");
        expectCleanRefusal(send("GET", "/api/v1/auth/me", nullptr, {{"Cookie", "tessera_session=" + p.substr(0, 3000)}}),
                           "cookie");
        // Malformed JSON bodies.
        auto raw = httpRequest(host_->port(), "POST", "/api/v1/auth/login",
                               {{"X-Tenant", "acme"}, {"Content-Type", "application/json"}}, "{\"email\": " + evil);
        expectCleanRefusal(raw, "raw login body");
    }
    // Nothing changed: the same users, the owner still works, the tables are intact.
    EXPECT_EQ(host_->get("/api/v1/users", "acme").json()["data"].size(), users_before);
    EXPECT_EQ(host_->get("/api/v1/auth/me", "acme").status, 200);
    EXPECT_EQ(login("acme", TestHost::ownerEmail("acme"), host_->ownerPassword("acme")).status == 200 ||
                  login("acme", TestHost::ownerEmail("acme"), host_->ownerPassword("acme")).status == 429,
              true);
    EXPECT_EQ(host_->log().find("internal_error"), std::string::npos);
}

TEST_F(AuthSecurity, RequiringTwoFactorOfYourOwnRoleNeedsYourOwnSecondFactorFirst) {
    for (const Json& roles : {Json{"*"}, Json{"owner"}}) {
        auto r = host_->request("PUT", "/api/v1/auth/settings", "acme", {{"require_2fa_roles", roles}});
        EXPECT_EQ(r.status, 422) << r.body;
        EXPECT_NE(r.json()["error"]["fields"]["require_2fa_roles"].get<std::string>().find("your own role"), std::string::npos);
    }
    // Nothing was locked: the Owner still reaches everything.
    EXPECT_EQ(host_->get("/api/v1/users", "acme").status, 200);
    EXPECT_EQ(host_->get("/api/v1/auth/settings", "acme").json()["require_2fa_roles"], Json::array());
}

TEST_F(AuthSecurity, OperatorChangesFromTheCliAreInTheTenantsAuditLog) {
    ASSERT_EQ(host_->cli({"plugin", "disable", "deals", "--tenant", "beta"}).exit_code, 0);
    ASSERT_EQ(host_->cli({"plugin", "enable", "deals", "--tenant", "beta"}).exit_code, 0);
    ASSERT_EQ(host_->cli({"tenant", "plan", "beta", "business"}).exit_code, 0);
    for (const std::string action : {"tenant.plugin.disabled", "tenant.plugin.enabled", "tenant.plan.changed"}) {
        auto entries = audit("beta", action);
        ASSERT_FALSE(entries.empty()) << action;
        EXPECT_NE(entries[0]["actor"]["name"].get<std::string>().find("tessera CLI ("), std::string::npos) << entries[0].dump();
    }
    EXPECT_EQ(audit("beta", "tenant.plugin.disabled")[0]["changed_fields"]["plugin"], "deals");
    EXPECT_EQ(audit("beta", "tenant.plan.changed")[0]["changed_fields"]["plan"], "business");
    EXPECT_TRUE(audit("acme", "tenant.plugin.disabled").empty());  // only the tenant concerned
}

TEST_F(AuthSecurity, ResellersDefinePlansFromTheCliWithClearErrors) {
    auto bad_id = host_->cli({"tenant", "plan-set", "Bad Id!", "--users", "3"});
    EXPECT_EQ(bad_id.exit_code, 1);
    EXPECT_NE(bad_id.out.find("plan id 'Bad Id!'"), std::string::npos) << bad_id.out;
    EXPECT_NE(host_->cli({"tenant", "plan-set", "x", "--users", "-5"}).exit_code, 0);
    auto made = host_->cli({"tenant", "plan-set", "reseller-basic", "--name", "Reseller Basic", "--users", "7",
                            "--requests-per-minute", "600"});
    ASSERT_EQ(made.exit_code, 0) << made.out;
    // A second call changes only what it names.
    ASSERT_EQ(host_->cli({"tenant", "plan-set", "reseller-basic", "--scripts", "4"}).exit_code, 0);
    auto listed = host_->cli({"tenant", "plans"});
    std::smatch row;
    ASSERT_TRUE(std::regex_search(listed.out, row, std::regex("reseller-basic +Reseller Basic +7 +600 +0 +0 +4"))) << listed.out;
}

TEST_F(AuthSecurity, RecordAndStorageQuotasAnswer402NamingTheLimitButReadsAndDeletesStayOpen) {
    host_->createTenant("quota");
    ASSERT_EQ(host_->cli({"tenant", "plan-set", "tiny", "--name", "Tiny", "--records-per-plugin", "3"}).exit_code, 0);
    ASSERT_EQ(host_->cli({"tenant", "plan", "quota", "tiny"}).exit_code, 0);
    ASSERT_TRUE(eventually([&] { return host_->get("/api/v1/auth/plan", "quota").json()["plan"]["id"] == "tiny"; }));
    std::vector<std::string> ids;
    for (int i = 0; i < 3; ++i) {
        auto r = host_->post("/api/v1/contacts", "quota", {{"name", "Person " + std::to_string(i)}});
        ASSERT_EQ(r.status, 201) << r.body;
        ids.push_back(r.json()["id"]);
    }
    auto over = host_->post("/api/v1/contacts", "quota", {{"name", "One too many"}});
    EXPECT_EQ(over.status, 402) << over.body;
    EXPECT_EQ(over.json()["error"]["code"], "plan_limit_exceeded");
    EXPECT_EQ(over.json()["error"]["fields"]["records_per_plugin"], "limit 3 reached for contacts");
    // Companies are records of the same plugin.
    EXPECT_EQ(host_->post("/api/v1/companies", "quota", {{"name", "Acme Ltd"}}).status, 402);
    EXPECT_EQ(host_->get("/api/v1/contacts", "quota").status, 200);
    EXPECT_EQ(host_->request("PATCH", "/api/v1/contacts/" + ids[0], "quota", {{"name", "Renamed"}}).status, 200);
    EXPECT_EQ(host_->request("DELETE", "/api/v1/contacts/" + ids[1], "quota").status, 204);
    EXPECT_EQ(host_->post("/api/v1/contacts", "quota", {{"name", "Fits again"}}).status, 201);

    // Storage: grow the tenant past 1 MB, then give it a 1 MB plan.
    ASSERT_EQ(host_->cli({"tenant", "plan-set", "tiny", "--records-per-plugin", "0"}).exit_code, 0);
    ASSERT_TRUE(eventually([&] { return host_->post("/api/v1/contacts", "quota", {{"name", "Filler"}}).status == 201; }));
    std::uint64_t seed = 42;
    auto noise = [&] {
        std::string s;
        for (int i = 0; i < 9000; ++i) {
            seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
            s += static_cast<char>('a' + (seed >> 59) % 26);
        }
        return s;
    };
    for (int i = 0; i < 400 && host_->get("/api/v1/auth/plan", "quota").json()["usage"]["storage_bytes"] < 1100000; ++i)
        ASSERT_EQ(host_->post("/api/v1/contacts", "quota", {{"name", "Big " + std::to_string(i)}, {"notes", noise()}}).status, 201);
    ASSERT_EQ(host_->cli({"tenant", "plan-set", "tiny", "--storage-mb", "1"}).exit_code, 0);
    HttpResult full;
    ASSERT_TRUE(eventually([&] {
        full = host_->post("/api/v1/contacts", "quota", {{"name", "No room"}});
        return full.status == 402;
    })) << full.body;
    EXPECT_EQ(full.json()["error"]["fields"]["storage_mb"], "limit 1 reached");
    EXPECT_EQ(host_->request("PATCH", "/api/v1/contacts/" + ids[0], "quota", {{"name", "No room either"}}).status, 402);
    EXPECT_EQ(host_->get("/api/v1/contacts?limit=5", "quota").status, 200);
    EXPECT_EQ(host_->request("DELETE", "/api/v1/contacts/" + ids[0], "quota").status, 204);
    EXPECT_EQ(host_->get("/api/v1/auth/me", "quota").status, 200);
    // Other tenants are not affected.
    EXPECT_EQ(host_->post("/api/v1/contacts", "acme", {{"name", "Unaffected"}}).status, 201);
}

TEST_F(AuthSecurity, ThePlansRequestRateIsEnforcedWith429AndRetryAfter) {
    host_->createTenant("gamma");
    auto plan = host_->cli({"tenant", "plan", "gamma", "starter"});
    ASSERT_EQ(plan.exit_code, 0) << plan.out;
    EXPECT_NE(host_->cli({"tenant", "plan", "gamma", "platinum"}).out.find("no plan 'platinum'"), std::string::npos);
    ASSERT_TRUE(eventually([&] { return host_->get("/api/v1/auth/plan", "gamma").json()["plan"]["id"] == "starter"; }));
    int limited = 0, ok = 0;
    HttpResult last;
    for (int i = 0; i < 200 && limited == 0; ++i) {
        last = host_->get("/api/v1/contacts", "gamma");
        if (last.status == 429) ++limited;
        else if (last.status == 200) ++ok;
    }
    ASSERT_EQ(limited, 1) << "starter allows 120 requests per minute";
    EXPECT_GE(ok, 100);
    EXPECT_FALSE(last.header("retry-after").empty());
    EXPECT_EQ(last.json()["error"]["code"], "rate_limited");
    EXPECT_EQ(last.json()["error"]["fields"]["requests_per_minute"], 120);
    // Other tenants are not affected.
    EXPECT_EQ(host_->get("/api/v1/contacts", "acme").status, 200);
}

TEST_F(AuthSecurity, ThePlansUserLimitIsEnforcedWith402NamingTheLimit) {
    host_->createTenant("delta");
    ASSERT_EQ(host_->cli({"tenant", "plan", "delta", "starter"}).exit_code, 0);
    ASSERT_TRUE(eventually([&] { return host_->get("/api/v1/auth/plan", "delta").json()["plan"]["id"] == "starter"; }));
    makeUser("delta", "two@delta.example", "member");
    makeUser("delta", "three@delta.example", "member");
    auto over = host_->request("POST", "/api/v1/users", "delta", {{"email", "four@delta.example"}, {"role", "member"}});
    EXPECT_EQ(over.status, 402) << over.body;
    EXPECT_EQ(over.json()["error"]["code"], "plan_limit_exceeded");
    EXPECT_TRUE(over.json()["error"]["fields"].contains("users"));
    auto usage = host_->get("/api/v1/auth/plan", "delta").json();
    EXPECT_EQ(usage["usage"]["users"], 3);
    EXPECT_EQ(usage["limits"]["users"], 3);
}

TEST_F(AuthSecurity, TenantCreateValidatesTheAdminEmailAndPrintsCredentialsOnce) {
    auto bad = host_->cli({"tenant", "create", "epsilon", "--admin-email", "not-an-email"});
    EXPECT_NE(bad.exit_code, 0);
    EXPECT_NE(bad.out.find("--admin-email"), std::string::npos) << bad.out;
    EXPECT_EQ(host_->cli({"tenant", "list", "--json"}).out.find("epsilon"), std::string::npos) << "nothing half-created";
    auto good = host_->cli({"tenant", "create", "epsilon", "--admin-email", "boss@epsilon.example", "--plan", "business"});
    ASSERT_EQ(good.exit_code, 0) << good.out;
    EXPECT_NE(good.out.find("one-time password: "), std::string::npos);
    EXPECT_NE(good.out.find("api token: tsk_"), std::string::npos);
    EXPECT_EQ(host_->cli({"tenant", "plans"}).exit_code, 0);
}

}  // namespace
}  // namespace tessera::test
