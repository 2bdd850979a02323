#include "gateways.hpp"

#include <tessera/sdk/rest/dates.hpp>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "api_support.hpp"
#include "generic_gateway.hpp"
#include "invoices.hpp"
#include "settings.hpp"

namespace tessera::plugins::billing {

using namespace sdk::rest;

namespace {

sdk::Response storedResponse(const sdk::Row& row) {
    sdk::Response r;
    r.status = static_cast<int>(row["status"].asInt());
    r.headers["Content-Type"] = "application/json";
    r.headers["Idempotent-Replayed"] = "true";
    r.body = row["response"].asText();
    return r;
}

std::optional<sdk::Row> findDelivery(sdk::Database& db, std::string_view provider, const std::string& event_id) {
    return db.queryOne("SELECT status, response FROM billing_webhook_events WHERE provider = ? AND event_id = ?",
                       {std::string(provider), event_id});
}

void storeDelivery(sdk::Database& db, std::string_view provider, const std::string& event_id, const sdk::Response& r) {
    db.execute("INSERT INTO billing_webhook_events (provider, event_id, status, response, created_at) VALUES (?, ?, ?, ?, ?)",
               {std::string(provider), event_id, r.status, r.body, nowIso()});
}

}  // namespace

const GatewayProvider* findGateway(std::string_view name) {
    static const GenericGateway generic;
    static const GatewayProvider* const kProviders[] = {&generic};
    for (const auto* p : kProviders)
        if (p->name() == name) return p;
    return nullptr;
}

std::string hmacSha256Hex(std::string_view key, std::string_view data) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
         data.size(), digest, &length);
    return toHex(std::string_view(reinterpret_cast<const char*>(digest), length));
}

bool constantTimeEquals(std::string_view a, std::string_view b) {
    // The length of a hex HMAC is public; only the contents must not leak through timing.
    if (a.size() != b.size()) return false;
    return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

sdk::Response webhookRoute(const sdk::Request& req, sdk::TenantScope& scope) {
    const auto* provider = findGateway(req.param("provider"));
    if (!provider) throw sdk::ApiError(404, "provider_not_found", "no payment provider named " + req.param("provider"));
    auto& db = scope.db();
    const auto secret = webhookSecret(scope, std::string(provider->name()));
    if (!secret)
        throw sdk::ApiError(401, "webhook_not_configured",
                            "no webhook secret is configured for " + std::string(provider->name()));
    if (!provider->verify(req, *secret))
        throw sdk::ApiError(401, "invalid_signature", "the webhook signature does not match");

    const auto event = provider->parse(req);
    if (auto stored = findDelivery(db, provider->name(), event.event_id)) return storedResponse(*stored);

    sdk::Response response;
    try {
        response = db.transaction([&] {
            // Claim the event first: a concurrent duplicate delivery waits on this key
            // (or fails on it) instead of recording the payment twice.
            storeDelivery(db, provider->name(), event.event_id, sdk::Response::json(nullptr, 0));
            sdk::Response r;
            if (!event.payment) {
                r = sdk::Response::json({{"status", "ignored"}, {"event_id", event.event_id}});
            } else {
                std::string invoice_id = event.invoice_id;
                if (invoice_id.empty()) {
                    auto row = db.queryOne("SELECT id FROM billing_invoices WHERE number = ?", {event.invoice_number});
                    if (!row)
                        throw sdk::ApiError(404, "invoice_not_found", "no invoice numbered " + event.invoice_number);
                    invoice_id = (*row)["id"].asText();
                }
                auto result = recordPayment(scope, invoice_id, *event.payment);
                r = sdk::Response::json({{"status", "processed"},
                                         {"event_id", event.event_id},
                                         {"payment_id", result["payment"]["id"]},
                                         {"invoice_id", invoice_id},
                                         {"invoice_status", result["invoice"]["status"]}});
            }
            db.execute("UPDATE billing_webhook_events SET status = ?, response = ? WHERE provider = ? AND event_id = ?",
                       {r.status, r.body, std::string(provider->name()), event.event_id});
            return r;
        });
    } catch (const sdk::UniqueViolation&) {
        if (auto stored = findDelivery(db, provider->name(), event.event_id)) return storedResponse(*stored);
        throw;
    } catch (const sdk::ApiError& e) {
        // A delivery that cannot be applied (unknown invoice, overpayment...) gets the same
        // answer on every retry.
        response = e.toResponse();
        try {
            storeDelivery(db, provider->name(), event.event_id, response);
        } catch (const sdk::UniqueViolation&) {
            if (auto stored = findDelivery(db, provider->name(), event.event_id)) return storedResponse(*stored);
        }
    }
    return response;
}

}  // namespace tessera::plugins::billing
