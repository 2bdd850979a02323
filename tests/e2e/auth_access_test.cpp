// Identity on every route: 401 without one, tenant-bound tokens, scopes, revocation,
// expiry, roles, and the audit trail of each.
#include <regex>

#include "auth_fixture.hpp"

namespace tessera::test {
namespace {

class AuthAccess : public AuthTest {};

TEST_F(AuthAccess, AnonymousRequestsGet401WithABearerChallengeButHealthStaysPublic) {
    auto r = host_->request("GET", "/api/v1/contacts", "acme", nullptr, anonymous());
    EXPECT_EQ(r.status, 401) << r.body;
    EXPECT_EQ(r.header("www-authenticate"), "Bearer");
    EXPECT_EQ(r.json()["error"]["code"], "authentication_required");
    EXPECT_FALSE(r.json()["request_id"].get<std::string>().empty());
    auto write = host_->request("POST", "/api/v1/contacts", "acme", {{"name", "Nobody"}}, anonymous());
    EXPECT_EQ(write.status, 401);
    EXPECT_EQ(httpRequest(host_->port(), "GET", "/healthz").status, 200);
    EXPECT_EQ(host_->request("GET", "/api/v1/auth/me", "acme", nullptr, bearer("tsk_not-a-real-token")).status, 401);
    EXPECT_EQ(host_->request("GET", "/api/v1/auth/me", "acme", nullptr, {{"Authorization", "Basic b3duZXI6cHc="}}).status,
              401);
}

TEST_F(AuthAccess, AnotherTenantsTokenIs401AndNeverData) {
    auto created = host_->request("POST", "/api/v1/contacts", "acme", {{"name", "Acme Secret Customer"}});
    ASSERT_EQ(created.status, 201) << created.body;
    const std::string id = created.json()["id"];
    const auto acme_token = bearer(host_->ownerToken("acme"));
    for (const std::string& target : std::vector<std::string>{"/api/v1/contacts", "/api/v1/contacts/" + id, "/api/v1/auth/me", "/api/v1/audit"}) {
        auto r = host_->request("GET", target, "beta", nullptr, acme_token);
        EXPECT_EQ(r.status, 401) << target << " " << r.body;
        EXPECT_EQ(r.body.find("Acme Secret Customer"), std::string::npos);
        EXPECT_EQ(r.body.find("owner@acme"), std::string::npos);
    }
    EXPECT_EQ(host_->request("DELETE", "/api/v1/contacts/" + id, "beta", nullptr, acme_token).status, 401);
    // The owner's own tenant still works, and beta's log shows the rejected attempts.
    EXPECT_EQ(host_->request("GET", "/api/v1/contacts/" + id, "acme", nullptr, acme_token).status, 200);
    auto rejected = audit("beta", "auth.token.rejected");
    ASSERT_FALSE(rejected.empty());
    EXPECT_EQ(rejected[0]["status"], 401);
    EXPECT_EQ(rejected[0]["client_address"], "127.0.0.1");
}

TEST_F(AuthAccess, ATokenWithoutTheScopeGets403NamingThePermission) {
    auto created = host_->request("POST", "/api/v1/tokens", "acme",
                                  {{"name", "read-only report"}, {"scopes", {"contacts.read"}}});
    ASSERT_EQ(created.status, 201) << created.body;
    const std::string token = created.json()["token"];
    EXPECT_EQ(token.rfind("tsk_", 0), 0u);
    EXPECT_EQ(created.json()["scopes"], Json({"contacts.read"}));
    EXPECT_EQ(host_->request("GET", "/api/v1/contacts", "acme", nullptr, bearer(token)).status, 200);
    auto denied = host_->request("POST", "/api/v1/contacts", "acme", {{"name", "Not allowed"}}, bearer(token));
    EXPECT_EQ(denied.status, 403) << denied.body;
    EXPECT_EQ(denied.json()["error"]["code"], "permission_denied");
    EXPECT_EQ(denied.json()["error"]["fields"]["permission"], "contacts.write");
    EXPECT_NE(denied.json()["error"]["message"].get<std::string>().find("contacts.write"), std::string::npos);
    EXPECT_EQ(host_->request("GET", "/api/v1/audit", "acme", nullptr, bearer(token)).status, 403);
    // The token is listed without its secret; the audit log names it.
    auto list = host_->get("/api/v1/tokens", "acme");
    ASSERT_EQ(list.status, 200);
    EXPECT_EQ(list.body.find(token), std::string::npos);
    // Newest first: the audit read, then the contact write.
    auto denials = audit("acme", "auth.permission.denied");
    ASSERT_GE(denials.size(), 2u);
    EXPECT_EQ(denials[0]["route"], "/api/v1/audit");
    EXPECT_EQ(denials[1]["route"], "/api/v1/contacts");
    EXPECT_EQ(denials[1]["actor"]["credential_id"], created.json()["id"]);
    auto creations = audit("acme", "auth.token.created");
    ASSERT_FALSE(creations.empty());
    EXPECT_EQ(creations[0]["changed_fields"]["token_id"], created.json()["id"]);
}

TEST_F(AuthAccess, ScopesCannotExceedTheCreatorsPermissionsOrNameUnknownOnes) {
    makeUser("acme", "reader@acme.example", "readonly");
    const std::string token = tokenFor("acme", "reader@acme.example", "correct horse battery staple");
    auto wider = host_->request("POST", "/api/v1/tokens", "acme", {{"name", "escalate"}, {"scopes", {"contacts.write"}}},
                                bearer(token));
    EXPECT_EQ(wider.status, 422) << wider.body;
    EXPECT_NE(wider.json()["error"]["fields"]["scopes"].get<std::string>().find("contacts.write"), std::string::npos);
    auto unknown = host_->request("POST", "/api/v1/tokens", "acme", {{"name", "x"}, {"scopes", {"nothing.here"}}});
    EXPECT_EQ(unknown.status, 422);
    EXPECT_NE(unknown.body.find("nothing.here"), std::string::npos);
}

TEST_F(AuthAccess, RevokedTokensAreRefusedAtOnce) {
    auto created = host_->request("POST", "/api/v1/tokens", "acme", {{"name", "to revoke"}});
    ASSERT_EQ(created.status, 201);
    const std::string token = created.json()["token"], id = created.json()["id"];
    EXPECT_EQ(host_->request("GET", "/api/v1/contacts", "acme", nullptr, bearer(token)).status, 200);
    EXPECT_EQ(host_->request("DELETE", "/api/v1/tokens/" + id, "acme").status, 204);
    auto after = host_->request("GET", "/api/v1/contacts", "acme", nullptr, bearer(token));
    EXPECT_EQ(after.status, 401);
    EXPECT_EQ(after.json()["error"]["code"], "invalid_token");
    EXPECT_NE(after.header("www-authenticate").find("invalid_token"), std::string::npos);
    EXPECT_FALSE(audit("acme", "auth.token.revoked").empty());
    // Listing shows when it was revoked.
    bool listed = false;
    for (const auto& t : Json(host_->get("/api/v1/tokens", "acme").json()["data"]))
        if (t["id"] == id) listed = !t["revoked_at"].is_null();
    EXPECT_TRUE(listed);
}

TEST_F(AuthAccess, TokensRevokedFromTheCliStopWorkingWithinASecondOrSo) {
    auto made = host_->cli({"token", "create", "--tenant", "acme", "--email", TestHost::ownerEmail("acme"), "--name",
                            "ci", "--scopes", "contacts.read"});
    ASSERT_EQ(made.exit_code, 0) << made.out;
    std::smatch printed;
    ASSERT_TRUE(std::regex_search(made.out, printed, std::regex("(^|\n)(tsk_[A-Za-z0-9_-]+)"))) << made.out;
    const std::string token = printed[2];
    ASSERT_EQ(token.rfind("tsk_", 0), 0u) << made.out;
    EXPECT_EQ(host_->request("GET", "/api/v1/contacts", "acme", nullptr, bearer(token)).status, 200);
    std::string id;
    for (const auto& t : Json(host_->get("/api/v1/tokens", "acme").json()["data"]))
        if (t["name"] == "ci") id = t["id"];
    ASSERT_FALSE(id.empty());
    auto revoked = host_->cli({"token", "revoke", id, "--tenant", "acme"});
    ASSERT_EQ(revoked.exit_code, 0) << revoked.out;
    const auto start = std::chrono::steady_clock::now();
    EXPECT_TRUE(eventually([&] {
        return host_->request("GET", "/api/v1/contacts", "acme", nullptr, bearer(token)).status == 401;
    }, std::chrono::seconds(3)));
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(2500));
    auto bad = host_->cli({"token", "create", "--tenant", "acme", "--email", "ghost@acme.example", "--name", "x"});
    EXPECT_EQ(bad.exit_code, 1);
    EXPECT_NE(bad.out.find("no user ghost@acme.example"), std::string::npos) << bad.out;
}

TEST_F(AuthAccess, ExpiredTokensAreRefused) {
    const auto soon = std::chrono::system_clock::now() + std::chrono::seconds(2);
    const std::time_t t = std::chrono::system_clock::to_time_t(soon);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char at[32];
    std::strftime(at, sizeof at, "%Y-%m-%dT%H:%M:%SZ", &tm);
    auto created = host_->request("POST", "/api/v1/tokens", "acme", {{"name", "short"}, {"expires_at", at}});
    ASSERT_EQ(created.status, 201) << created.body;
    const std::string token = created.json()["token"];
    EXPECT_EQ(host_->request("GET", "/api/v1/contacts", "acme", nullptr, bearer(token)).status, 200);
    EXPECT_TRUE(eventually([&] {
        return host_->request("GET", "/api/v1/contacts", "acme", nullptr, bearer(token)).status == 401;
    }, std::chrono::seconds(6)));
    EXPECT_EQ(host_->request("POST", "/api/v1/tokens", "acme", {{"name", "past"}, {"expires_at", "2001-01-01T00:00:00Z"}})
                  .status,
              422);
}

TEST_F(AuthAccess, BuiltInRolesGrantWhatTheyPromise) {
    makeUser("acme", "member@acme.example", "member");
    makeUser("acme", "viewer@acme.example", "readonly");
    makeUser("acme", "admin@acme.example", "admin");
    const auto member = bearer(tokenFor("acme", "member@acme.example", "correct horse battery staple"));
    const auto viewer = bearer(tokenFor("acme", "viewer@acme.example", "correct horse battery staple"));
    const auto admin = bearer(tokenFor("acme", "admin@acme.example", "correct horse battery staple"));
    EXPECT_EQ(host_->request("POST", "/api/v1/contacts", "acme", {{"name", "By member"}}, member).status, 201);
    EXPECT_EQ(host_->request("GET", "/api/v1/contacts", "acme", nullptr, viewer).status, 200);
    auto refused = host_->request("POST", "/api/v1/contacts", "acme", {{"name", "By viewer"}}, viewer);
    EXPECT_EQ(refused.status, 403);
    EXPECT_EQ(refused.json()["error"]["fields"]["permission"], "contacts.write");
    EXPECT_EQ(host_->request("GET", "/api/v1/audit", "acme", nullptr, member).status, 403);
    EXPECT_EQ(host_->request("GET", "/api/v1/audit", "acme", nullptr, admin).status, 200);
    // Only an Owner manages roles.
    auto role = host_->request("POST", "/api/v1/roles", "acme", {{"name", "Sneaky"}, {"permissions", {"*"}}}, admin);
    EXPECT_EQ(role.status, 403);
    EXPECT_EQ(role.json()["error"]["fields"]["permission"], "roles.manage");
    // An Admin cannot make an Owner.
    auto owner = host_->request("POST", "/api/v1/users", "acme",
                                {{"email", "boss2@acme.example"}, {"role", "owner"}}, admin);
    EXPECT_EQ(owner.status, 403);
    auto me = host_->request("GET", "/api/v1/auth/me", "acme", nullptr, viewer).json();
    EXPECT_EQ(me["user"]["role"], "readonly");
    for (const auto& p : me["permissions"]) EXPECT_EQ(p.get<std::string>().substr(p.get<std::string>().rfind('.')), ".read");
}

TEST_F(AuthAccess, CustomRolesMapToDeclaredPermissionsOnly) {
    auto bad = host_->request("POST", "/api/v1/roles", "acme",
                              {{"name", "Broken"}, {"permissions", {"contacts.read", "contacts.fly"}}});
    EXPECT_EQ(bad.status, 422) << bad.body;
    EXPECT_NE(bad.json()["error"]["fields"]["permissions"].get<std::string>().find("contacts.fly"), std::string::npos);
    auto role = host_->request("POST", "/api/v1/roles", "acme",
                               {{"name", "Sales"}, {"permissions", {"contacts.read", "contacts.write"}},
                                {"access", {{"contacts", {{"hidden_fields", {"tax_id"}}}}}}});
    ASSERT_EQ(role.status, 201) << role.body;
    const std::string role_id = role.json()["id"];
    EXPECT_EQ(role.json()["granted"], Json({"contacts.read", "contacts.write"}));
    makeUser("acme", "sales@acme.example", role_id);
    const auto sales = bearer(tokenFor("acme", "sales@acme.example", "correct horse battery staple"));
    EXPECT_EQ(host_->request("GET", "/api/v1/contacts", "acme", nullptr, sales).status, 200);
    EXPECT_EQ(host_->request("DELETE", "/api/v1/contacts/ct_doesnotexist", "acme", nullptr, sales).status, 403);
    // Narrowing the role applies to existing credentials.
    ASSERT_EQ(host_->request("PUT", "/api/v1/roles/" + role_id, "acme", {{"permissions", {"contacts.read"}}}).status, 200);
    EXPECT_EQ(host_->request("POST", "/api/v1/contacts", "acme", {{"name", "After narrowing"}}, sales).status, 403);
    EXPECT_EQ(host_->request("DELETE", "/api/v1/roles/" + role_id, "acme").status, 409);
    EXPECT_EQ(host_->request("DELETE", "/api/v1/roles/owner", "acme").status, 409);
    EXPECT_EQ(host_->request("PUT", "/api/v1/roles/owner", "acme", {{"permissions", {"contacts.read"}}}).status, 422);
    auto changes = audit("acme", "auth.role.*");
    ASSERT_GE(changes.size(), 2u);
    EXPECT_EQ(changes[0]["action"], "auth.role.updated");
}

TEST_F(AuthAccess, NobodyHandsOutPermissionsTheyDoNotHold) {
    // An Admin lacks roles.manage; a custom role that grants it must stay out of their reach.
    auto keys = host_->request("POST", "/api/v1/roles", "acme", {{"name", "Key holders"}, {"permissions", {"roles.manage"}}});
    ASSERT_EQ(keys.status, 201) << keys.body;
    const std::string keys_id = keys.json()["id"];
    makeUser("acme", "admin2@acme.example", "admin");
    auto member = makeUser("acme", "climber@acme.example", "member");
    const auto admin = bearer(tokenFor("acme", "admin2@acme.example", "correct horse battery staple"));
    auto promote = host_->request("PATCH", "/api/v1/users/" + member["id"].get<std::string>(), "acme", {{"role", keys_id}}, admin);
    EXPECT_EQ(promote.status, 422) << promote.body;
    EXPECT_NE(promote.json()["error"]["fields"]["role"].get<std::string>().find("roles.manage"), std::string::npos);
    auto create = host_->request("POST", "/api/v1/users", "acme",
                                 {{"email", "sneaky@acme.example"}, {"role", keys_id}, {"password", "correct horse battery staple"}},
                                 admin);
    EXPECT_EQ(create.status, 422) << create.body;
    // Within what the Admin holds, assignment works.
    EXPECT_EQ(host_->request("PATCH", "/api/v1/users/" + member["id"].get<std::string>(), "acme", {{"role", "readonly"}}, admin)
                  .status,
              200);
}

TEST_F(AuthAccess, RolesCanLimitARoleToItsOwnRecordsAndHideFields) {
    auto role = host_->request("POST", "/api/v1/roles", "acme",
                               {{"name", "Field sales"},
                                {"permissions", {"contacts.read", "contacts.write", "contacts.delete", "contacts.export"}},
                                {"access", {{"contacts", {{"own_records_only", true}, {"hidden_fields", {"tax_id"}}}}}}});
    ASSERT_EQ(role.status, 201) << role.body;
    const std::string seller_id = makeUser("acme", "seller@acme.example", role.json()["id"])["id"];
    const auto seller = bearer(tokenFor("acme", "seller@acme.example", "correct horse battery staple"));
    auto others = host_->request("POST", "/api/v1/contacts", "acme", {{"name", "Someone else's lead"}, {"tax_id", "DE123"}});
    ASSERT_EQ(others.status, 201) << others.body;
    const std::string others_id = others.json()["id"];
    auto mine = host_->request("POST", "/api/v1/contacts", "acme", {{"name", "My lead"}}, seller);
    ASSERT_EQ(mine.status, 201) << mine.body;
    EXPECT_EQ(mine.json()["owner_id"], seller_id);
    EXPECT_FALSE(mine.json().contains("tax_id"));
    auto list = host_->request("GET", "/api/v1/contacts?limit=200", "acme", nullptr, seller);
    ASSERT_EQ(list.status, 200);
    for (const auto& c : Json(list.json()["data"])) {
        EXPECT_EQ(c["owner_id"], seller_id);
        EXPECT_FALSE(c.contains("tax_id"));
    }
    EXPECT_EQ(list.json()["data"].size(), 1u);
    EXPECT_EQ(host_->request("GET", "/api/v1/contacts/" + others_id, "acme", nullptr, seller).status, 404);
    EXPECT_EQ(host_->request("PATCH", "/api/v1/contacts/" + others_id, "acme", {{"name", "Stolen"}}, seller).status, 404);
    EXPECT_EQ(host_->request("DELETE", "/api/v1/contacts/" + others_id, "acme", nullptr, seller).status, 404);
    // Exports follow the same rules: own rows only, no hidden column.
    auto csv = host_->request("GET", "/api/v1/contacts/export", "acme", nullptr, seller);
    ASSERT_EQ(csv.status, 200) << csv.body;
    EXPECT_NE(csv.body.find("My lead"), std::string::npos);
    EXPECT_EQ(csv.body.find("Someone else"), std::string::npos);
    EXPECT_EQ(csv.body.find("tax_id"), std::string::npos) << csv.body.substr(0, 300);
    auto json_export = host_->request("GET", "/api/v1/contacts/export?format=json", "acme", nullptr, seller);
    EXPECT_EQ(json_export.json().size(), 1u) << json_export.body.substr(0, 300);
    auto hidden = host_->request("POST", "/api/v1/contacts", "acme", {{"name", "Sneaky"}, {"tax_id", "X1"}}, seller);
    EXPECT_EQ(hidden.status, 422);
    EXPECT_TRUE(hidden.json()["error"]["fields"].contains("tax_id")) << hidden.body;
    // The Owner still sees everything, tax ids included.
    auto full = host_->get("/api/v1/contacts/" + others_id, "acme");
    EXPECT_EQ(full.json()["tax_id"], "DE123");
}

TEST_F(AuthAccess, ASalespersonSeesOnlyTheirOwnDealsOnListsBoardsAndForecasts) {
    auto pipeline = host_->post("/api/v1/pipelines", "acme",
                                {{"name", "Field sales"}, {"stages", {{{"name", "New"}, {"probability", 10}},
                                                                      {{"name", "Proposal"}, {"probability", 50}}}}});
    ASSERT_EQ(pipeline.status, 201) << pipeline.body;
    const std::string pipeline_id = pipeline.json()["id"];
    auto role = host_->post("/api/v1/roles", "acme",
                            {{"name", "Sales reps"},
                             {"permissions", {"deals.read", "deals.write", "deals.delete"}},
                             {"access", {{"deals", {{"own_records_only", true}, {"hidden_fields", {"lost_reason_id"}}}}}}});
    ASSERT_EQ(role.status, 201) << role.body;
    makeUser("acme", "rep1@acme.example", role.json()["id"]);
    makeUser("acme", "rep2@acme.example", role.json()["id"]);
    const auto rep1 = bearer(tokenFor("acme", "rep1@acme.example", "correct horse battery staple"));
    const auto rep2 = bearer(tokenFor("acme", "rep2@acme.example", "correct horse battery staple"));
    auto deal = [&](const std::map<std::string, std::string>& who, const std::string& title) {
        auto r = host_->request("POST", "/api/v1/deals", "acme",
                                {{"title", title}, {"amount", 1000}, {"currency", "EUR"}, {"pipeline_id", pipeline_id},
                                 {"expected_close_date", "2031-03-15"}},
                                who);
        EXPECT_EQ(r.status, 201) << r.body;
        return r.json();
    };
    const auto mine = deal(rep1, "Rep one's deal");
    const auto theirs = deal(rep2, "Rep two's deal");
    EXPECT_FALSE(mine.contains("lost_reason_id")) << mine.dump();  // hidden for the role
    const std::string their_id = theirs["id"];
    // Another rep's deal does not exist for rep one, whatever the route.
    EXPECT_EQ(host_->request("GET", "/api/v1/deals/" + their_id, "acme", nullptr, rep1).status, 404);
    EXPECT_EQ(host_->request("PATCH", "/api/v1/deals/" + their_id, "acme", {{"title", "Mine now"}}, rep1).status, 404);
    EXPECT_EQ(host_->request("DELETE", "/api/v1/deals/" + their_id, "acme", nullptr, rep1).status, 404);
    EXPECT_EQ(host_->request("GET", "/api/v1/deals/" + their_id + "/history", "acme", nullptr, rep1).status, 404);
    auto list = host_->request("GET", "/api/v1/deals?filter[pipeline_id]=" + pipeline_id, "acme", nullptr, rep1).json();
    ASSERT_EQ(list["data"].size(), 1u) << list.dump();
    EXPECT_EQ(list["data"][0]["id"], mine["id"]);
    auto board = host_->request("GET", "/api/v1/pipelines/" + pipeline_id + "/board", "acme", nullptr, rep1);
    ASSERT_EQ(board.status, 200) << board.body;
    EXPECT_EQ(board.body.find(their_id), std::string::npos);
    EXPECT_NE(board.body.find(mine["id"].get<std::string>()), std::string::npos);
    auto forecast = host_->request("GET", "/api/v1/deals/forecast?pipeline_id=" + pipeline_id + "&from=2031-03&to=2031-03",
                                   "acme", nullptr, rep1);
    ASSERT_EQ(forecast.status, 200) << forecast.body;
    EXPECT_EQ(forecast.json()["totals"][0]["open_count"], 1) << forecast.body;
    EXPECT_EQ(forecast.json()["totals"][0]["open_amount"], 1000) << forecast.body;
    // Records cannot be given away or created for someone else; hidden fields are not writable.
    auto give = host_->request("PATCH", "/api/v1/deals/" + mine["id"].get<std::string>(), "acme",
                               {{"owner_id", theirs["owner_id"]}}, rep1);
    EXPECT_EQ(give.status, 422) << give.body;
    EXPECT_TRUE(give.json()["error"]["fields"].contains("owner_id"));
    auto hidden = host_->request("POST", "/api/v1/deals", "acme",
                                 {{"title", "x"}, {"currency", "EUR"}, {"lost_reason_id", nullptr}}, rep1);
    EXPECT_EQ(hidden.status, 422) << hidden.body;
    EXPECT_EQ(host_->request("GET", "/api/v1/deals?sort=lost_reason_id", "acme", nullptr, rep1).status, 400);
    // The owner sees both.
    auto all = host_->get("/api/v1/deals?filter[pipeline_id]=" + pipeline_id, "acme").json();
    EXPECT_EQ(all["data"].size(), 2u);
    EXPECT_EQ(host_->get("/api/v1/deals/forecast?pipeline_id=" + pipeline_id + "&from=2031-03&to=2031-03", "acme")
                  .json()["totals"][0]["open_count"],
              2);
}

TEST_F(AuthAccess, TheLastOwnerCannotBeDemotedOrDisabled) {
    auto users = host_->get("/api/v1/users", "acme").json()["data"];
    std::string owner_id;
    for (const auto& u : users)
        if (u["email"] == TestHost::ownerEmail("acme")) owner_id = u["id"];
    ASSERT_FALSE(owner_id.empty());
    auto demote = host_->request("PATCH", "/api/v1/users/" + owner_id, "acme", {{"role", "member"}});
    EXPECT_EQ(demote.status, 409);
    EXPECT_EQ(demote.json()["error"]["code"], "last_owner");
    EXPECT_EQ(host_->request("PATCH", "/api/v1/users/" + owner_id, "acme", {{"status", "disabled"}}).status, 409);
}

TEST_F(AuthAccess, DisablingAUserEndsItsTokens) {
    makeUser("acme", "leaver@acme.example", "member");
    const auto leaver = bearer(tokenFor("acme", "leaver@acme.example", "correct horse battery staple"));
    EXPECT_EQ(host_->request("GET", "/api/v1/contacts", "acme", nullptr, leaver).status, 200);
    std::string id;
    for (const auto& u : Json(host_->get("/api/v1/users", "acme").json()["data"]))
        if (u["email"] == "leaver@acme.example") id = u["id"];
    ASSERT_EQ(host_->request("PATCH", "/api/v1/users/" + id, "acme", {{"status", "disabled"}}).status, 200);
    EXPECT_EQ(host_->request("GET", "/api/v1/contacts", "acme", nullptr, leaver).status, 401);
    EXPECT_EQ(login("acme", "leaver@acme.example", "correct horse battery staple").status, 401);
}

TEST_F(AuthAccess, EveryStateChangingRequestIsAuditedWithSecretsMasked) {
    auto created = host_->request("POST", "/api/v1/contacts", "acme",
                                  {{"name", "Audited"}, {"email", "audited@example.com"}, {"api_token", "s3cr3t"}});
    ASSERT_TRUE(created.status == 201 || created.status == 422) << created.body;
    auto entries = audit("acme", "POST%20/api/v1/contacts");
    ASSERT_FALSE(entries.empty());
    const auto& e = entries[0];
    EXPECT_EQ(e["method"], "POST");
    EXPECT_EQ(e["status"], created.status);
    EXPECT_EQ(e["actor"]["name"], TestHost::ownerEmail("acme"));
    EXPECT_EQ(e["changed_fields"]["name"], "Audited");
    EXPECT_EQ(e["changed_fields"]["api_token"], "***");
    EXPECT_EQ(e["client_address"], "127.0.0.1");
    EXPECT_EQ(entries.dump().find("s3cr3t"), std::string::npos);
    // Pagination: newest first, cursor to the next page, filters by actor and time.
    auto page1 = host_->get("/api/v1/audit?limit=2", "acme").json();
    ASSERT_EQ(page1["data"].size(), 2u);
    ASSERT_TRUE(page1["next_cursor"].is_string());
    auto page2 = host_->get("/api/v1/audit?limit=2&cursor=" + page1["next_cursor"].get<std::string>(), "acme").json();
    ASSERT_FALSE(page2["data"].empty());
    EXPECT_NE(page1["data"][1]["id"], page2["data"][0]["id"]);
    auto actor = e["actor"]["id"].get<std::string>();
    for (const auto& x : Json(host_->get("/api/v1/audit?actor=" + actor, "acme").json()["data"])) EXPECT_EQ(x["actor"]["id"], actor);
    EXPECT_TRUE(host_->get("/api/v1/audit?until=2000-01-01T00:00:00Z", "acme").json()["data"].empty());
    EXPECT_FALSE(host_->get("/api/v1/audit?since=2000-01-01", "acme").json()["data"].empty());
}

}  // namespace
}  // namespace tessera::test
