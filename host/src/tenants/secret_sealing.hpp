#pragma once
// One-shot upgrade of a tenant database written before secrets were encrypted: every
// TOTP secret and the webhook signing secret still stored as plaintext is sealed with
// the master key. Runs after the tenant's migrations (TenantService::migrate), so
// `tessera migrate` and the first request after an upgrade both leave no plaintext behind.

#include <string>

#include <tessera/sdk/database.hpp>

namespace tessera::host {

// Returns how many values were sealed (0 once a tenant is upgraded: a cheap no-op).
int sealPlaintextSecrets(sdk::Database& db, const std::string& tenant);

}  // namespace tessera::host
