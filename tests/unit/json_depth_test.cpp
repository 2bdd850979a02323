#include <string>

#include <gtest/gtest.h>
#include <tessera/sdk/http.hpp>

namespace tessera::sdk {
namespace {

std::string nested(std::size_t depth, const std::string& open = "[", const std::string& close = "]") {
    std::string s;
    for (std::size_t i = 0; i < depth; ++i) s += open;
    for (std::size_t i = 0; i < depth; ++i) s += close;
    return s;
}

TEST(ParseJson, RefusesDocumentsDeeperThanTheLimitWithoutRecursing) {
    JsonError error = JsonError::none;
    EXPECT_TRUE(parseJson(nested(100000), &error).is_discarded());  // used to overflow the stack
    EXPECT_EQ(error, JsonError::too_deep);
    EXPECT_TRUE(parseJson(nested(kMaxJsonDepth + 1), &error).is_discarded());
    EXPECT_EQ(error, JsonError::too_deep);
    EXPECT_FALSE(parseJson(nested(kMaxJsonDepth), &error).is_discarded());
    EXPECT_EQ(error, JsonError::none);
    EXPECT_TRUE(parseJson(nested(11), &error, 10).is_discarded());
    EXPECT_EQ(error, JsonError::too_deep);
    EXPECT_EQ(parseJson(R"({"a":[1,{"b":null}]})")["a"][1]["b"], nullptr);
}

TEST(ParseJson, TellsSyntaxErrorsApart) {
    JsonError error = JsonError::none;
    EXPECT_TRUE(parseJson("{\"a\":", &error).is_discarded());
    EXPECT_EQ(error, JsonError::syntax);
    EXPECT_TRUE(parseJson("", &error).is_discarded());
    EXPECT_EQ(error, JsonError::syntax);
}

TEST(ParseJsonObject, AnswersInvalidJsonNamingTheLimit) {
    Request r;
    r.body = R"({"email":)" + nested(100000) + R"(,"password":"x"})";
    try {
        parseJsonObject(r);
        FAIL() << "accepted";
    } catch (const ApiError& e) {
        EXPECT_EQ(e.status(), 400);
        EXPECT_EQ(e.code(), "invalid_json");
        EXPECT_NE(e.message().find(std::to_string(kMaxJsonDepth)), std::string::npos);
    }
}

TEST(JsonNesting, CountsOutsideStringsAndStopsPastTheLimit) {
    EXPECT_EQ(jsonNesting(R"({"a":[{"b":"[[[[\"{{"}]})", 64), 3u);
    EXPECT_EQ(jsonNesting(nested(1000, "{\"k\":", "}"), 64), 65u);
    EXPECT_EQ(jsonNesting("name,email\nAna,[x]", 64), 1u);
    EXPECT_EQ(jsonNesting("]]]][", 64), 1u);
}

}  // namespace
}  // namespace tessera::sdk
