// Sign-in: sessions with CSRF, throttling, password reset through the outbox, TOTP.

#include <ctime>
#include <cstdlib>
#include <regex>

#include "auth_fixture.hpp"
#include "totp_code.hpp"

namespace tessera::test {
namespace {

class AuthLogin : public AuthTest {};

TEST_F(AuthLogin, ASessionCookieIsHttpOnlyLaxAndStateChangesNeedTheCsrfToken) {
    makeUser("acme", "web@acme.example", "member");
    auto r = login("acme", "web@acme.example", kPassword);
    ASSERT_EQ(r.status, 200) << r.body;
    const std::string set = r.header("set-cookie");
    EXPECT_NE(set.find("tessera_session="), std::string::npos);
    EXPECT_NE(set.find("HttpOnly"), std::string::npos);
    EXPECT_NE(set.find("SameSite=Lax"), std::string::npos);
    EXPECT_EQ(set.find("Secure"), std::string::npos) << "plain HTTP: no Secure flag";
    // Neither the password nor its hash comes back.
    EXPECT_EQ(r.body.find(kPassword), std::string::npos);
    EXPECT_EQ(r.body.find("password_hash"), std::string::npos);
    EXPECT_EQ(r.body.find("$argon2"), std::string::npos);
    const std::string csrf = r.json()["csrf_token"];
    const std::map<std::string, std::string> cookie{{"Cookie", sessionCookie(r)}};
    auto me = host_->request("GET", "/api/v1/auth/me", "acme", nullptr, cookie);
    ASSERT_EQ(me.status, 200) << me.body;
    EXPECT_EQ(me.json()["user"]["email"], "web@acme.example");
    EXPECT_EQ(me.json()["csrf_token"], csrf);
    auto no_csrf = host_->request("POST", "/api/v1/contacts", "acme", {{"name", "From a form"}}, cookie);
    EXPECT_EQ(no_csrf.status, 403);
    EXPECT_EQ(no_csrf.json()["error"]["code"], "csrf_failed");
    auto with_csrf = cookie;
    with_csrf["X-CSRF-Token"] = csrf;
    EXPECT_EQ(host_->request("POST", "/api/v1/contacts", "acme", {{"name", "From a form"}}, with_csrf).status, 201);
    auto wrong = cookie;
    wrong["X-CSRF-Token"] = csrf + "x";
    EXPECT_EQ(host_->request("POST", "/api/v1/contacts", "acme", {{"name", "x"}}, wrong).status, 403);
    EXPECT_FALSE(audit("acme", "auth.csrf.rejected").empty());
    // X-Forwarded-Proto from a peer that is not a trusted proxy is not believed (see
    // AuthProxies for the cookie behind a trusted TLS proxy).
    auto forged = login("acme", "web@acme.example", kPassword, Json::object(), {{"X-Forwarded-Proto", "https"}});
    EXPECT_EQ(forged.header("set-cookie").find("; Secure"), std::string::npos);
    // Logout ends the session.
    EXPECT_EQ(host_->request("POST", "/api/v1/auth/logout", "acme", nullptr, with_csrf).status, 204);
    EXPECT_EQ(host_->request("GET", "/api/v1/auth/me", "acme", nullptr, cookie).status, 401);
    auto ok = audit("acme", "auth.login.succeeded");
    ASSERT_FALSE(ok.empty());
    EXPECT_EQ(ok[0]["actor"]["name"], "web@acme.example");
}

TEST_F(AuthLogin, UnknownEmailAndWrongPasswordAnswerTheSame) {
    makeUser("acme", "same@acme.example", "member");
    auto wrong = login("acme", "same@acme.example", "not the password at all");
    auto unknown = login("acme", "nobody@acme.example", "not the password at all");
    EXPECT_EQ(wrong.status, 401);
    EXPECT_EQ(unknown.status, 401);
    EXPECT_EQ(wrong.json()["error"], unknown.json()["error"]);
    EXPECT_EQ(wrong.header("set-cookie"), "");
    auto failed = audit("acme", "auth.login.failed");
    ASSERT_GE(failed.size(), 2u);
    EXPECT_EQ(failed[0]["changed_fields"].value("password", ""), "");  // never logged
    EXPECT_EQ(failed.dump().find("not the password"), std::string::npos);
    auto missing = login("acme", "", "");
    EXPECT_EQ(missing.status, 422);
}

TEST_F(AuthLogin, RepeatedFailuresAreSlowedThenLockedEvenForTheRightPassword) {
    makeUser("acme", "target@acme.example", "member");
    int throttled_at = 0;
    for (int i = 1; i <= 6 && !throttled_at; ++i) {
        auto r = login("acme", "target@acme.example", "guess number " + std::to_string(i));
        if (r.status == 429) {
            throttled_at = i;
            EXPECT_FALSE(r.header("retry-after").empty());
            EXPECT_EQ(r.json()["error"]["code"], "too_many_attempts");
        } else {
            EXPECT_EQ(r.status, 401);
        }
    }
    EXPECT_EQ(throttled_at, 4) << "three free attempts, then a delay";
    // The right password does not get through the delay either...
    EXPECT_EQ(login("acme", "target@acme.example", kPassword).status, 429);
    // ...and an unknown email is throttled the same way (nothing reveals which exist).
    for (int i = 0; i < 3; ++i) login("acme", "ghost@acme.example", "guess");
    EXPECT_EQ(login("acme", "ghost@acme.example", "guess").status, 429);
    EXPECT_FALSE(audit("acme", "auth.login.throttled").empty());
    // After the delay it may try again.
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));
    EXPECT_EQ(login("acme", "target@acme.example", kPassword).status, 200);
}

