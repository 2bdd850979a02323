#pragma once
// 5-field cron expressions (minute hour day-of-month month day-of-week; numbers, *, a-b,
// lists and /steps; day-of-week 0-7 with 0 and 7 Sunday; when both day fields are
// restricted either may match, as in Vixie cron) evaluated in an IANA time zone.

#include <bitset>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <cctz/time_zone.h>

namespace tessera::host {

// UTC offsets of one IANA zone from the system's tz database (/usr/share/zoneinfo),
// read by cctz.
class TimeZone {
public:
    // nullopt for an unknown or unreadable zone name. "UTC" always works.
    static std::optional<TimeZone> load(const std::string& name);
    // Seconds east of UTC in effect at `utc` (Unix seconds), past 2037 too (the zone's
    // rule for the future, not its last listed transition).
    std::int64_t offsetAt(std::int64_t utc) const;
    const std::string& name() const { return name_; }

private:
    std::string name_;
    cctz::time_zone zone_;
};

class CronSchedule {
public:
    static std::optional<CronSchedule> parse(const std::string& expression, std::string& error);
    // The first matching minute strictly after `after_utc` (Unix seconds), in zone `tz`;
    // nullopt if none within five years (e.g. "0 0 30 2 *").
    std::optional<std::int64_t> next(std::int64_t after_utc, const TimeZone& tz) const;

private:
    std::bitset<60> minute_;
    std::bitset<24> hour_;
    std::bitset<32> dom_;
    std::bitset<13> month_;
    std::bitset<8> dow_;
    bool dom_any_ = true, dow_any_ = true;
};

}  // namespace tessera::host
