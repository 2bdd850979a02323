// Record ids: the format every API shows, the time order plugins' ids keep, uniqueness.
#include <gtest/gtest.h>

#include <chrono>
#include <set>
#include <string>
#include <thread>

#include <tessera/sdk/rest/ids.hpp>

#include "core/ids.hpp"

namespace {

constexpr std::string_view kAlphabet = "0123456789abcdefghjkmnpqrstvwxyz";

bool inAlphabet(std::string_view s) { return s.find_first_not_of(kAlphabet) == std::string_view::npos; }

}  // namespace

TEST(RecordIds, PluginIdsArePrefixedBase32AndSortByCreationTime) {
    const std::string first = tessera::sdk::rest::newId("ct_");
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
    const std::string second = tessera::sdk::rest::newId("ct_");
    for (const auto& id : {first, second}) {
        ASSERT_EQ(id.size(), 23u) << id;
        EXPECT_EQ(id.substr(0, 3), "ct_");
        EXPECT_TRUE(inAlphabet(id.substr(3))) << id;
    }
    EXPECT_LT(first, second);
}

TEST(RecordIds, IdsMadeInTheSameMillisecondStayUnique) {
    std::set<std::string> seen;
    for (int i = 0; i < 100'000; ++i) ASSERT_TRUE(seen.insert(tessera::sdk::rest::newId("x_")).second);
}

TEST(RecordIds, HostIdsAndRequestIdsAreRandomCharactersOfTheSameAlphabet) {
    const std::string user = tessera::host::newRecordId("usr_", tessera::host::kAuthIdChars);
    EXPECT_EQ(user.size(), 4 + tessera::host::kAuthIdChars);
    EXPECT_TRUE(inAlphabet(user.substr(4))) << user;
    const std::string chars = tessera::sdk::rest::randomIdChars(31);
    EXPECT_EQ(chars.size(), 31u);
    EXPECT_TRUE(inAlphabet(chars)) << chars;
    EXPECT_NE(tessera::sdk::rest::randomIdChars(16), tessera::sdk::rest::randomIdChars(16));
    EXPECT_THROW(tessera::host::newRecordId("x_", 0), std::invalid_argument);
}
