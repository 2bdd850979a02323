#pragma once
// Small primitives every credential needs: unguessable random strings, SHA-256 for
// storing secrets that are only ever compared (tokens, session ids, reset links,
// recovery codes), constant-time comparison.

#include <chrono>
#include <string>
#include <string_view>

#include "core/clock.hpp"

namespace tessera::host::auth {

// `bytes` random bytes from the OS CSPRNG, base64url without padding, after `prefix`.
std::string randomSecret(std::string_view prefix, std::size_t bytes = 32);
// An opaque record id: prefix + 16 random bytes in hex-free base32-ish text.
std::string randomId(std::string_view prefix);
// Lowercase hex SHA-256.
std::string sha256Hex(std::string_view text);
bool constantTimeEquals(std::string_view a, std::string_view b);

}  // namespace tessera::host::auth
