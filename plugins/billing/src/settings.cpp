#include "settings.hpp"

#include <cstdint>
#include <stdexcept>

#include <tessera/sdk/rest/dates.hpp>
#include <tessera/sdk/secrets.hpp>

#include "api_support.hpp"
#include "gateways.hpp"
#include "numbering.hpp"
#include "pix.hpp"

namespace tessera::plugins::billing {

using namespace sdk::rest;

namespace {

sdk::Json toJson(sdk::Database& db, const BillingSettings& s) {
    sdk::Json providers = sdk::Json::array();
    for (const auto& row : db.query("SELECT provider FROM billing_webhook_secrets ORDER BY provider"))
        providers.push_back(row["provider"].asText());
    auto opt = [](const std::optional<std::string>& v) { return v ? sdk::Json(*v) : sdk::Json(nullptr); };
    return {{"invoice_number_format", s.invoice_number_format},
            {"credit_note_number_format", s.credit_note_number_format},
            {"default_due_days", s.default_due_days},
            {"pix_key", opt(s.pix_key)},
            {"pix_merchant_name", opt(s.pix_merchant_name)},
            {"pix_merchant_city", opt(s.pix_merchant_city)},
            {"webhook_providers", providers},
            {"version", s.version},
            {"updated_at", s.updated_at.empty() ? sdk::Json(nullptr) : sdk::Json(s.updated_at)}};
}

}  // namespace

BillingSettings loadSettings(sdk::Database& db) {
    BillingSettings s;
    auto row = db.queryOne("SELECT * FROM billing_settings WHERE id = 1");
    if (!row) return s;
    const auto& r = *row;
    s.invoice_number_format = r["invoice_number_format"].asText();
    s.credit_note_number_format = r["credit_note_number_format"].asText();
    s.default_due_days = static_cast<int>(r["default_due_days"].asInt());
    if (!r["pix_key"].isNull()) s.pix_key = r["pix_key"].asText();
    if (!r["pix_merchant_name"].isNull()) s.pix_merchant_name = r["pix_merchant_name"].asText();
    if (!r["pix_merchant_city"].isNull()) s.pix_merchant_city = r["pix_merchant_city"].asText();
    s.version = static_cast<int>(r["version"].asInt());
    s.updated_at = r["updated_at"].asText();
    return s;
}

namespace {

// Where a provider's secret lives, as its sealing binds it: a sealed secret copied to
// another provider's row does not open.
std::string secretColumn(const std::string& provider) { return "billing_webhook_secrets.secret:" + provider; }

sdk::Secrets& secretsOf(sdk::TenantScope& scope) {
    auto* secrets = scope.service<sdk::Secrets>();
    if (!secrets) throw std::logic_error("the host provides no secrets service");
    return *secrets;
}

// Replaces `stored` with `secret` sealed anew; the condition on the old value keeps a
// concurrent change of the secret from being overwritten. Returns the rows changed.
std::int64_t sealInPlace(sdk::Database& db, sdk::Secrets& secrets, const std::string& provider,
                         const std::string& stored, const std::string& secret) {
    return db.execute("UPDATE billing_webhook_secrets SET secret = ? WHERE provider = ? AND secret = ?",
                      {secrets.seal(secretColumn(provider), secret), provider, stored});
}

}  // namespace

std::optional<std::string> webhookSecret(sdk::TenantScope& scope, const std::string& provider) {
    auto& db = scope.db();
    auto row = db.queryOne("SELECT secret FROM billing_webhook_secrets WHERE provider = ?", {provider});
    if (!row) return std::nullopt;
    auto& secrets = secretsOf(scope);
    const std::string stored = (*row)["secret"].asText();
    std::string secret = secrets.open(secretColumn(provider), stored);
    // Written before secrets were sealed: seal it now, so no plaintext stays behind.
    if (!secrets.isSealed(stored)) sealInPlace(db, secrets, provider, stored, secret);
    return secret;
}

int resealWebhookSecrets(sdk::TenantScope& scope) {
    auto& db = scope.db();
    auto& secrets = secretsOf(scope);
    return db.transaction([&] {
        int sealed = 0;
        for (const auto& row : db.query("SELECT provider, secret FROM billing_webhook_secrets")) {
            const std::string provider = row["provider"].asText(), stored = row["secret"].asText();
            sealed += static_cast<int>(
                sealInPlace(db, secrets, provider, stored, secrets.open(secretColumn(provider), stored)));
        }
        return sealed;
    });
}

sdk::Response getSettingsRoute(const sdk::Request& req, sdk::TenantScope& scope) {
    return getResponse(req, toJson(scope.db(), loadSettings(scope.db())));
}

sdk::Response patchSettingsRoute(const sdk::Request& req, sdk::TenantScope& scope) {
    const auto body = sdk::parseJsonObject(req);
    FieldErrors errors;
    BodyReader in(body,
                  {"invoice_number_format", "credit_note_number_format", "default_due_days", "pix_key",
                   "pix_merchant_name", "pix_merchant_city", "webhook_secrets"},
                  errors);
    auto& db = scope.db();
    return db.transaction([&] {
        auto s = loadSettings(db);
        checkIfMatch(req, toJson(db, s));
        const auto before = s;
        for (auto* field : {&s.invoice_number_format, &s.credit_note_number_format}) {
            const std::string name =
                field == &s.invoice_number_format ? "invoice_number_format" : "credit_note_number_format";
            if (auto v = in.text(name, 60, in.has(name))) {
                if (auto problem = numberFormatProblem(*v); !problem.empty()) in.error(name, problem);
                else *field = *v;
            }
        }
        if (auto v = in.integer("default_due_days", 0, 3650, in.has("default_due_days"))) s.default_due_days = int(*v);
        const std::pair<const char*, std::optional<std::string>*> pix[] = {
            {"pix_key", &s.pix_key}, {"pix_merchant_name", &s.pix_merchant_name}, {"pix_merchant_city", &s.pix_merchant_city}};
        for (auto [name, target] : pix) {
            if (!in.has(name)) continue;
            if (in.isNull(name)) {
                target->reset();
                continue;
            }
            const std::string field = std::string(name).substr(4);  // "key", "merchant_name", ...
            if (auto v = in.text(name, 99)) {
                if (auto problem = validatePixField(field, *v); !problem.empty()) in.error(name, problem);
                else *target = *v;
            }
        }
        sdk::Json secrets = sdk::Json::object();
        if (in.has("webhook_secrets")) {
            const auto& given = in.raw("webhook_secrets");
            if (!given.is_object()) in.error("webhook_secrets", "must be an object of provider: secret");
            else
                for (const auto& [provider, secret] : given.items()) {
                    if (!findGateway(provider)) in.error("webhook_secrets." + provider, "unknown payment provider");
                    else if (!secret.is_null() && (!secret.is_string() || secret.get<std::string>().size() < 16 ||
                                                   secret.get<std::string>().size() > 200))
                        in.error("webhook_secrets." + provider, "must be a string of 16-200 characters, or null");
                    else secrets[provider] = secret;
                }
        }
        errors.throwIfAny();

        const std::string now = nowIso();
        for (const auto& [provider, secret] : secrets.items()) {
            db.execute("DELETE FROM billing_webhook_secrets WHERE provider = ?", {provider});
            if (!secret.is_null())
                db.execute("INSERT INTO billing_webhook_secrets (provider, secret, updated_at) VALUES (?, ?, ?)",
                           {provider, secretsOf(scope).seal(secretColumn(provider), secret.get<std::string>()), now});
        }
        const bool changed = s.invoice_number_format != before.invoice_number_format ||
                             s.credit_note_number_format != before.credit_note_number_format ||
                             s.default_due_days != before.default_due_days || s.pix_key != before.pix_key ||
                             s.pix_merchant_name != before.pix_merchant_name ||
                             s.pix_merchant_city != before.pix_merchant_city || !secrets.empty();
        if (changed) {
            s.version += 1;
            s.updated_at = now;
            db.execute("DELETE FROM billing_settings WHERE id = 1");
            db.execute("INSERT INTO billing_settings (id, invoice_number_format, credit_note_number_format,"
                       " default_due_days, pix_key, pix_merchant_name, pix_merchant_city, version, updated_at)"
                       " VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?)",
                       {s.invoice_number_format, s.credit_note_number_format, s.default_due_days, s.pix_key,
                        s.pix_merchant_name, s.pix_merchant_city, s.version, s.updated_at});
        }
        return itemResponse(toJson(db, s));
    });
}

}  // namespace tessera::plugins::billing
