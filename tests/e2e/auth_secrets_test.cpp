// Secrets at rest: TOTP secrets and the webhook signing secret are sealed with the
// host's master key (AES-256-GCM bound to tenant and column). Checked in the stored
// rows themselves (SQLite file or PostgreSQL schema), through logins on the real binary,
// and across restarts with a wrong key, a moved value and a key file left readable.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <ctime>
#include <memory>

#include "test_host.hpp"
#include "totp_code.hpp"

namespace tessera::test {
namespace {

const std::string kOtherKey(64, 'c');

class AuthSecrets : public ::testing::Test {
protected:
    void SetUp() override {
        host_ = std::make_unique<TestHost>();
        host_->useFastPasswordHashing();
        host_->setEnv("TESSERA_AUTH_CREDENTIAL_CACHE_MS", "0");
        host_->createTenant("acme");
        host_->createTenant("beta");
        ASSERT_TRUE(host_->start()) << host_->log();
    }
    void TearDown() override {
        if (host_ && host_->running()) host_->stop();
    }

    // A user with 2FA on; returns the base32 secret the authenticator app holds.
    std::string userWithTotp(const std::string& tenant, const std::string& email) {
        auto made = host_->request("POST", "/api/v1/users", tenant,
                                   {{"email", email}, {"name", "Careful"}, {"role", "member"}, {"password", kPassword}});
        EXPECT_EQ(made.status, 201) << made.body;
        auto signed_in = login(tenant, email, {{"token", true}, {"session", false}});
        EXPECT_EQ(signed_in.status, 200) << signed_in.body;
        const std::map<std::string, std::string> me{{"Authorization", "Bearer " + signed_in.json().value("token", "")}};
        auto enrol = host_->request("POST", "/api/v1/auth/2fa/totp/enroll", tenant, nullptr, me);
        EXPECT_EQ(enrol.status, 200) << enrol.body;
        const std::string secret = enrol.json().value("secret", "");
        // While enrolling, the pending secret is already sealed.
        const auto pending = stored(tenant, "SELECT totp_pending_secret FROM auth_users WHERE email = '" + email + "'");
        EXPECT_EQ(pending.rfind("v1:", 0), 0u) << pending;
        EXPECT_EQ(pending.find(secret), std::string::npos);
        // The previous step's code: the login codes used afterwards are newer.
        auto verified = host_->request("POST", "/api/v1/auth/2fa/totp/verify", tenant,
                                       {{"code", totpNow(secret, std::time(nullptr) - 30)}}, me);
        EXPECT_EQ(verified.status, 200) << verified.body;
        recovery_codes_ = verified.json()["recovery_codes"];
        return secret;
    }

    HttpResult login(const std::string& tenant, const std::string& email, Json extra = Json::object()) {
        extra["email"] = email;
        extra["password"] = kPassword;
        return host_->request("POST", "/api/v1/auth/login", tenant, extra, {{"Authorization", ""}});
    }

    // The single value a query returns ("<NULL>" for NULL).
    std::string stored(const std::string& tenant, const std::string& sql) {
        const auto rows = host_->tenantSql(tenant, sql);
        EXPECT_EQ(rows.size(), 1u) << sql;
        if (rows.empty() || rows[0].empty()) return "";
        return rows[0][0].value_or("<NULL>");
    }

    std::string keyFile() const { return host_->dataDir() + "/secret.key"; }

