// Secrets at rest: TOTP secrets and the webhook signing secret are sealed with the
// host's master key (AES-256-GCM bound to tenant and column). Checked in the stored
// rows themselves (SQLite file or PostgreSQL schema), through logins on the real binary,
// and across restarts with a wrong key, a moved value and a key file left readable.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>

#include "hmac.hpp"
#include "test_host.hpp"
#include "totp_code.hpp"

namespace tessera::test {
namespace {

const std::string kOtherKey(64, 'c');

// TESSERA_SECRET_KEY's hex form of a key file's bytes.
std::string hexOf(const std::string& bytes) {
    static const char* hex = "0123456789abcdef";
    std::string out;
    for (unsigned char c : bytes) out += std::string{hex[c >> 4], hex[c & 15]};
    return out;
}

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

    static std::string contents(const std::string& path) {
        std::ifstream in(path, std::ios::binary);
        return std::string(std::istreambuf_iterator<char>(in), {});
    }
    std::string writeFile(const std::string& name, const std::string& text, mode_t mode) {
        const std::string path = host_->dataDir() + "/" + name;
        std::ofstream(path, std::ios::binary) << text;
        EXPECT_EQ(chmod(path.c_str(), mode), 0);
        return path;
    }

    // Every kind of sealed value a tenant holds: a TOTP secret, the workflow webhook
    // secret and billing's gateway webhook secret. Returns the TOTP secret.
    std::string sealEverything(const std::string& tenant, const std::string& email) {
        const std::string totp = userWithTotp(tenant, email);
        webhook_secrets_[tenant] = host_->get("/api/v1/workflow-settings", tenant).json()["webhook_secret"];
        auto billing = host_->request("PATCH", "/api/v1/billing/settings", tenant,
                                      {{"webhook_secrets", {{"generic", kBillingSecret}}}});
        EXPECT_EQ(billing.status, 200) << billing.body;
        return totp;
    }
    std::vector<std::string> sealedValues(const std::string& tenant) {
        return {stored(tenant, "SELECT totp_secret FROM auth_users WHERE totp_secret IS NOT NULL"),
                stored(tenant, "SELECT value FROM tessera_settings WHERE key = 'workflows.webhook_secret'"),
                stored(tenant, "SELECT secret FROM billing_webhook_secrets WHERE provider = 'generic'")};
    }
    // Each sealed value opens under the running host's key: a TOTP login, the webhook
    // secret as it was, and a billing delivery whose signature checks out (it then fails
    // on its empty payload, which is past the secret).
    void expectEverythingOpens(const std::string& tenant, const std::string& email, const std::string& totp,
                               std::time_t at) {
        const auto ok = login(tenant, email, {{"totp_code", totpNow(totp, at)}});
        EXPECT_EQ(ok.status, 200) << ok.body;
        EXPECT_EQ(host_->get("/api/v1/workflow-settings", tenant).json()["webhook_secret"], webhook_secrets_[tenant]);
        EXPECT_EQ(billingDelivery(tenant, kBillingSecret).status, 422);
        EXPECT_EQ(billingDelivery(tenant, "not the secret").status, 401);
    }
    HttpResult billingDelivery(const std::string& tenant, const std::string& secret) {
        const std::string body = "{}";
        return httpRequest(host_->port(), "POST", "/api/v1/billing/webhooks/generic",
                           {{"X-Tenant", tenant}, {"X-Signature", "sha256=" + hmacHex(secret, body)}}, body);
    }

