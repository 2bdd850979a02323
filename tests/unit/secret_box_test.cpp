// The sealing of stored secrets (AES-256-GCM with tenant/column binding) and the loading
// of the master key that the server and the CLI share.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "core/master_key.hpp"
#include "core/secret_box.hpp"

using tessera::host::base64Decode;
using tessera::host::base64Encode;
using tessera::host::Config;
using tessera::host::loadMasterKey;
using tessera::host::parseMasterKey;
using tessera::host::SecretBox;
using tessera::host::SecretUnreadable;

namespace {

SecretBox::Key keyOf(std::uint8_t fill) {
    SecretBox::Key k{};
    for (std::size_t i = 0; i < k.size(); ++i) k[i] = static_cast<std::uint8_t>(fill + i);
    return k;
}

// Flips one bit of the decoded payload at `offset` from its start and re-encodes it.
std::string tampered(const std::string& sealed, std::size_t offset) {
    std::string raw;
    EXPECT_TRUE(base64Decode(sealed.substr(3), raw));
    raw[offset] = static_cast<char>(raw[offset] ^ 0x01);
    return "v1:" + base64Encode(raw);
}

class TempDir {
public:
    TempDir() {
        char tmpl[] = "/tmp/tessera-key-XXXXXX";
        path_ = mkdtemp(tmpl);
    }
    ~TempDir() { std::filesystem::remove_all(path_); }
    const std::string& path() const { return path_; }

private:
    std::string path_;
};

}  // namespace

// The environment must not decide these tests. Outside the anonymous namespace because
// the test classes gtest derives from it are not in it (-Wsubobject-linkage).
class MasterKeyFile : public ::testing::Test {
protected:
    void SetUp() override {
        unsetenv("TESSERA_SECRET_KEY");
        unsetenv("TESSERA_AUTH_SECRET_KEY");
    }
};

TEST(SecretBox, RoundTripAndFreshNonces) {
    const SecretBox box(keyOf(1));
    const std::string secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
    const std::string a = box.seal(secret, "tessera/acme/auth_users.totp_secret");
    const std::string b = box.seal(secret, "tessera/acme/auth_users.totp_secret");
    EXPECT_TRUE(SecretBox::isSealed(a));
    EXPECT_EQ(a.rfind("v1:", 0), 0u);
    EXPECT_EQ(a.find(secret), std::string::npos);
    EXPECT_NE(a, b) << "each seal draws a new nonce";
    EXPECT_EQ(box.open(a, "tessera/acme/auth_users.totp_secret"), secret);
    EXPECT_EQ(box.open(b, "tessera/acme/auth_users.totp_secret"), secret);
    EXPECT_EQ(box.open(box.seal("", "x"), "x"), "");
}

TEST(SecretBox, TamperedValueDoesNotOpen) {
    const SecretBox box(keyOf(1));
    const std::string sealed = box.seal("a webhook signing secret", "aad");
    EXPECT_THROW(box.open(tampered(sealed, 0), "aad"), SecretUnreadable);   // nonce
    EXPECT_THROW(box.open(tampered(sealed, 14), "aad"), SecretUnreadable);  // ciphertext
    std::string raw;
    ASSERT_TRUE(base64Decode(sealed.substr(3), raw));
    EXPECT_THROW(box.open(tampered(sealed, raw.size() - 1), "aad"), SecretUnreadable);  // tag
    EXPECT_THROW(box.open(sealed.substr(0, sealed.size() - 8), "aad"), SecretUnreadable);
    EXPECT_THROW(box.open("v1:", "aad"), SecretUnreadable);
    EXPECT_THROW(box.open("v1:not base64!", "aad"), SecretUnreadable);
    EXPECT_THROW(box.open("JBSWY3DPEHPK3PXP", "aad"), SecretUnreadable);
}

TEST(SecretBox, WrongBindingDoesNotOpen) {
    const SecretBox box(keyOf(1));
    const std::string sealed = box.seal("JBSWY3DPEHPK3PXP", "tessera/acme/auth_users.totp_secret");
    EXPECT_THROW(box.open(sealed, "tessera/beta/auth_users.totp_secret"), SecretUnreadable);
    EXPECT_THROW(box.open(sealed, "tessera/acme/auth_users.totp_pending_secret"), SecretUnreadable);
    EXPECT_THROW(box.open(sealed, ""), SecretUnreadable);
}

TEST(SecretBox, WrongKeyDoesNotOpen) {
    const std::string sealed = SecretBox(keyOf(1)).seal("JBSWY3DPEHPK3PXP", "aad");
    try {
        SecretBox(keyOf(2)).open(sealed, "aad");
        FAIL() << "opened with another key";
    } catch (const SecretUnreadable& e) {
        EXPECT_NE(std::string(e.what()).find("master key"), std::string::npos) << e.what();
        EXPECT_EQ(std::string(e.what()).find("JBSWY3DPEHPK3PXP"), std::string::npos);
    }
}

