#pragma once
/// Per-tenant billing settings: number templates, default payment terms, the PIX
/// receiver and the webhook secrets of payment gateways.

#include <optional>
#include <string>

#include <tessera/sdk.hpp>

namespace tessera::plugins::billing {

struct BillingSettings {
    std::string invoice_number_format = "INV-{YYYY}-{000000}";
    std::string credit_note_number_format = "CN-{YYYY}-{000000}";
    int default_due_days = 30;
    std::optional<std::string> pix_key;
    std::optional<std::string> pix_merchant_name;
    std::optional<std::string> pix_merchant_city;
    int version = 1;
    std::string updated_at;
};

/// The tenant's settings (defaults until first changed).
BillingSettings loadSettings(sdk::Database& db);

/// The secret `provider`'s webhooks are signed with, if the tenant configured one. It is
/// stored sealed with the host's master key (a value from before sealing is sealed here).
std::optional<std::string> webhookSecret(sdk::TenantScope& scope, const std::string& provider);

/// Seals every provider's webhook secret again (Registrar::resealsSecrets, for a master
/// key rotation); returns how many.
int resealWebhookSecrets(sdk::TenantScope& scope);

/// GET /api/v1/billing/settings. Secrets are never returned, only which providers have one.
sdk::Response getSettingsRoute(const sdk::Request& req, sdk::TenantScope& scope);
/// PATCH /api/v1/billing/settings; "webhook_secrets": {"<provider>": "<secret>" | null}.
sdk::Response patchSettingsRoute(const sdk::Request& req, sdk::TenantScope& scope);

}  // namespace tessera::plugins::billing
