#pragma once
/// Opaque ids, ISO 8601 UTC timestamps and calendar arithmetic for deals. The id and
/// timestamp formats are the ones every Tessera API uses (see docs/api.md); the code is
/// a small copy of the contacts plugin's, since plugins share only the SDK.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tessera::plugins::deals {

/// A new opaque id: `prefix` plus 20 random base32 characters (100 bits). Thread-safe.
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

/// Milliseconds since the Unix epoch of a stored timestamp (or a "YYYY-MM-DD" date, at
/// midnight UTC); nullopt for anything else.
std::optional<std::int64_t> epochMillis(std::string_view iso);

/// "YYYY-MM" of a date or timestamp (its first 7 characters).
inline std::string monthOf(std::string_view iso) { return std::string(iso.substr(0, 7)); }

/// The month after "YYYY-MM".
std::string nextMonth(const std::string& month);

}  // namespace tessera::plugins::deals