// The counts are in the control database: a restart (or another host process on the same
// database) does not hand a guesser a fresh allowance.
TEST_F(AuthLogin, FailedLoginsStillCountAfterTheHostRestarts) {
    makeUser("acme", "restart@acme.example", "member");
    for (int i = 0; i < 3; ++i) EXPECT_EQ(login("acme", "restart@acme.example", "wrong").status, 401);
    // Each further failure doubles the wait: after the fifth it is 4 seconds.
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));
    EXPECT_EQ(login("acme", "restart@acme.example", "wrong").status, 401);
    std::this_thread::sleep_for(std::chrono::milliseconds(2100));
    EXPECT_EQ(login("acme", "restart@acme.example", "wrong").status, 401);
    host_->stop();
    ASSERT_TRUE(host_->start()) << host_->log();
    auto r = login("acme", "restart@acme.example", kPassword);
    EXPECT_EQ(r.status, 429) << r.body;
    EXPECT_FALSE(r.header("retry-after").empty());
}

TEST_F(AuthLogin, PasswordResetIsSingleUseAndEndsSessions) {
    makeUser("acme", "forgetful@acme.example", "member");
    auto session = login("acme", "forgetful@acme.example", kPassword);
    ASSERT_EQ(session.status, 200);
    auto known = host_->request("POST", "/api/v1/auth/password-reset/request", "acme",
                                {{"email", "forgetful@acme.example"}}, anonymous());
    auto unknown = host_->request("POST", "/api/v1/auth/password-reset/request", "acme",
                                  {{"email", "never@acme.example"}}, anonymous());
    EXPECT_EQ(known.status, 202);
    EXPECT_EQ(unknown.status, 202);
    EXPECT_EQ(known.body, unknown.body);
    // Development mode logs the outbox message; the link carries the token.
    std::smatch m;
    static const std::regex link("reset-password\\?tenant=acme&token=(rst_[A-Za-z0-9_-]+)");
    std::string token;
    ASSERT_TRUE(eventually([&] {
        const std::string log = host_->log();
        if (!std::regex_search(log, m, link)) return false;
        token = m[1];
        return true;
    })) << host_->log();
    auto weak = host_->request("POST", "/api/v1/auth/password-reset", "acme", {{"token", token}, {"password", "short"}},
                               anonymous());
    EXPECT_EQ(weak.status, 422);
    EXPECT_TRUE(weak.json()["error"]["fields"].contains("password"));
    const std::string fresh = "a brand new long passphrase";
    EXPECT_EQ(host_->request("POST", "/api/v1/auth/password-reset", "acme", {{"token", token}, {"password", fresh}},
                             anonymous())
                  .status,
              204);
    auto again = host_->request("POST", "/api/v1/auth/password-reset", "acme", {{"token", token}, {"password", fresh}},
                                anonymous());
    EXPECT_EQ(again.status, 422);
    EXPECT_EQ(host_->request("GET", "/api/v1/auth/me", "acme", nullptr, {{"Cookie", sessionCookie(session)}}).status, 401);
    EXPECT_EQ(login("acme", "forgetful@acme.example", kPassword).status, 401);
    EXPECT_EQ(login("acme", "forgetful@acme.example", fresh).status, 200);
    EXPECT_FALSE(audit("acme", "auth.password_reset.completed").empty());
}

