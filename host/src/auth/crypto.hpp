#pragma once
// Small primitives every credential needs: unguessable random strings, SHA-256 for
// storing secrets that are only ever compared (tokens, session ids, reset links,
// recovery codes), constant-time comparison, and the timestamp format of auth tables.

#include <chrono>
#include <string>
#include <string_view>

namespace tessera::host::auth {

// `bytes` random bytes from the OS CSPRNG, base64url without padding, after `prefix`.
std::string randomSecret(std::string_view prefix, std::size_t bytes = 32);
// An opaque record id: prefix + 16 random bytes in hex-free base32-ish text.
std::string randomId(std::string_view prefix);
// Lowercase hex SHA-256.
std::string sha256Hex(std::string_view text);
bool constantTimeEquals(std::string_view a, std::string_view b);

// ISO 8601 UTC with milliseconds ("2026-01-02T03:04:05.678Z"): sorts as text.
std::string isoTime(std::chrono::system_clock::time_point t);
inline std::string isoNow() { return isoTime(std::chrono::system_clock::now()); }
inline std::string isoIn(std::chrono::seconds from_now) {
    return isoTime(std::chrono::system_clock::now() + from_now);
}

}  // namespace tessera::host::auth
