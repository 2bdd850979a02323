// sdk::rest::appendJsonString promises the bytes nlohmann writes for sdk::Response::json;
// list pages are written with it, single records with nlohmann, and the two must agree.
#include <gtest/gtest.h>

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

}  // namespace
