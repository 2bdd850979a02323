#pragma once
/// Idempotency-Key support for POST routes (docs/api.md): the first response to a key is
/// stored and replayed for 24 hours, so a client may retry a create without creating
/// twice. Part of tessera_sdk_rest.
///
/// Each plugin owns its key table (migrations stay per plugin) with this shape:
///
///     CREATE TABLE <id>_idempotency_keys (
///         idem_key TEXT PRIMARY KEY, fingerprint TEXT NOT NULL, status INTEGER NOT NULL,
///         headers TEXT NOT NULL, body TEXT NOT NULL, created_at TEXT NOT NULL);
///     CREATE INDEX <id>_idempotency_keys_created ON <id>_idempotency_keys (created_at);

#include <string>

#include <tessera/sdk/database.hpp>
#include <tessera/sdk/registrar.hpp>

namespace tessera::sdk::rest {

/// How long a stored response is replayed.
inline constexpr long kIdempotencyTtlSeconds = 24 * 60 * 60;

/// Wraps a POST handler; `table` is the plugin's key table (a name chosen by the plugin,
/// never client input). Without the header it just calls `inner`. With it: a stored
/// response for the key is replayed (with "Idempotent-Replayed: true"); a key reused with
/// a different method, path, query or body is refused with 422 idempotency_key_reused; a
/// key whose first request is still running gets 409 idempotency_key_in_use; otherwise
/// `inner` runs and its response (unless 5xx) is stored. The returned handler is
/// thread-safe as far as `inner` is.
Handler idempotent(std::string table, Handler inner);

/// Deletes stored responses older than the TTL from `table` (run hourly from start()).
void purgeIdempotencyKeys(Database& db, const std::string& table);

}  // namespace tessera::sdk::rest
