#pragma once
// Idempotency-Key for the POST routes declared `idempotent` (docs/api.md): the first
// answer to a key is stored in the tenant's host_idempotency_keys table (one table for
// every plugin, migrations/tenant/0004) and replayed for 24 hours, so a client may retry
// a create without creating twice.

#include <chrono>

#include <tessera/sdk/registrar.hpp>

namespace tessera::host {

inline constexpr std::chrono::hours kIdempotencyTtl{24};

// Answers `req` through `handler`, or replays. Without the header it just calls the
// handler. With it: a stored answer for the key is replayed (with "Idempotent-Replayed:
// true"); a key reused with a different method, path, query or body is refused with 422
// idempotency_key_reused; a key whose first request is still running gets 409
// idempotency_key_in_use; otherwise the handler runs and its answer (unless 5xx) is stored.
sdk::Response answerOnce(const sdk::Handler& handler, const sdk::Request& req, sdk::TenantScope& scope);

// Deletes the tenant's stored answers older than the TTL (hourly, from the host).
void purgeIdempotencyKeys(sdk::Database& db);

}  // namespace tessera::host
