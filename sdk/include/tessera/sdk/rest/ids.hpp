#pragma once
/// Opaque ids in the format every Tessera API uses (docs/api.md: ids are opaque strings).
/// Part of the REST helper library (tessera_sdk_rest), linked statically into plugins.

#include <string>
#include <string_view>

namespace tessera::sdk::rest {

/// A new opaque id: `prefix` plus 20 random base32 characters (100 bits), e.g. "ct_...".
/// Not a secret: a per-thread generator seeded from the OS CSPRNG, so ids are unique
/// across threads and processes but must never grant access. Thread-safe.
std::string newId(std::string_view prefix);

}  // namespace tessera::sdk::rest
