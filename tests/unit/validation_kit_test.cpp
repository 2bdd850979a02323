// The SDK's validation kit (<tessera/sdk/rest/validation.hpp>): what every plugin's 422
// says, checked once here; the routes' tests check that each plugin goes through it.
#include <gtest/gtest.h>

#include <tessera/sdk/rest/validation.hpp>

namespace tessera::sdk::rest {
namespace {

TEST(ValidationKit, RefusesUnknownAndReadOnlyMembersWhenTheReaderIsMade) {
    const Json body = {{"name", "x"}, {"id", "ct_1"}, {"rotten", true}, {"nickname", "y"}};
    FieldErrors errors;
    BodyReader in(body, {"name"}, errors, "", {"rotten"});
    EXPECT_EQ(errors.json(), (Json{{"id", "is read-only"}, {"rotten", "is read-only"}, {"nickname", "unknown field"}}));
}

TEST(ValidationKit, CountsCharactersNotBytes) {
    const Json body = {{"name", "Ação"}, {"city", "São Paulo!"}};
    FieldErrors errors;
    BodyReader in(body, {"name", "city"}, errors);
    EXPECT_EQ(in.text("name", 4, true), "Ação");  // 6 bytes, 4 characters
    EXPECT_EQ(in.text("city", 9), std::nullopt);
    EXPECT_EQ(errors.json(), (Json{{"city", "must be at most 9 characters"}}));
}

TEST(ValidationKit, RequiredMeansPresentNonNullAndNotEmpty) {
    const Json body = {{"a", nullptr}, {"b", ""}, {"c", 5}};
    FieldErrors errors;
    BodyReader in(body, {"a", "b", "c", "d"}, errors);
    in.text("a", 10, true);
    in.text("b", 10, true);
    in.text("c", 10, true);
    in.text("d", 10, true);
    EXPECT_EQ(errors.json(), (Json{{"a", "is required"}, {"b", "must not be empty"}, {"c", "must be a string"},
                                   {"d", "is required"}}));
    FieldErrors optional;
    BodyReader lenient(body, {"a", "b", "c", "d"}, optional);
    EXPECT_EQ(lenient.text("a", 10), std::nullopt);
    EXPECT_EQ(lenient.text("b", 10), "");
    EXPECT_TRUE(optional.empty());
}

TEST(ValidationKit, NumbersDatesChoicesAndCurrenciesUseOneSetOfWords) {
    const Json body = {{"n", 18446744073709551615ULL}, {"m", 1.5},   {"price", -1}, {"on", "2026-02-30"},
                       {"s", "maybe"},               {"cur", "brl"}, {"ok", "yes"}, {"ref", ""}};
    FieldErrors errors;
    BodyReader in(body, {"n", "m", "price", "on", "s", "cur", "ok", "ref"}, errors);
    in.integer("n", 0, 100);
    in.integer("m", 0, 100);
    in.amount("price", 0);
    in.date("on");
    in.oneOf("s", {"open", "won", "lost"});
    in.currency("cur");
    in.boolean("ok");
    in.id("ref");
    EXPECT_EQ(errors.json(), (Json{{"n", "must be an integer from 0 to 100"},
                                   {"m", "must be an integer from 0 to 100"},
                                   {"price", "must be an integer amount in minor units from 0 to 10^15"},
                                   {"on", "must be a date (YYYY-MM-DD)"},
                                   {"s", "must be one of open, won, lost"},
                                   {"cur", "must be an ISO 4217 currency code such as \"BRL\""},
                                   {"ok", "must be true or false"},
                                   {"ref", "must be an id (a string of 1-64 characters)"}}));
}

TEST(ValidationKit, ReadersOfAnArrayElementNameItWithThePrefixAndKeepTheFirstProblem) {
    const Json line = {{"quantity", 0}, {"total", 3}};
    FieldErrors errors;
    BodyReader in(line, {"quantity"}, errors, "lines.2.", {"total"});
    in.integer("quantity", 1, 10, true);
    in.error("quantity", "a second problem is not reported");
    EXPECT_TRUE(in.failed("quantity"));
    EXPECT_EQ(errors.json(), (Json{{"lines.2.quantity", "must be an integer from 1 to 10"}, {"lines.2.total", "is read-only"}}));
    try {
        errors.throwIfAny();
        FAIL() << "no 422";
    } catch (const ApiError& e) {
        EXPECT_EQ(e.status(), 422);
        EXPECT_EQ(e.code(), "validation_failed");
        EXPECT_EQ(e.fields(), errors.json());
    }
}

TEST(ValidationKit, EmailsAndCurrencies) {
    EXPECT_TRUE(validEmail("ana@example.com.br"));
    for (const char* bad : {"ana", "@example.com", "ana@x", "ana@@example.com", "a na@example.com", "ana@example..com"})
        EXPECT_FALSE(validEmail(bad)) << bad;
    EXPECT_EQ(findCurrency("JPY")->exponent, 0);
    EXPECT_EQ(findCurrency("BHD")->exponent, 3);
    EXPECT_FALSE(findCurrency("XAU"));
    EXPECT_FALSE(findCurrency("usd"));
}

}  // namespace
}  // namespace tessera::sdk::rest