TEST_F(AuthLogin, TotpEnrolmentVerificationRecoveryCodesAndReplay) {
    makeUser("acme", "careful@acme.example", "member");
    const auto me = bearer(tokenFor("acme", "careful@acme.example", kPassword));
    auto enrol = host_->request("POST", "/api/v1/auth/2fa/totp/enroll", "acme", nullptr, me);
    ASSERT_EQ(enrol.status, 200) << enrol.body;
    const std::string secret = enrol.json()["secret"];
    EXPECT_EQ(enrol.json()["provisioning_uri"].get<std::string>().rfind("otpauth://totp/", 0), 0u);
    EXPECT_NE(enrol.json()["provisioning_uri"].get<std::string>().find("secret=" + secret), std::string::npos);
    EXPECT_EQ(host_->request("POST", "/api/v1/auth/2fa/totp/verify", "acme", {{"code", "000000"}}, me).status, 422);
    // The next step's code: still inside the drift window, and not the one used to log in below.
    auto verified = host_->request("POST", "/api/v1/auth/2fa/totp/verify", "acme",
                                   {{"code", totpNow(secret, std::time(nullptr) - 30)}}, me);
    ASSERT_EQ(verified.status, 200) << verified.body;
    auto codes = verified.json()["recovery_codes"];
    ASSERT_EQ(codes.size(), 10u);

    auto no_code = login("acme", "careful@acme.example", kPassword);
    EXPECT_EQ(no_code.status, 401);
    EXPECT_EQ(no_code.json()["error"]["code"], "totp_required");
    EXPECT_EQ(login("acme", "careful@acme.example", kPassword, {{"totp_code", "123456"}}).status, 401);
    const std::string code = totpNow(secret);
    EXPECT_EQ(login("acme", "careful@acme.example", kPassword, {{"totp_code", code}}).status, 200);
    EXPECT_EQ(login("acme", "careful@acme.example", kPassword, {{"totp_code", code}}).status, 401) << "replayed code";
    EXPECT_EQ(login("acme", "careful@acme.example", kPassword, {{"recovery_code", codes[0]}}).status, 200);
    EXPECT_EQ(login("acme", "careful@acme.example", kPassword, {{"recovery_code", codes[0]}}).status, 401);
    EXPECT_FALSE(audit("acme", "auth.2fa.enabled").empty());
    // Removing 2FA needs the password.
    EXPECT_EQ(host_->request("DELETE", "/api/v1/auth/2fa/totp", "acme", {{"password", "wrong password!!"}}, me).status, 422);
    EXPECT_EQ(host_->request("DELETE", "/api/v1/auth/2fa/totp", "acme", {{"password", kPassword}}, me).status, 204);
    EXPECT_EQ(login("acme", "careful@acme.example", kPassword).status, 200);
    EXPECT_FALSE(audit("acme", "auth.2fa.disabled").empty());
}

