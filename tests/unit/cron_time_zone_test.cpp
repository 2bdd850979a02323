// Cron schedules in a tenant's time zone, read by cctz from the tz database: the zone's
// rule holds past 2037, where Debian's TZif files list their last transition.
#include <gtest/gtest.h>

#include "workflows/cron.hpp"

namespace tessera::host {
namespace {

constexpr std::int64_t k2040Jan15 = 2'210'198'400;  // 2040-01-15T00:00:00Z
constexpr std::int64_t k2040Jul01 = 2'224'713'600;  // 2040-07-01T00:00:00Z

TEST(CronTimeZone, SummerTimeStillChangesPast2037) {
    const auto berlin = TimeZone::load("Europe/Berlin");
    ASSERT_TRUE(berlin);
    EXPECT_EQ(berlin->offsetAt(k2040Jan15), 3600);
    EXPECT_EQ(berlin->offsetAt(k2040Jul01), 7200);
    const auto sao_paulo = TimeZone::load("America/Sao_Paulo");
    ASSERT_TRUE(sao_paulo);
    EXPECT_EQ(sao_paulo->offsetAt(k2040Jan15), -3 * 3600);
    EXPECT_EQ(TimeZone::load("UTC")->offsetAt(k2040Jul01), 0);
}

TEST(CronTimeZone, NineInTheMorningFollowsTheClockOfTheZone) {
    std::string error;
    const auto daily = CronSchedule::parse("0 9 * * *", error);
    ASSERT_TRUE(daily) << error;
    const auto berlin = TimeZone::load("Europe/Berlin");
    EXPECT_EQ(daily->next(k2040Jan15, *berlin), k2040Jan15 + 8 * 3600);  // 09:00 CET is 08:00Z
    EXPECT_EQ(daily->next(k2040Jul01, *berlin), k2040Jul01 + 7 * 3600);  // 09:00 CEST is 07:00Z
}

TEST(CronTimeZone, OnlyZoneNamesAreLoaded) {
    EXPECT_FALSE(TimeZone::load("Mars/Olympus_Mons"));
    EXPECT_FALSE(TimeZone::load("../../etc/passwd"));
    EXPECT_FALSE(TimeZone::load("/etc/localtime"));
    EXPECT_FALSE(TimeZone::load(std::string(65, 'a')));
    EXPECT_EQ(TimeZone::load("")->name(), "UTC");
}

}  // namespace
}  // namespace tessera::host
