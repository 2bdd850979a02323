#include "workflows/tenant_options.hpp"

#include <openssl/rand.h>

#include <stdexcept>

#include <tessera/sdk/http.hpp>

#include "core/tenant_secrets.hpp"
#include "db/sql_database.hpp"

namespace tessera::host {
namespace {

std::string read(sdk::Database& db, const std::string& key) {
    auto r = db.queryOne("SELECT value FROM tessera_settings WHERE key = ?", {key});
    return r ? (*r)["value"].asText() : "";
}

void write(sdk::Database& db, const std::string& key, const std::string& value) {
    db.transaction([&] {
        db.execute("DELETE FROM tessera_settings WHERE key = ?", {key});
        db.execute("INSERT INTO tessera_settings (key, value) VALUES (?, ?)", {key, value});
    });
}

std::string randomHex(int bytes) {
    std::string raw(static_cast<std::size_t>(bytes), '\0');
    if (RAND_bytes(reinterpret_cast<unsigned char*>(raw.data()), bytes) != 1)
        throw std::runtime_error("no randomness available for the webhook secret");
    static const char* hex = "0123456789abcdef";
    std::string out;
    for (unsigned char c : raw) {
        out += hex[c >> 4];
        out += hex[c & 15];
    }
    return out;
}

}  // namespace

std::vector<std::string> httpAllowlist(sdk::Database& db) {
    std::vector<std::string> out;
    auto j = sdk::parseJson(read(db, "workflows.http_allowlist"));
    if (j.is_array())
        for (const auto& h : j)
            if (h.is_string()) out.push_back(h.get<std::string>());
    return out;
}

void setHttpAllowlist(sdk::Database& db, const std::vector<std::string>& hosts) {
    write(db, "workflows.http_allowlist", sdk::Json(hosts).dump());
}

std::string webhookSecret(sdk::Database& db) {
    const std::string& tenant = tenantOf(db);
    const std::string stored = read(db, "workflows.webhook_secret");
    if (stored.empty()) return rotateWebhookSecret(db);
    std::string s = openTenantSecret(tenant, secret_columns::kWebhookSecret, stored);
    // Written before secrets were sealed: seal it now, the value itself stays the same.
    if (isPlaintextSecret(stored)) write(db, "workflows.webhook_secret", sealTenantSecret(tenant, secret_columns::kWebhookSecret, s));
    return s;
}

std::string rotateWebhookSecret(sdk::Database& db) {
    const std::string s = randomHex(32);
    write(db, "workflows.webhook_secret", sealTenantSecret(tenantOf(db), secret_columns::kWebhookSecret, s));
    return s;
}

std::string tenantTimeZone(sdk::Database& db) {
    const std::string tz = read(db, "time_zone");
    return tz.empty() ? "UTC" : tz;
}

void setTenantTimeZone(sdk::Database& db, const std::string& zone) { write(db, "time_zone", zone); }

}  // namespace tessera::host
