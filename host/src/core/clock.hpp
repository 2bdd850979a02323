#pragma once
// Timestamps as the host stores and prints them: ISO 8601 UTC with milliseconds
// ("2026-01-02T03:04:05.678Z"), which sorts correctly as text on both engines.

#include <chrono>
#include <optional>
#include <string>

namespace tessera::host {

std::string isoTime(std::chrono::system_clock::time_point t);
inline std::string isoNow() { return isoTime(std::chrono::system_clock::now()); }
inline std::string isoIn(std::chrono::seconds from_now) { return isoTime(std::chrono::system_clock::now() + from_now); }
// Parses the format above (fractional part optional); nullopt if malformed.
std::optional<std::chrono::system_clock::time_point> parseIsoTime(const std::string& text);

}  // namespace tessera::host