TEST(SecretBox, DuringARotationSealsWithTheNewKeyAndOpensEither) {
    const SecretBox old_box(keyOf(1)), new_box(keyOf(2)), rotating(keyOf(2), keyOf(1));
    const std::string old_value = old_box.seal("JBSWY3DPEHPK3PXP", "aad");
    EXPECT_EQ(rotating.open(old_value, "aad"), "JBSWY3DPEHPK3PXP");
    EXPECT_EQ(rotating.open(new_box.seal("webhook", "aad"), "aad"), "webhook");
    const std::string resealed = rotating.seal("JBSWY3DPEHPK3PXP", "aad");
    EXPECT_EQ(new_box.open(resealed, "aad"), "JBSWY3DPEHPK3PXP");
    EXPECT_THROW(old_box.open(resealed, "aad"), SecretUnreadable) << "sealed with the previous key";
    // Neither key, or another binding: refused as without a rotation.
    EXPECT_THROW(rotating.open(SecretBox(keyOf(3)).seal("x", "aad"), "aad"), SecretUnreadable);
    EXPECT_THROW(rotating.open(old_value, "other"), SecretUnreadable);
}

TEST(SecretBox, Base64MatchesRfc4648) {
    EXPECT_EQ(base64Encode(""), "");
    EXPECT_EQ(base64Encode("f"), "Zg==");
    EXPECT_EQ(base64Encode("fo"), "Zm8=");
    EXPECT_EQ(base64Encode("foobar"), "Zm9vYmFy");
    std::string out;
    EXPECT_TRUE(base64Decode("Zm8=", out));
    EXPECT_EQ(out, "fo");
    EXPECT_FALSE(base64Decode("Zm8", out));
    EXPECT_FALSE(base64Decode("Z=8=", out));
    EXPECT_FALSE(base64Decode("Zm9v*mFy", out));
}

TEST(MasterKeyText, HexOrBase64OfThirtyTwoBytes) {
    const std::string hex = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
    EXPECT_EQ(parseMasterKey(hex, "k"), keyOf(0));
    const auto k = keyOf(0);
    EXPECT_EQ(parseMasterKey(base64Encode(std::string(k.begin(), k.end())), "k"), keyOf(0));
    try {
        parseMasterKey("too short", "TESSERA_SECRET_KEY");
        FAIL();
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("TESSERA_SECRET_KEY must be 32 bytes"), std::string::npos) << e.what();
    }
    EXPECT_THROW(parseMasterKey(hex.substr(2) + "zz", "k"), std::runtime_error);
    EXPECT_THROW(parseMasterKey(base64Encode(std::string(31, 'a')), "k"), std::runtime_error);
}

TEST_F(MasterKeyFile, CreatedOnceWithOwnerOnlyModeAndReusedAfterwards) {
    TempDir dir;
    Config config;
    config.data_dir = dir.path() + "/data";  // not there yet: created with the key
    const auto first = loadMasterKey(config);
    const std::string path = config.data_dir + "/secret.key";
    EXPECT_EQ(first.source, path);
    struct stat st {};
    ASSERT_EQ(stat(path.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    EXPECT_EQ(st.st_size, 32);
    EXPECT_NE(first.key, SecretBox::Key{});
    EXPECT_EQ(loadMasterKey(config).key, first.key) << "a second process finds the same key";
}

TEST_F(MasterKeyFile, RefusesWideModeAndWrongLength) {
    TempDir dir;
    Config config;
    config.data_dir = dir.path();
    loadMasterKey(config);
    const std::string path = dir.path() + "/secret.key";
    ASSERT_EQ(chmod(path.c_str(), 0644), 0);
    try {
        loadMasterKey(config);
        FAIL() << "a group-readable key file was accepted";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("mode 0644"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("chmod 600"), std::string::npos) << e.what();
    }
    ASSERT_EQ(chmod(path.c_str(), 0600), 0);
    std::ofstream(path, std::ios::app) << "x";
    try {
        loadMasterKey(config);
        FAIL() << "a 33-byte key file was accepted";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("33 bytes, not 32"), std::string::npos) << e.what();
    }
}

TEST_F(MasterKeyFile, EnvironmentAndSettingWinOverTheFile) {
    TempDir dir;
    Config config;
    config.data_dir = dir.path();
    config.plugin_settings["auth"]["secret_key"] = std::string(64, 'a');
    auto from_setting = loadMasterKey(config);
    EXPECT_EQ(from_setting.source, "auth.secret_key");
    EXPECT_EQ(from_setting.key[0], 0xaa);
    EXPECT_FALSE(std::filesystem::exists(dir.path() + "/secret.key")) << "no key file when a key is configured";
    setenv("TESSERA_SECRET_KEY", std::string(64, 'b').c_str(), 1);
    auto from_env = loadMasterKey(config);
    unsetenv("TESSERA_SECRET_KEY");
    EXPECT_EQ(from_env.source, "TESSERA_SECRET_KEY");
    EXPECT_EQ(from_env.key[0], 0xbb);
    setenv("TESSERA_SECRET_KEY", "not a key", 1);
    EXPECT_THROW(loadMasterKey(config), std::runtime_error);
    unsetenv("TESSERA_SECRET_KEY");
}