    std::unique_ptr<TestHost> host_;
    Json recovery_codes_;
};

TEST_F(AuthSecrets, TotpSecretIsStoredSealedAndLoginStillWorks) {
    const std::string secret = userWithTotp("acme", "careful@acme.example");
    const std::string column = stored("acme", "SELECT totp_secret FROM auth_users WHERE email = 'careful@acme.example'");
    EXPECT_EQ(column.rfind("v1:", 0), 0u) << column;
    EXPECT_EQ(column.find(secret), std::string::npos) << "the plaintext secret is in the database";
    EXPECT_EQ(stored("acme", "SELECT totp_pending_secret FROM auth_users WHERE email = 'careful@acme.example'"), "<NULL>");

    const auto ok = login("acme", "careful@acme.example", {{"totp_code", totpNow(secret, std::time(nullptr))}});
    EXPECT_EQ(ok.status, 200) << ok.body;
    EXPECT_EQ(login("acme", "careful@acme.example", {{"totp_code", "000000"}}).status, 401);

    // The key file the host made on first start: owner-only, 32 bytes.
    struct stat st {};
    ASSERT_EQ(stat(keyFile().c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    EXPECT_EQ(st.st_size, 32);
}

TEST_F(AuthSecrets, WebhookSigningSecretIsStoredSealed) {
    auto settings = host_->get("/api/v1/workflow-settings", "acme");
    ASSERT_EQ(settings.status, 200) << settings.body;
    const std::string secret = settings.json()["webhook_secret"];
    ASSERT_EQ(secret.size(), 64u);
    const std::string column = stored("acme", "SELECT value FROM tessera_settings WHERE key = 'workflows.webhook_secret'");
    EXPECT_EQ(column.rfind("v1:", 0), 0u) << column;
    EXPECT_EQ(column.find(secret), std::string::npos);
    EXPECT_EQ(host_->get("/api/v1/workflow-settings", "acme").json()["webhook_secret"], secret) << "stable across reads";
    auto rotated = host_->request("POST", "/api/v1/workflow-settings/rotate-secret", "acme");
    ASSERT_EQ(rotated.status, 200) << rotated.body;
    EXPECT_NE(rotated.json()["webhook_secret"], secret);
    EXPECT_EQ(stored("acme", "SELECT value FROM tessera_settings WHERE key = 'workflows.webhook_secret'").rfind("v1:", 0),
              0u);
}

TEST_F(AuthSecrets, ASealedValueCopiedToAnotherTenantDoesNotOpen) {
    const std::string secret = userWithTotp("acme", "careful@acme.example");
    const std::string sealed = stored("acme", "SELECT totp_secret FROM auth_users WHERE email = 'careful@acme.example'");
    userWithTotp("beta", "mallory@beta.example");
    host_->tenantSql("beta", "UPDATE auth_users SET totp_secret = '" + sealed + "' WHERE email = 'mallory@beta.example'");
    const auto moved = login("beta", "mallory@beta.example", {{"totp_code", totpNow(secret, std::time(nullptr))}});
    EXPECT_EQ(moved.status, 503) << moved.body;
    EXPECT_EQ(moved.json()["error"]["code"], "secret_unreadable") << moved.body;
    EXPECT_EQ(moved.body.find("tessera/"), std::string::npos) << "no internals in the answer";
    EXPECT_NE(host_->log().find("cannot open auth_users.totp_secret"), std::string::npos) << host_->log();
}

TEST_F(AuthSecrets, PlaintextFromAnOlderVersionIsReadThenSealedByMigrate) {
    const std::string secret = userWithTotp("acme", "careful@acme.example");
    auto settings = host_->get("/api/v1/workflow-settings", "acme");
    ASSERT_EQ(settings.status, 200) << settings.body;
    host_->stop();
    // What a database written before encryption holds.
    const std::string webhook(64, 'e');
    host_->tenantSql("acme", "UPDATE auth_users SET totp_secret = '" + secret + "' WHERE email = 'careful@acme.example'");
    host_->tenantSql("acme", "UPDATE tessera_settings SET value = '" + webhook + "' WHERE key = 'workflows.webhook_secret'");

    auto migrate = host_->cli({"migrate"});
    ASSERT_EQ(migrate.exit_code, 0) << migrate.out;
    const std::string column = stored("acme", "SELECT totp_secret FROM auth_users WHERE email = 'careful@acme.example'");
    EXPECT_EQ(column.rfind("v1:", 0), 0u) << column;
    EXPECT_EQ(stored("acme", "SELECT value FROM tessera_settings WHERE key = 'workflows.webhook_secret'").rfind("v1:", 0),
              0u);

    ASSERT_TRUE(host_->start()) << host_->log();
    const auto ok = login("acme", "careful@acme.example", {{"totp_code", totpNow(secret, std::time(nullptr))}});
    EXPECT_EQ(ok.status, 200) << ok.body;
    EXPECT_EQ(host_->get("/api/v1/workflow-settings", "acme").json()["webhook_secret"], webhook)
        << "sealing keeps the value";
}

TEST_F(AuthSecrets, AWrongMasterKeyIsACleanErrorNotAcceptance) {
    const std::string secret = userWithTotp("acme", "careful@acme.example");
    host_->stop();
    host_->setEnv("TESSERA_SECRET_KEY", kOtherKey);  // wins over the key file
    ASSERT_TRUE(host_->start()) << host_->log();

    const auto refused = login("acme", "careful@acme.example", {{"totp_code", totpNow(secret, std::time(nullptr))}});
    EXPECT_EQ(refused.status, 503) << refused.body;
    EXPECT_EQ(refused.json()["error"]["code"], "secret_unreadable") << refused.body;
    EXPECT_NE(host_->log().find("cannot open auth_users.totp_secret"), std::string::npos) << host_->log();
    auto failed = host_->get("/api/v1/audit?action=auth.login.failed&limit=10", "acme");
    ASSERT_EQ(failed.status, 200) << failed.body;
    EXPECT_NE(failed.body.find("secret_unreadable"), std::string::npos) << failed.body;
    // A recovery code needs no stored secret: the user is not locked out meanwhile.
    ASSERT_FALSE(recovery_codes_.empty());
    EXPECT_EQ(login("acme", "careful@acme.example", {{"recovery_code", recovery_codes_[0]}}).status, 200);
    EXPECT_EQ(host_->get("/api/v1/workflow-settings", "acme").status, 200) << "first use: created under this key";

    // The right key again: everything opens.
    host_->stop();
    host_->setEnv("TESSERA_SECRET_KEY", "");
    ASSERT_TRUE(host_->start()) << host_->log();
    const auto ok = login("acme", "careful@acme.example", {{"totp_code", totpNow(secret, std::time(nullptr) + 30)}});
    EXPECT_EQ(ok.status, 200) << ok.body;
    EXPECT_EQ(host_->get("/api/v1/workflow-settings", "acme").status, 503) << "sealed under the other key";
}

TEST_F(AuthSecrets, AKeyFileReadableByOthersOrMalformedKeyIsRefusedAtStart) {
    host_->stop();
    ASSERT_EQ(chmod(keyFile().c_str(), 0644), 0);
    EXPECT_FALSE(host_->start());
    EXPECT_NE(host_->log().find("chmod 600"), std::string::npos) << host_->log();
    auto cli = host_->cli({"tenant", "list"});
    EXPECT_NE(cli.exit_code, 0);
    EXPECT_NE(cli.out.find("mode 0644"), std::string::npos) << cli.out;
    ASSERT_EQ(chmod(keyFile().c_str(), 0600), 0);

    host_->setEnv("TESSERA_SECRET_KEY", "short");
    auto bad = host_->cli({"tenant", "list"});
    EXPECT_NE(bad.exit_code, 0);
    EXPECT_NE(bad.out.find("TESSERA_SECRET_KEY must be 32 bytes"), std::string::npos) << bad.out;
    host_->setEnv("TESSERA_SECRET_KEY", "");
    EXPECT_EQ(host_->cli({"tenant", "list"}).exit_code, 0);
}

}  // namespace
}  // namespace tessera::test
