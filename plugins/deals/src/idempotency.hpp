#pragma once
/// Idempotency-Key support for POST routes: the first response to a key is stored and
/// replayed for 24 hours, so a client may retry a create without creating twice.
///
/// A copy of the contacts plugin's implementation over this plugin's own table
/// (deals_idempotency_keys): plugins share only the SDK. Candidate for the SDK.

#include <tessera/sdk.hpp>

namespace tessera::plugins::deals {

/// How long a stored response is replayed.
inline constexpr long kIdempotencyTtlSeconds = 24 * 60 * 60;

/// Wraps a POST handler. Without the header it just calls `inner`. With it: a stored
/// response for the key is replayed (with "Idempotent-Replayed: true"); a key reused
/// with a different method, path, query or body is refused with 422
/// idempotency_key_reused; otherwise `inner` runs and its response (unless 5xx) is stored.
sdk::Handler idempotent(sdk::Handler inner);

/// Deletes stored responses older than the TTL (run periodically from start()).
void purgeIdempotencyKeys(sdk::Database& db);

}  // namespace tessera::plugins::deals