TEST_F(AuthLogin, ATenantCanRequireTwoFactorForARole) {
    makeUser("beta", "sales@beta.example", "member");
    const auto member = bearer(tokenFor("beta", "sales@beta.example", kPassword));
    EXPECT_EQ(host_->request("GET", "/api/v1/contacts", "beta", nullptr, member).status, 200);
    auto bad = host_->request("PUT", "/api/v1/auth/settings", "beta", {{"require_2fa_roles", {"pilots"}}});
    EXPECT_EQ(bad.status, 422);
    ASSERT_EQ(host_->request("PUT", "/api/v1/auth/settings", "beta", {{"require_2fa_roles", {"member"}}}).status, 200);
    auto blocked = host_->request("GET", "/api/v1/contacts", "beta", nullptr, member);
    EXPECT_EQ(blocked.status, 403);
    EXPECT_EQ(blocked.json()["error"]["code"], "two_factor_required");
    auto me = host_->request("GET", "/api/v1/auth/me", "beta", nullptr, member);
    EXPECT_EQ(me.status, 200);
    EXPECT_TRUE(me.json()["two_factor_enrollment_required"].get<bool>());
    auto enrol = host_->request("POST", "/api/v1/auth/2fa/totp/enroll", "beta", nullptr, member);
    ASSERT_EQ(enrol.status, 200);
    ASSERT_EQ(host_->request("POST", "/api/v1/auth/2fa/totp/verify", "beta", {{"code", totpNow(enrol.json()["secret"])}},
                             member)
                  .status,
              200);
    EXPECT_EQ(host_->request("GET", "/api/v1/contacts", "beta", nullptr, member).status, 200);
    // The Owner is not in the list and was never blocked.
    EXPECT_EQ(host_->get("/api/v1/contacts", "beta").status, 200);
    ASSERT_EQ(host_->request("PUT", "/api/v1/auth/settings", "beta", {{"require_2fa_roles", Json::array()}}).status, 200);
    EXPECT_FALSE(audit("beta", "auth.settings.updated").empty());
}

TEST_F(AuthLogin, ALoginCanIssueABearerTokenAndTheCliOwnerPasswordWorks) {
    auto r = login("acme", TestHost::ownerEmail("acme"), host_->ownerPassword("acme"), {{"token", true}});
    ASSERT_EQ(r.status, 200) << r.body;
    const std::string token = r.json()["token"];
    EXPECT_EQ(host_->request("GET", "/api/v1/auth/me", "acme", nullptr, bearer(token)).json()["user"]["role"], "owner");
    EXPECT_EQ(host_->request("POST", "/api/v1/auth/logout", "acme", nullptr, bearer(token)).status, 204);
    EXPECT_EQ(host_->request("GET", "/api/v1/auth/me", "acme", nullptr, bearer(token)).status, 401);
}

// The password `tenant create` prints used to work for ever. It is one-time now: it
// expires, and a sign-in with it can only replace it. (beta's Owner: acme's keeps its own.)
TEST_F(AuthLogin, TheCliOwnerPasswordExpiresAndMustBeReplacedAtFirstSignIn) {
    const std::string email = TestHost::ownerEmail("beta"), first = host_->ownerPassword("beta");
    const std::string owner_where = " WHERE email_key = '" + email + "'";
    auto expires = host_->tenantSql("beta", "SELECT password_expires_at FROM auth_users" + owner_where);
    ASSERT_EQ(expires.size(), 1u);
    ASSERT_TRUE(expires[0][0].has_value()) << "tenant create sets an expiry";

    host_->tenantSql("beta", "UPDATE auth_users SET password_expires_at = '2020-01-01T00:00:00.000Z'" + owner_where);
    auto late = login("beta", email, first);
    EXPECT_EQ(late.status, 401) << late.body;
    EXPECT_EQ(late.json()["error"]["code"], "password_expired");
    EXPECT_EQ(late.json()["error"]["fields"]["password"], "expired") << late.body;
    host_->tenantSql("beta", "UPDATE auth_users SET password_expires_at = '" + *expires[0][0] + "'" + owner_where);

    auto r = login("beta", email, first, {{"token", true}});
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.json()["password_change_required"], true);
    const auto token = bearer(r.json()["token"]);
    EXPECT_EQ(host_->request("GET", "/api/v1/auth/me", "beta", nullptr, token).json()["password_change_required"], true);
    auto held = host_->request("GET", "/api/v1/contacts", "beta", nullptr, token);
    EXPECT_EQ(held.status, 403) << held.body;
    EXPECT_EQ(held.json()["error"]["code"], "password_change_required");
    auto cookie = std::map<std::string, std::string>{{"Cookie", sessionCookie(r)}};
    EXPECT_EQ(host_->request("GET", "/api/v1/contacts", "beta", nullptr, cookie).status, 403);
    // The API token tenant create printed was issued on purpose and keeps working.
    EXPECT_EQ(host_->get("/api/v1/contacts", "beta").status, 200);

    ASSERT_EQ(host_->request("POST", "/api/v1/auth/password", "beta",
                             {{"current_password", first}, {"new_password", "a passphrase of my own"}}, token)
                  .status,
              204);
    EXPECT_EQ(login("beta", email, first).status, 401);
    auto mine = login("beta", email, "a passphrase of my own", {{"token", true}});
    ASSERT_EQ(mine.status, 200) << mine.body;
    EXPECT_EQ(mine.json()["password_change_required"], false);
    EXPECT_EQ(host_->request("GET", "/api/v1/contacts", "beta", nullptr, bearer(mine.json()["token"])).status, 200);
    EXPECT_FALSE(host_->tenantSql("beta", "SELECT password_expires_at FROM auth_users" + owner_where)[0][0].has_value());
}

