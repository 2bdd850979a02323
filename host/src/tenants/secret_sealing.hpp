#pragma once
// Sealing the secrets the host keeps in a tenant database (TOTP secrets, the webhook
// signing secret) again, in place:
// - sealPlaintextSecrets: the one-shot upgrade of a database written before secrets were
//   encrypted. Runs after the tenant's migrations (TenantService::migrate), so `tessera
//   migrate` and the first request after an upgrade both leave no plaintext behind.
// - resealAllSecrets: every value, opened with the installed master key(s) and sealed
//   again; `tessera secrets rotate-key` runs it with the rotating key installed.

#include <string>

#include <tessera/sdk/database.hpp>

namespace tessera::host {

// Returns how many values were sealed (0 once a tenant is upgraded: a cheap no-op).
int sealPlaintextSecrets(sdk::Database& db, const std::string& tenant);

// Returns how many values were sealed again. In one transaction: a value that does not
// open (ApiError 503 secret_unreadable, logged with its column) changes nothing.
int resealAllSecrets(sdk::Database& db, const std::string& tenant);

}  // namespace tessera::host
