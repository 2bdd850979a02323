#pragma once
// A tenant's own workflow options, kept in its tessera_settings table: the HTTP
// allowlist of crm.http.request, the webhook signing secret and the time zone of cron
// triggers (the host-wide "time_zone" setting).

#include <string>
#include <vector>

#include <tessera/sdk/database.hpp>

namespace tessera::host {

std::vector<std::string> httpAllowlist(sdk::Database& db);
void setHttpAllowlist(sdk::Database& db, const std::vector<std::string>& hosts);
// The signing secret, created on first use. Stored sealed with the master key
// (core/tenant_secrets.hpp); throws SecretUnreadable when the stored value does not open.
std::string webhookSecret(sdk::Database& db);
std::string rotateWebhookSecret(sdk::Database& db);
// IANA name; "UTC" when unset.
std::string tenantTimeZone(sdk::Database& db);
void setTenantTimeZone(sdk::Database& db, const std::string& zone);

}  // namespace tessera::host
