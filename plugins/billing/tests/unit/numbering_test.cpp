// Number templates and the calendar arithmetic behind due dates and billing periods.

#include <gtest/gtest.h>

#include <tessera/sdk/rest/dates.hpp>

#include "numbering.hpp"

namespace tessera::plugins::billing {

using namespace sdk::rest;
namespace {

TEST(NumberFormat, FillsTokens) {
    EXPECT_EQ(formatNumber("INV-{YYYY}-{000000}", "2026-03-09", 123), "INV-2026-000123");
    EXPECT_EQ(formatNumber("F{YY}/{MM}/{0000}", "2026-03-09", 7), "F26/03/0007");
    EXPECT_EQ(formatNumber("{0}", "2026-03-09", 1234567), "1234567");  // grows past the width
}

TEST(NumberFormat, RefusesBrokenTemplates) {
    EXPECT_EQ(numberFormatProblem("INV-{YYYY}-{000000}"), "");
    EXPECT_EQ(numberFormatProblem("INV-{YYYY}"), "must contain exactly one counter token such as {000000}");
    EXPECT_EQ(numberFormatProblem("{000}-{000}"), "must contain exactly one counter token such as {000000}");
    EXPECT_EQ(numberFormatProblem("{MM}-{000}"), "{MM} needs {YYYY} or {YY} too, or numbers would repeat every year");
    EXPECT_NE(numberFormatProblem("{DD}-{000}"), "");
    EXPECT_NE(numberFormatProblem("INV-{000"), "");
    EXPECT_NE(numberFormatProblem("INV}-{000}"), "");
    EXPECT_NE(numberFormatProblem(""), "");
}

TEST(NumberFormat, SeriesRestartPerPeriodOfTheTemplate) {
    EXPECT_EQ(sequenceKey("invoice", "INV-{YYYY}-{000000}", "2026-03-09"), "invoice:2026");
    EXPECT_EQ(sequenceKey("invoice", "F{YY}{MM}-{000}", "2026-03-09"), "invoice:2026-03");
    EXPECT_EQ(sequenceKey("invoice", "N{000000}", "2026-03-09"), "invoice");
}

TEST(Calendar, DayNumbersRoundTrip) {
    EXPECT_EQ(dayNumber("1970-01-01"), 0);
    EXPECT_EQ(dayNumber("2000-03-01") - dayNumber("2000-02-28"), 2);  // leap year
    EXPECT_EQ(dayNumber("1900-03-01") - dayNumber("1900-02-28"), 1);  // not a leap year
    for (long d = -1000; d < 40000; d += 37) EXPECT_EQ(dayNumber(dateFromDayNumber(d)), d);
    EXPECT_EQ(addDays("2026-12-31", 1), "2027-01-01");
    EXPECT_EQ(addDays("2026-01-31", 30), "2026-03-02");
}

TEST(Calendar, MonthsKeepTheAnchorDay) {
    EXPECT_EQ(addMonthsAnchored("2026-01-31", 1, 31), "2026-02-28");
    EXPECT_EQ(addMonthsAnchored("2026-02-28", 1, 31), "2026-03-31");
    EXPECT_EQ(addMonthsAnchored("2028-01-30", 1, 30), "2028-02-29");
    EXPECT_EQ(addMonthsAnchored("2026-11-15", 3, 15), "2027-02-15");
    EXPECT_EQ(addMonthsAnchored("2026-05-01", 12, 1), "2027-05-01");
    EXPECT_EQ(addMonthsAnchored("2026-01-10", -1, 10), "2025-12-10");
}

}  // namespace
}  // namespace tessera::plugins::billing
