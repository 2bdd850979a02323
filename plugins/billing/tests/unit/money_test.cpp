// Money arithmetic: parsing, half-even rounding, per-line tax (inclusive and exclusive),
// discounts, multi-line totals and currency mismatch. No host, no database.

#include <gtest/gtest.h>

#include "money.hpp"

namespace tessera::plugins::billing {
namespace {

std::int64_t qty(const char* text) {
    std::string error;
    auto v = parseScaledDecimal(text, kQuantityDecimals, error);
    EXPECT_TRUE(v) << text << ": " << error;
    return v.value_or(0);
}
std::int64_t pct(const char* text) {
    std::string error;
    auto v = parseScaledDecimal(text, kPercentDecimals, error);
    EXPECT_TRUE(v) << text << ": " << error;
    return v.value_or(0);  // "12.5" percent -> 125'000, as kPercentScale counts 100 % as 1'000'000
}

TEST(Currencies, MinorUnitExponentsFollowIso4217) {
    EXPECT_EQ(findCurrency("JPY")->exponent, 0);
    EXPECT_EQ(findCurrency("BRL")->exponent, 2);
    EXPECT_EQ(findCurrency("USD")->exponent, 2);
    EXPECT_EQ(findCurrency("EUR")->exponent, 2);
    EXPECT_EQ(findCurrency("BHD")->exponent, 3);
    EXPECT_EQ(findCurrency("CLF")->exponent, 4);
    EXPECT_FALSE(findCurrency("usd"));
    EXPECT_FALSE(findCurrency("XXX"));
    EXPECT_FALSE(findCurrency(""));
}

TEST(Currencies, FormatAmountUsesTheCurrencyDecimals) {
    EXPECT_EQ(formatAmount(123456, *findCurrency("BRL")), "1234.56");
    EXPECT_EQ(formatAmount(5, *findCurrency("USD")), "0.05");
    EXPECT_EQ(formatAmount(-5, *findCurrency("USD")), "-0.05");
    EXPECT_EQ(formatAmount(500, *findCurrency("JPY")), "500");
    EXPECT_EQ(formatAmount(1234, *findCurrency("BHD")), "1.234");
    EXPECT_EQ(formatAmount(0, *findCurrency("EUR")), "0.00");
}

TEST(Decimals, ParsesPlainDecimalsExactly) {
    std::string e;
    EXPECT_EQ(parseScaledDecimal("1.5", 6, e), 1'500'000);
    EXPECT_EQ(parseScaledDecimal("0.000001", 6, e), 1);
    EXPECT_EQ(parseScaledDecimal("12", 4, e), 120'000);
    EXPECT_EQ(parseScaledDecimal("-3.25", 4, e), -32'500);
    EXPECT_EQ(parseScaledDecimal("999999999999.999999", 6, e), 999'999'999'999'999'999);
}

TEST(Decimals, RefusesEverythingElseWithAReason) {
    for (const char* bad : {"", ".5", "5.", "1e3", "+1", "1,5", " 1", "1 ", "0x10", "--1", "1.2.3", "NaN", "inf"}) {
        std::string e;
        EXPECT_FALSE(parseScaledDecimal(bad, 6, e)) << bad;
        EXPECT_FALSE(e.empty()) << bad;
    }
    std::string e;
    EXPECT_FALSE(parseScaledDecimal("1.0000001", 6, e));
    EXPECT_EQ(e, "must have at most 6 decimals");
    EXPECT_FALSE(parseScaledDecimal("1234567890123", 6, e));
    EXPECT_EQ(e, "must have at most 12 digits before the decimal point");
}

TEST(Decimals, FormatsCanonically) {
    EXPECT_EQ(formatScaledDecimal(1'500'000, 6), "1.5");
    EXPECT_EQ(formatScaledDecimal(2'000'000, 6), "2");
    EXPECT_EQ(formatScaledDecimal(1, 4), "0.0001");
    EXPECT_EQ(formatScaledDecimal(-32'500, 4), "-3.25");
    EXPECT_EQ(formatScaledDecimal(0, 4), "0");
}

TEST(Rounding, HalfEvenForBothSigns) {
    EXPECT_EQ(roundHalfEven(5, 2), 2);    // 2.5 -> 2
    EXPECT_EQ(roundHalfEven(7, 2), 4);    // 3.5 -> 4
    EXPECT_EQ(roundHalfEven(-5, 2), -2);  // -2.5 -> -2
    EXPECT_EQ(roundHalfEven(-7, 2), -4);  // -3.5 -> -4
    EXPECT_EQ(roundHalfEven(26, 10), 3);  // 2.6 -> 3
    EXPECT_EQ(roundHalfEven(24, 10), 2);  // 2.4 -> 2
    EXPECT_EQ(roundHalfEven(-26, 10), -3);
    EXPECT_EQ(roundHalfEven(1, 3), 0);
    EXPECT_EQ(roundHalfEven(2, 3), 1);
    EXPECT_EQ(roundHalfEven(6, 3), 2);
}

TEST(Lines, QuantityTimesPriceRoundsHalfEven) {
    // 0.5 x 25 cents = 12.5 -> 12 (even); 1.5 x 25 = 37.5 -> 38 (even).
    EXPECT_EQ(computeLine({25, qty("0.5")}).gross, 12);
    EXPECT_EQ(computeLine({25, qty("1.5")}).gross, 38);
    // 3.333333 hours at 150.00 = 499.99995 -> 50000 cents.
    EXPECT_EQ(computeLine({15000, qty("3.333333")}).gross, 50000);
    EXPECT_EQ(computeLine({1999, qty("3")}).total, 5997);
}

TEST(Lines, ExclusiveTaxIsAddedOnTheRoundedNet) {
    LineInput in{1000, qty("1"), std::nullopt, std::nullopt, pct("8.875"), false};
    auto l = computeLine(in);
    EXPECT_EQ(l.subtotal, 1000);
    EXPECT_EQ(l.tax, 89);  // 88.75 -> 89
    EXPECT_EQ(l.total, 1089);
    // 8.625 % of 1000 = 86.25 -> 86 ; of 200 = 17.25 -> 17
    EXPECT_EQ(computeLine({1000, qty("1"), std::nullopt, std::nullopt, pct("8.625"), false}).tax, 86);
    // A tie: 12.5 % of 100 cents = 12.5 -> 12; of 300 cents = 37.5 -> 38.
    EXPECT_EQ(computeLine({100, qty("1"), std::nullopt, std::nullopt, pct("12.5"), false}).tax, 12);
    EXPECT_EQ(computeLine({300, qty("1"), std::nullopt, std::nullopt, pct("12.5"), false}).tax, 38);
}

TEST(Lines, InclusiveTaxIsExtractedFromThePrice) {
    // 119.00 including 19 % VAT: net 100.00, tax 19.00.
    auto l = computeLine({11900, qty("1"), std::nullopt, std::nullopt, pct("19"), true});
    EXPECT_EQ(l.total, 11900);
    EXPECT_EQ(l.tax, 1900);
    EXPECT_EQ(l.subtotal, 10000);
    // 10.00 including 19 %: tax = 1000 x 19/119 = 159.66 -> 160, net 840.
    auto m = computeLine({1000, qty("1"), std::nullopt, std::nullopt, pct("19"), true});
    EXPECT_EQ(m.tax, 160);
    EXPECT_EQ(m.subtotal, 840);
    EXPECT_EQ(m.total, 1000);
    EXPECT_EQ(m.subtotal + m.tax, m.total);
}

TEST(Lines, DiscountsApplyBeforeTax) {
    // 3 x 33.33 = 99.99; 10 % off = 9.999 -> 10.00; net 89.99; 20 % tax = 17.998 -> 18.00.
    auto l = computeLine({3333, qty("3"), pct("10"), std::nullopt, pct("20"), false});
    EXPECT_EQ(l.gross, 9999);
    EXPECT_EQ(l.discount, 1000);
    EXPECT_EQ(l.subtotal, 8999);
    EXPECT_EQ(l.tax, 1800);
    EXPECT_EQ(l.total, 10799);
    auto f = computeLine({5000, qty("2"), std::nullopt, Amount{2500}, 0, false});
    EXPECT_EQ(f.discount, 2500);
    EXPECT_EQ(f.total, 7500);
    EXPECT_THROW(computeLine({5000, qty("1"), std::nullopt, Amount{5001}, 0, false}), AmountOutOfRange);
    EXPECT_THROW(computeLine({5000, qty("1"), pct("100.0001"), std::nullopt, 0, false}),
                 AmountOutOfRange);
}

TEST(Lines, ZeroDecimalAndThreeDecimalCurrencies) {
    // JPY: 1.5 x 333 yen = 499.5 -> 500 (even); 10 % tax = 50.
    auto y = computeLine({333, qty("1.5"), std::nullopt, std::nullopt, pct("10"), false});
    EXPECT_EQ(y.gross, 500);
    EXPECT_EQ(y.tax, 50);
    // BHD: 2.5 x 1.005 BHD (1005 fils) = 2512.5 fils -> 2512; 10 % VAT = 251.2 -> 251.
    auto b = computeLine({1005, qty("2.5"), std::nullopt, std::nullopt, pct("10"), false});
    EXPECT_EQ(b.gross, 2512);
    EXPECT_EQ(b.tax, 251);
    EXPECT_EQ(b.total, 2763);
}

TEST(Lines, RefusesNonsenseAndOverflow) {
    EXPECT_THROW(computeLine({-1, qty("1")}), std::invalid_argument);
    EXPECT_THROW(computeLine({100, 0}), std::invalid_argument);
    EXPECT_THROW(computeLine({kMaxAmount, qty("2")}), AmountOutOfRange);
    EXPECT_THROW(computeLine({kMaxAmount + 1, qty("1")}), AmountOutOfRange);
    EXPECT_NO_THROW(computeLine({kMaxAmount, qty("1")}));
    EXPECT_THROW(computeLine({100, qty("1"), std::nullopt, std::nullopt, -1, false}), AmountOutOfRange);
}

TEST(Totals, AreSumsOfRoundedLinesNotRoundedSums) {
    // Three lines of 0.333 x 1.00 each round to 33 cents: the total is 99, not round(99.9) = 100.
    DocumentTotals t("USD");
    for (int i = 0; i < 3; ++i) t.add("USD", computeLine({100, qty("0.333")}));
    EXPECT_EQ(t.subtotal(), 99);
    EXPECT_EQ(t.total(), 99);
    // Per-line tax: two lines of 0.05 at 10 % have tax 0 + 0 (0.5 -> 0), not round(1.0) = 1.
    DocumentTotals v("EUR");
    v.add("EUR", computeLine({5, qty("1"), std::nullopt, std::nullopt, pct("10"), false}));
    v.add("EUR", computeLine({5, qty("1"), std::nullopt, std::nullopt, pct("10"), false}));
    EXPECT_EQ(v.tax(), 0);
    EXPECT_EQ(v.total(), 10);
}

TEST(Totals, MixedInclusiveAndExclusiveLines) {
    DocumentTotals t("BRL");
    t.add("BRL", computeLine({11900, qty("1"), std::nullopt, std::nullopt, pct("19"), true}));
    t.add("BRL", computeLine({10000, qty("2"), pct("5"), std::nullopt, pct("7.5"), false}));
    // Line 2: gross 20000, discount 1000, net 19000, tax 1425, total 20425.
    EXPECT_EQ(t.gross(), 31900);
    EXPECT_EQ(t.discount(), 1000);
    EXPECT_EQ(t.subtotal(), 10000 + 19000);
    EXPECT_EQ(t.tax(), 1900 + 1425);
    EXPECT_EQ(t.total(), 11900 + 20425);
    EXPECT_EQ(t.subtotal() + t.tax(), t.total());
}

TEST(Totals, CurrencyMismatchIsRefused) {
    DocumentTotals t("BRL");
    t.add("BRL", computeLine({100, qty("1")}));
    try {
        t.add("USD", computeLine({100, qty("1")}));
        FAIL() << "a USD line was added to a BRL document";
    } catch (const CurrencyMismatch& e) {
        EXPECT_EQ(e.expected(), "BRL");
        EXPECT_EQ(e.found(), "USD");
    }
    EXPECT_EQ(t.total(), 100);
    EXPECT_THROW(addMoney(1, "EUR", 1, "USD"), CurrencyMismatch);
    EXPECT_EQ(addMoney(1, "EUR", 2, "EUR"), 3);
}

TEST(Totals, CreditNoteLinesAreNegated) {
    auto l = computeLine({11900, qty("1"), std::nullopt, std::nullopt, pct("19"), true}).negated();
    DocumentTotals t("EUR");
    t.add("EUR", l);
    EXPECT_EQ(t.total(), -11900);
    EXPECT_EQ(t.tax(), -1900);
    EXPECT_EQ(t.subtotal(), -10000);
}

}  // namespace
}  // namespace tessera::plugins::billing
