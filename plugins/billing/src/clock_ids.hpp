#pragma once
/// Opaque ids and ISO 8601 UTC timestamps, the formats every Tessera API uses.

#include <string>
#include <string_view>

namespace tessera::plugins::billing {

/// A new opaque id: `prefix` plus 20 random base32 characters (100 bits), e.g. "ct_...".
/// Thread-safe.
std::string newId(std::string_view prefix);

/// Now as "YYYY-MM-DDTHH:MM:SS.mmmZ". Fixed width, so timestamps sort correctly as text.
std::string nowIso();

/// The instant `seconds` ago in the same format.
std::string isoSecondsAgo(long seconds);

/// True for "YYYY-MM-DD" naming a real calendar date.
bool validDate(std::string_view text);

/// True for an ISO 8601 UTC timestamp "YYYY-MM-DDTHH:MM:SS[.fff]Z"; `normalized` receives
/// the millisecond form used in storage.
bool parseTimestamp(std::string_view text, std::string& normalized);

/// Today's date in UTC as "YYYY-MM-DD".
std::string todayUtc();

/// Days since 1970-01-01 of a valid "YYYY-MM-DD" date (negative before 1970).
long dayNumber(std::string_view date);

/// The "YYYY-MM-DD" date `days` days after 1970-01-01.
std::string dateFromDayNumber(long days);

/// `date` plus `days` days.
std::string addDays(std::string_view date, long days);

/// The date `months` months after `date`, on `anchor_day` (1-31) clamped to the length of
/// the target month: 2026-01-31 + 1 month with anchor 31 is 2026-02-28, and + 2 months is
/// 2026-03-31 again, because the anchor, not the previous date, decides the day.
std::string addMonthsAnchored(std::string_view date, int months, int anchor_day);

}  // namespace tessera::plugins::billing
