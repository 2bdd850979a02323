#pragma once
// Time-based one-time passwords (RFC 6238: HMAC-SHA1, 30 s steps, 6 digits) through
// liboath, the parameters every authenticator app understands.

#include <cstdint>
#include <optional>
#include <string>

namespace tessera::host::auth {

// A new random 160-bit secret, base32 (what authenticator apps accept).
std::string newTotpSecret();
// otpauth://totp/<issuer>:<account>?secret=...&issuer=...
std::string totpProvisioningUri(const std::string& secret_base32, const std::string& issuer, const std::string& account);
// The time step a code is valid for (±1 step of clock drift), or nullopt. Callers refuse
// a step not greater than the last one accepted, so a code works only once.
std::optional<std::int64_t> totpMatchStep(const std::string& secret_base32, const std::string& code);
// The current code (tests and tools).
std::string totpCodeNow(const std::string& secret_base32);

}  // namespace tessera::host::auth
