#include <gtest/gtest.h>

#include "plugins/semver.hpp"

using tessera::host::SemVer;
using tessera::host::VersionRange;

static SemVer v(const char* s) { return *SemVer::parse(s); }

TEST(SemVer, ParsesStrictVersionsOnly) {
    EXPECT_TRUE(SemVer::parse("1.2.3"));
    EXPECT_TRUE(SemVer::parse("1.2.3-beta.1+build5"));
    EXPECT_FALSE(SemVer::parse("1.2"));
    EXPECT_FALSE(SemVer::parse("01.2.3"));
    EXPECT_FALSE(SemVer::parse("one point oh"));
    EXPECT_LT(v("1.2.3-alpha").compare(v("1.2.3")), 0);
    EXPECT_LT(v("1.9.0").compare(v("1.10.0")), 0);
}

TEST(VersionRange, CaretTildeAndComparators) {
    auto caret = VersionRange::parse("^1.2");
    EXPECT_TRUE(caret.contains(v("1.2.0")));
    EXPECT_TRUE(caret.contains(v("1.9.9")));
    EXPECT_FALSE(caret.contains(v("2.0.0")));
    EXPECT_FALSE(caret.contains(v("1.1.9")));
    auto zero = VersionRange::parse("^0.3.1");
    EXPECT_TRUE(zero.contains(v("0.3.5")));
    EXPECT_FALSE(zero.contains(v("0.4.0")));
    auto tilde = VersionRange::parse("~1.2.3");
    EXPECT_TRUE(tilde.contains(v("1.2.9")));
    EXPECT_FALSE(tilde.contains(v("1.3.0")));
    auto both = VersionRange::parse(">=1.0.0 <2.0.0");
    EXPECT_TRUE(both.contains(v("1.5.0")));
    EXPECT_FALSE(both.contains(v("2.0.0")));
    auto any = VersionRange::parse("*");
    EXPECT_TRUE(any.contains(v("9.9.9")));
    auto alt = VersionRange::parse("^1.0 || ^3.0");
    EXPECT_TRUE(alt.contains(v("3.1.0")));
    EXPECT_FALSE(alt.contains(v("2.1.0")));
    EXPECT_TRUE(VersionRange::parse("1.x").contains(v("1.4.0")));
}

TEST(VersionRange, RejectsGarbageWithItsText) {
    try {
        VersionRange::parse(">=banana");
        FAIL() << "expected an error";
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("banana"), std::string::npos);
    }
}

TEST(VersionRange, RefusesNumbersTooLargeForAVersionAsGarbage) {
    for (const char* text : {"13333333333333333333333", ">=1.99999999999", "^1.2.3333333333"})
        EXPECT_THROW(VersionRange::parse(text), std::invalid_argument) << text;
    EXPECT_NO_THROW(VersionRange::parse(">=999999999.0.0"));
}
