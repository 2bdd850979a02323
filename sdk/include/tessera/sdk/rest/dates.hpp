#pragma once
/// ISO 8601 UTC timestamps and calendar dates as every Tessera API writes them
/// (docs/api.md), plus the exact day and month arithmetic plugins need for due dates,
/// billing cycles and monthly reports. Part of tessera_sdk_rest. All functions are pure
/// or read only the system clock, and are thread-safe.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tessera::sdk::rest {

/// Now as "YYYY-MM-DDTHH:MM:SS.mmmZ". Fixed width, so timestamps sort correctly as text.
std::string nowIso();

/// The instant `seconds` ago in the same format.
std::string isoSecondsAgo(long seconds);

/// Today's date in UTC as "YYYY-MM-DD".
std::string todayUtc();

/// True for "YYYY-MM-DD" naming a real calendar date.
bool validDate(std::string_view text);

/// True for an ISO 8601 UTC timestamp "YYYY-MM-DDTHH:MM:SS[.fff]Z"; `normalized` receives
/// the millisecond form used in storage.
bool parseTimestamp(std::string_view text, std::string& normalized);

/// Milliseconds since the Unix epoch of a timestamp (or of a "YYYY-MM-DD" date at
/// midnight UTC); nullopt for anything else.
std::optional<std::int64_t> epochMillis(std::string_view iso);

/// Days since 1970-01-01 of a valid "YYYY-MM-DD" date (negative before 1970).
/// Precondition: validDate(date).
long dayNumber(std::string_view date);

/// The "YYYY-MM-DD" date `days` days after 1970-01-01.
std::string dateFromDayNumber(long days);

/// `date` plus `days` days (negative goes back). Precondition: validDate(date).
std::string addDays(std::string_view date, long days);

/// The date `months` months after `date`, on `anchor_day` (1-31) clamped to the length of
/// the target month: 2026-01-31 + 1 month with anchor 31 is 2026-02-28, and + 2 months is
/// 2026-03-31 again, because the anchor, not the previous date, decides the day.
std::string addMonthsAnchored(std::string_view date, int months, int anchor_day);

/// "YYYY-MM" of a date or timestamp (its first 7 characters).
inline std::string monthOf(std::string_view iso) { return std::string(iso.substr(0, 7)); }

/// The month after "YYYY-MM".
std::string nextMonth(const std::string& month);

}  // namespace tessera::sdk::rest
