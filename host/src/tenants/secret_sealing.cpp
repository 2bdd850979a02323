#include "tenants/secret_sealing.hpp"

#include <spdlog/spdlog.h>

#include "core/tenant_secrets.hpp"

namespace tessera::host {
namespace {

enum class Which { Plaintext, All };

// Column names come from the fixed list below, never from input.
int sealUserColumn(sdk::Database& db, const std::string& tenant, const std::string& column, std::string_view binding,
                   Which which) {
    int sealed = 0;
    const auto rows = db.query("SELECT id, " + column + " AS value FROM auth_users WHERE " + column +
                               " IS NOT NULL AND " + column + " <> ''" +
                               (which == Which::Plaintext ? " AND " + column + " NOT LIKE 'v1:%'" : ""));
    for (const auto& row : rows) {
        const std::string stored = row["value"].asText();
        const std::string plain = openTenantSecret(tenant, binding, stored);
        // The condition on the old value keeps a concurrent re-enrolment from being overwritten.
        sealed += static_cast<int>(db.execute("UPDATE auth_users SET " + column + " = ? WHERE id = ? AND " + column + " = ?",
                                              {sealTenantSecret(tenant, binding, plain), row["id"].asText(), stored}));
    }
    return sealed;
}

int sealWebhookSecret(sdk::Database& db, const std::string& tenant, Which which) {
    auto row = db.queryOne("SELECT value FROM tessera_settings WHERE key = 'workflows.webhook_secret'");
    if (!row) return 0;
    const std::string stored = (*row)["value"].asText();
    if (which == Which::Plaintext && !isPlaintextSecret(stored)) return 0;
    const std::string plain = openTenantSecret(tenant, secret_columns::kWebhookSecret, stored);
    return static_cast<int>(
        db.execute("UPDATE tessera_settings SET value = ? WHERE key = 'workflows.webhook_secret' AND value = ?",
                   {sealTenantSecret(tenant, secret_columns::kWebhookSecret, plain), stored}));
}

int sealSecrets(sdk::Database& db, const std::string& tenant, Which which) {
    int sealed = 0;
    db.transaction([&] {
        sealed += sealUserColumn(db, tenant, "totp_secret", secret_columns::kTotpSecret, which);
        sealed += sealUserColumn(db, tenant, "totp_pending_secret", secret_columns::kTotpPendingSecret, which);
        sealed += sealWebhookSecret(db, tenant, which);
    });
    return sealed;
}

}  // namespace

int sealPlaintextSecrets(sdk::Database& db, const std::string& tenant) {
    const int sealed = sealSecrets(db, tenant, Which::Plaintext);
    if (sealed > 0) spdlog::info("[secrets tenant={}] sealed {} secret(s) stored before encryption", tenant, sealed);
    return sealed;
}

int resealAllSecrets(sdk::Database& db, const std::string& tenant) { return sealSecrets(db, tenant, Which::All); }

}  // namespace tessera::host