// Without trusted proxies every address is the peer's: 20 failures with made-up e-mails
// from one address in one tenant used to make every tenant's correct logins answer 429.
// A suite (and host) of its own: it leaves 127.0.0.1 throttled in acme.
class AuthAddressThrottle : public AuthTest {};

TEST_F(AuthAddressThrottle, FailuresInOneTenantNeverLockOutAnother) {
    makeUser("beta", "neighbour@beta.example", "member");
    bool throttled = false;
    for (int i = 0; i < 25; ++i) {
        auto r = login("acme", "made-up-" + std::to_string(i) + "@acme.example", "guess");
        throttled = throttled || r.status == 429;
    }
    EXPECT_TRUE(throttled) << "the address is slowed down in acme";
    EXPECT_EQ(login("beta", "neighbour@beta.example", kPassword).status, 200);
    // Forwarding headers from an untrusted peer change nothing.
    auto forged = login("acme", "made-up-x@acme.example", "guess", Json::object(), {{"X-Forwarded-For", "198.51.100.99"}});
    EXPECT_EQ(forged.status, 429) << forged.body;
}

// Behind a reverse proxy (trusted_proxies), the client is the address it forwards.
class AuthProxies : public AuthTest {
protected:
    static void SetUpTestSuite() {
        startHost({"acme", "beta"}, [](TestHost& host) {
            host.useFastPasswordHashing();
            host.setEnv("TESSERA_TRUSTED_PROXIES", "127.0.0.0/8, ::1");
        });
    }
};

TEST_F(AuthProxies, ForwardedHeadersFromATrustedProxyNameTheClientAndTheScheme) {
    makeUser("acme", "proxied@acme.example", "member");
    auto r = login("acme", "proxied@acme.example", kPassword, Json::object(),
                   {{"X-Forwarded-For", "1.1.1.1, 198.51.100.7"}, {"X-Forwarded-Proto", "https"}});
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_NE(r.header("set-cookie").find("; Secure"), std::string::npos);
    auto ok = audit("acme", "auth.login.succeeded");
    ASSERT_FALSE(ok.empty());
    // The right-most address the proxy appended, not what the client wrote before it.
    EXPECT_EQ(ok[0]["client_address"], "198.51.100.7");
    auto forwarded = login("acme", "proxied@acme.example", kPassword, Json::object(),
                           {{"Forwarded", "for=\"[2001:db8:cafe::17]:4711\";proto=https"}});
    ASSERT_EQ(forwarded.status, 200) << forwarded.body;
    EXPECT_EQ(audit("acme", "auth.login.succeeded")[0]["client_address"], "2001:db8:cafe::17");
}

TEST_F(AuthProxies, EveryUserBehindTheProxyHasTheirOwnThrottle) {
    makeUser("acme", "office@acme.example", "member");
    const std::map<std::string, std::string> attacker{{"X-Forwarded-For", "203.0.113.50"}};
    bool throttled = false;
    for (int i = 0; i < 25; ++i)
        throttled = login("acme", "nobody-" + std::to_string(i) + "@acme.example", "guess", Json::object(), attacker).status ==
                        429 ||
                    throttled;
    EXPECT_TRUE(throttled);
    // The proxy's own address is shared by everyone: another client behind it is not locked out.
    EXPECT_EQ(login("acme", "office@acme.example", kPassword, Json::object(), {{"X-Forwarded-For", "203.0.113.51"}}).status,
              200);
    EXPECT_EQ(login("acme", "nobody-1@acme.example", "guess", Json::object(), attacker).status, 429);
}

}  // namespace
}  // namespace tessera::test
