#pragma once
/// Opaque ids in the format every Tessera API uses (docs/api.md: ids are opaque strings).
/// Part of the REST helper library (tessera_sdk_rest), linked statically into plugins.

#include <cstddef>
#include <string>
#include <string_view>

namespace tessera::sdk::rest {

/// A new opaque id: `prefix` plus 20 base32 characters, e.g. "ct_...". The first 9 carry
/// the time in milliseconds and the other 11 are random (55 bits), so ids made later sort
/// after earlier ones (to the millisecond): a table's id index then grows at its end
/// instead of touching a random page per insert, which is most of what a batch of
/// inserts writes to disk. Clients must still treat ids as opaque.
/// Not a secret: the random part comes from a per-thread generator seeded from the OS
/// CSPRNG, so ids are unique across threads and processes but must never grant access.
/// Thread-safe.
std::string newId(std::string_view prefix);

/// `count` random characters of the same alphabet from the same generator, for ids that
/// carry no time (request ids, the host's own records). Not a secret. Thread-safe.
std::string randomIdChars(std::size_t count);

}  // namespace tessera::sdk::rest
