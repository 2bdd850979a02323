#pragma once
// Small primitives every credential needs: unguessable random strings, SHA-256 for
// storing secrets that are only ever compared (core/digest.hpp), constant-time
// comparison.

#include <chrono>
#include <string>
#include <string_view>

#include "core/clock.hpp"
#include "core/digest.hpp"  // sha256Hex, for what is stored hashed

namespace tessera::host::auth {

// `bytes` random bytes from the OS CSPRNG, base64url without padding, after `prefix`.
std::string randomSecret(std::string_view prefix, std::size_t bytes = 32);
// `chars` characters of base32 ("0-9a-z" without i, l, o, u), each from the OS CSPRNG:
// short secrets a person types, like 2FA recovery codes. Record ids are core/ids.hpp.
std::string randomCode(std::size_t chars);
bool constantTimeEquals(std::string_view a, std::string_view b);

}  // namespace tessera::host::auth
