#include <gtest/gtest.h>

#include "plugins/manifest.hpp"

using tessera::host::Manifest;

static std::string errorOf(const std::string& text) {
    try {
        Manifest::parse(text);
    } catch (const std::runtime_error& e) {
        return e.what();
    }
    return "";
}

TEST(Manifest, ParsesAValidManifest) {
    auto m = Manifest::parse(R"({"id":"billing","version":"1.2.0","description":"Invoices",
                                "sdk":">=1.0.0 <2.0.0","depends":{"contacts":"^1.0"}})");
    EXPECT_EQ(m.id, "billing");
    EXPECT_EQ(m.version.str(), "1.2.0");
    ASSERT_EQ(m.depends.size(), 1u);
    EXPECT_TRUE(m.depends.at("contacts").contains(*tessera::host::SemVer::parse("1.4.0")));
}

TEST(Manifest, NamesTheFieldThatIsWrong) {
    EXPECT_NE(errorOf("{not json").find("not valid JSON"), std::string::npos);
    EXPECT_NE(errorOf("[]").find("JSON object"), std::string::npos);
    EXPECT_NE(errorOf(R"({"version":"1.0.0","sdk":"*"})").find("'id' is missing"), std::string::npos);
    EXPECT_NE(errorOf(R"({"id":"Bad-Id","version":"1.0.0","sdk":"*"})").find("'id'"), std::string::npos);
    EXPECT_NE(errorOf(R"({"id":"x","version":"1.0","sdk":"*"})").find("'version'"), std::string::npos);
    EXPECT_NE(errorOf(R"({"id":"x","version":"1.0.0"})").find("'sdk' is missing"), std::string::npos);
    EXPECT_NE(errorOf(R"({"id":"x","version":"1.0.0","sdk":"*","depends":{"y":3}})").find("depends.y"), std::string::npos);
    EXPECT_NE(errorOf(R"({"id":"x","version":"1.0.0","sdk":"*","depends":[]})").find("'depends'"), std::string::npos);
}
