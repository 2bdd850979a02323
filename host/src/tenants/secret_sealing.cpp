#include "tenants/secret_sealing.hpp"

#include <spdlog/spdlog.h>

#include "core/tenant_secrets.hpp"

namespace tessera::host {
namespace {

// Column names come from the fixed list below, never from input.
int sealUserColumn(sdk::Database& db, const std::string& tenant, const std::string& column, std::string_view binding) {
    int sealed = 0;
    const auto rows = db.query("SELECT id, " + column + " AS value FROM auth_users WHERE " + column +
                               " IS NOT NULL AND " + column + " <> '' AND " + column + " NOT LIKE 'v1:%'");
    for (const auto& row : rows) {
        const std::string plain = row["value"].asText();
        // The condition on the old value keeps a concurrent re-enrolment from being overwritten.
        sealed += static_cast<int>(db.execute("UPDATE auth_users SET " + column + " = ? WHERE id = ? AND " + column + " = ?",
                                              {sealTenantSecret(tenant, binding, plain), row["id"].asText(), plain}));
    }
    return sealed;
}

}  // namespace

int sealPlaintextSecrets(sdk::Database& db, const std::string& tenant) {
    int sealed = 0;
    db.transaction([&] {
        sealed += sealUserColumn(db, tenant, "totp_secret", secret_columns::kTotpSecret);
        sealed += sealUserColumn(db, tenant, "totp_pending_secret", secret_columns::kTotpPendingSecret);
        auto row = db.queryOne("SELECT value FROM tessera_settings WHERE key = 'workflows.webhook_secret'");
        if (row && isPlaintextSecret((*row)["value"].asText())) {
            const std::string plain = (*row)["value"].asText();
            sealed += static_cast<int>(
                db.execute("UPDATE tessera_settings SET value = ? WHERE key = 'workflows.webhook_secret' AND value = ?",
                           {sealTenantSecret(tenant, secret_columns::kWebhookSecret, plain), plain}));
        }
    });
    if (sealed > 0) spdlog::info("[secrets tenant={}] sealed {} secret(s) stored before encryption", tenant, sealed);
    return sealed;
}

}  // namespace tessera::host