    static constexpr const char* kBillingSecret = "whsec_rotation_0123456789";
    std::map<std::string, std::string> webhook_secrets_;

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

TEST_F(AuthSecrets, RotateKeySealsEverySecretWithANewKeyFile) {
    const std::string totp = sealEverything("acme", "careful@acme.example");
    const std::string beta_totp = sealEverything("beta", "careful@beta.example");
    host_->stop();
    const std::string old_key = contents(keyFile());
    const auto before = sealedValues("acme");
    const std::string same = writeFile("same.key", old_key, 0600);
    auto unchanged = host_->cli({"secrets", "rotate-key", "--new-key-file", same});
    EXPECT_NE(unchanged.exit_code, 0);
    EXPECT_NE(unchanged.out.find("the new key is the current key"), std::string::npos) << unchanged.out;
    EXPECT_FALSE(std::filesystem::exists(keyFile() + ".next")) << "nothing left to hold up the server";

    auto rotated = host_->cli({"secrets", "rotate-key"});
    ASSERT_EQ(rotated.exit_code, 0) << rotated.out;
    EXPECT_NE(rotated.out.find("acme: 3 secret(s) sealed with the new key"), std::string::npos) << rotated.out;
    EXPECT_NE(rotated.out.find("beta: 3 secret(s)"), std::string::npos) << rotated.out;
    const std::string new_key = contents(keyFile());
    EXPECT_EQ(new_key.size(), 32u);
    EXPECT_NE(new_key, old_key);
    EXPECT_FALSE(std::filesystem::exists(keyFile() + ".next"));
    // The previous key is kept for older backups, owner-only like the key file.
    std::string kept;
    for (const auto& entry : std::filesystem::directory_iterator(host_->dataDir()))
        if (entry.path().filename().string().rfind("secret.key.previous-", 0) == 0) kept = entry.path().string();
    ASSERT_FALSE(kept.empty()) << rotated.out;
    EXPECT_EQ(contents(kept), old_key);
    struct stat st {};
    ASSERT_EQ(stat(kept.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);

    const auto after = sealedValues("acme");
    for (std::size_t i = 0; i < after.size(); ++i) {
        EXPECT_EQ(after[i].rfind("v1:", 0), 0u) << after[i];
        EXPECT_NE(after[i], before[i]) << "not sealed again: " << i;
    }
    ASSERT_TRUE(host_->start()) << host_->log();
    expectEverythingOpens("acme", "careful@acme.example", totp, std::time(nullptr));
    expectEverythingOpens("beta", "careful@beta.example", beta_totp, std::time(nullptr));

    // The old key opens none of it any more.
    host_->stop();
    host_->setEnv("TESSERA_SECRET_KEY", hexOf(old_key));
    ASSERT_TRUE(host_->start()) << host_->log();
    EXPECT_EQ(login("acme", "careful@acme.example", {{"totp_code", totpNow(totp, std::time(nullptr) + 30)}}).status, 503);
    EXPECT_EQ(host_->get("/api/v1/workflow-settings", "acme").status, 503);
    EXPECT_EQ(billingDelivery("acme", kBillingSecret).status, 503);
}

TEST_F(AuthSecrets, AnInterruptedRotationBlocksTheServerUntilItIsRunAgain) {
    const std::string totp = sealEverything("acme", "careful@acme.example");
    host_->stop();
    // What a rotation leaves when it stops after choosing its key: secret.key.next.
    const std::string next(32, '\x5a');
    writeFile("secret.key.next", next, 0600);
    EXPECT_FALSE(host_->start());
    EXPECT_NE(host_->log().find("rotation is unfinished"), std::string::npos) << host_->log();

    const std::string other = writeFile("other.key", std::string(64, 'd'), 0600);
    auto conflict = host_->cli({"secrets", "rotate-key", "--new-key-file", other});
    EXPECT_NE(conflict.exit_code, 0);
    EXPECT_NE(conflict.out.find("unfinished rotation to another key"), std::string::npos) << conflict.out;

    auto finished = host_->cli({"secrets", "rotate-key"});
    ASSERT_EQ(finished.exit_code, 0) << finished.out;
    EXPECT_NE(finished.out.find("finishing the rotation"), std::string::npos) << finished.out;
    EXPECT_EQ(contents(keyFile()), next);
    ASSERT_TRUE(host_->start()) << host_->log();
    expectEverythingOpens("acme", "careful@acme.example", totp, std::time(nullptr));
}

TEST_F(AuthSecrets, ARotationThatCannotOpenAValueKeepsTheOldKeyUntilRunAgain) {
    const std::string totp = sealEverything("acme", "careful@acme.example");
    sealEverything("beta", "careful@beta.example");
    host_->stop();
    // A value no key opens: acme's sealed secret pasted into beta.
    const std::string pasted = stored("acme", "SELECT totp_secret FROM auth_users WHERE email = 'careful@acme.example'");
    host_->tenantSql("beta", "UPDATE auth_users SET totp_secret = '" + pasted + "'");
    const std::string old_key = contents(keyFile());

    auto failed = host_->cli({"secrets", "rotate-key"});
    EXPECT_EQ(failed.exit_code, 1) << failed.out;
    EXPECT_NE(failed.out.find("acme: 3 secret(s) sealed with the new key"), std::string::npos) << failed.out;
    EXPECT_NE(failed.out.find("cannot open auth_users.totp_secret"), std::string::npos) << failed.out;
    EXPECT_NE(failed.out.find("1 of 2 tenants failed"), std::string::npos) << failed.out;
    EXPECT_EQ(contents(keyFile()), old_key) << "the key changes only once every tenant is done";
    EXPECT_FALSE(host_->start()) << "half the secrets are sealed with the new key";

    host_->tenantSql("beta", "UPDATE auth_users SET totp_secret = NULL, totp_enabled = 0");
    auto again = host_->cli({"secrets", "rotate-key"});
    ASSERT_EQ(again.exit_code, 0) << again.out;
    EXPECT_NE(again.out.find("beta: 2 secret(s)"), std::string::npos) << again.out;
    EXPECT_NE(contents(keyFile()), old_key);
    ASSERT_TRUE(host_->start()) << host_->log();
    expectEverythingOpens("acme", "careful@acme.example", totp, std::time(nullptr));
}

TEST_F(AuthSecrets, RotatingAKeyFromTheEnvironmentNeedsTheNewKeyInAFile) {
    host_->stop();
    const std::string first(64, 'a');
    host_->setEnv("TESSERA_SECRET_KEY", first);
    ASSERT_TRUE(host_->start()) << host_->log();
    const std::string totp = sealEverything("acme", "careful@acme.example");
    host_->stop();

    auto no_file = host_->cli({"secrets", "rotate-key"});
    EXPECT_NE(no_file.exit_code, 0);
    EXPECT_NE(no_file.out.find("comes from TESSERA_SECRET_KEY"), std::string::npos) << no_file.out;
    EXPECT_NE(no_file.out.find("--new-key-file"), std::string::npos) << no_file.out;
    const std::string same = writeFile("same.key", first + "\n", 0600);
    auto unchanged = host_->cli({"secrets", "rotate-key", "--new-key-file", same});
    EXPECT_NE(unchanged.exit_code, 0);
    EXPECT_NE(unchanged.out.find("the new key is the current key"), std::string::npos) << unchanged.out;
    const std::string second(64, 'b');
    const std::string file = writeFile("new.key", second + "\n", 0644);
    auto wide = host_->cli({"secrets", "rotate-key", "--new-key-file", file});
    EXPECT_NE(wide.exit_code, 0);
    EXPECT_NE(wide.out.find("chmod 600"), std::string::npos) << wide.out;
    ASSERT_EQ(chmod(file.c_str(), 0600), 0);
    auto rotated = host_->cli({"secrets", "rotate-key", "--new-key-file", file});
    ASSERT_EQ(rotated.exit_code, 0) << rotated.out;
    EXPECT_NE(rotated.out.find("set TESSERA_SECRET_KEY"), std::string::npos) << rotated.out;

    ASSERT_TRUE(host_->start()) << host_->log();
    EXPECT_EQ(login("acme", "careful@acme.example", {{"totp_code", totpNow(totp, std::time(nullptr))}}).status, 503)
        << "still the old key";
    host_->stop();
    host_->setEnv("TESSERA_SECRET_KEY", second);
    ASSERT_TRUE(host_->start()) << host_->log();
    expectEverythingOpens("acme", "careful@acme.example", totp, std::time(nullptr) + 30);
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
