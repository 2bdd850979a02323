// sdk::rest::appendJsonString promises the bytes nlohmann writes for sdk::Response::json;
// list pages are written with it, single records with nlohmann, and the two must agree.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <tessera/sdk/rest/text.hpp>

namespace {

std::string viaNlohmann(const std::string& s) {
    return nlohmann::json(s).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string viaWriter(const std::string& s) {
    std::string out = "x";  // appends, does not replace
    tessera::sdk::rest::appendJsonString(out, s);
    return out.substr(1);
}

TEST(JsonText, EveryAsciiByteIsWrittenAsNlohmannWritesIt) {
    for (int c = 0; c < 0x80; ++c) {
        const std::string s = "a" + std::string(1, static_cast<char>(c)) + "b";
        EXPECT_EQ(viaWriter(s), viaNlohmann(s)) << "byte " << c;
    }
}

TEST(JsonText, TextInAnyScriptAndBrokenUtf8MatchToo) {
    for (const std::string s : {std::string(), std::string("João Łódź ☃ 𝄞 \"quoted\" back\\slash"),
                                std::string("<script>alert('x')</script>; DROP TABLE contacts;--"),
                                std::string("\xff\xfe broken"), std::string("cut \xe2\x98"), std::string("\xc0\xaf overlong"),
                                std::string("\xed\xa0\x80 surrogate"), std::string(1000, '"')})
        EXPECT_EQ(viaWriter(s), viaNlohmann(s)) << s;
}

TEST(JsonText, EverySpecialByteAtEveryPlaceOfALongString) {
    // The writer skips 8 plain bytes at a time: a byte to escape must be found wherever it
    // falls in a word, and after multi-byte characters that shift the words.
    for (const std::string prefix : {std::string(), std::string("é"), std::string("☃"), std::string("𝄞")})
        for (int c = 0; c < 0x80; ++c)
            for (std::size_t at = 0; at < 20; ++at) {
                std::string s = prefix + std::string(20, 'a');
                s[prefix.size() + at] = static_cast<char>(c);
                ASSERT_EQ(viaWriter(s), viaNlohmann(s)) << "byte " << c << " at " << at << " after '" << prefix << "'";
            }
}

TEST(JsonText, RandomMixturesOfPlainEscapedMultiByteAndBrokenText) {
    const std::vector<std::string> pieces = {"a", "Z", " ", "\"", "\\", "\n", "\t", std::string(1, '\0'), "\x1f",
                                             "\x7f", "é", "ł", "☃", "𝄞", "\xff", "\xe2\x98", "\xc0\xaf", "abcdefgh"};
    std::uint32_t state = 12345;
    const auto next = [&state] { return state = state * 1103515245u + 12345u, (state >> 16) & 0x7fff; };
    for (int round = 0; round < 5000; ++round) {
        std::string s;
        const auto n = next() % 40;
        for (std::uint32_t k = 0; k < n; ++k) s += pieces[next() % pieces.size()];
        ASSERT_EQ(viaWriter(s), viaNlohmann(s)) << "round " << round;
    }
}

}  // namespace
