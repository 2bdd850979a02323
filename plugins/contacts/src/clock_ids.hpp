#pragma once
/// Opaque ids and ISO 8601 UTC timestamps, the formats every Tessera API uses.

#include <string>
#include <string_view>

namespace tessera::plugins::contacts {

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

}  // namespace tessera::plugins::contacts
