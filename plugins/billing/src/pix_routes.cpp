#include "pix_routes.hpp"

#include "invoices.hpp"
#include "pix.hpp"
#include "qr_code.hpp"
#include "settings.hpp"

namespace tessera::plugins::billing {
namespace {

struct PixForInvoice {
    sdk::Json invoice;
    std::string payload;
};

PixForInvoice pixFor(const sdk::Request& req, sdk::TenantScope& scope) {
    auto& db = scope.db();
    PixForInvoice out{requireInvoice(db, req.param("id")), ""};
    const auto& inv = out.invoice;
    if (inv["kind"] != "invoice" || inv["status"] != "open")
        throw sdk::ApiError(409, "invoice_not_open", "a PIX charge is made for an open invoice");
    if (inv["currency"] != "BRL")
        throw sdk::ApiError(422, "currency_not_supported", "PIX charges are in BRL; this invoice is in " +
                                                               inv["currency"].get<std::string>());
    const auto settings = loadSettings(db);
    if (!settings.pix_key || !settings.pix_merchant_name || !settings.pix_merchant_city)
        throw sdk::ApiError(409, "pix_not_configured",
                            "set pix_key, pix_merchant_name and pix_merchant_city in the billing settings first");
    PixCharge charge;
    charge.key = *settings.pix_key;
    charge.merchant_name = *settings.pix_merchant_name;
    charge.merchant_city = *settings.pix_merchant_city;
    charge.amount_cents = inv["amount_due"].get<Amount>();
    charge.txid = pixTxid(inv["number"].get<std::string>());
    out.payload = pixPayload(charge);
    return out;
}

}  // namespace

sdk::Response pixPayloadRoute(const sdk::Request& req, sdk::TenantScope& scope) {
    const auto pix = pixFor(req, scope);
    return sdk::Response::json({{"invoice_id", pix.invoice["id"]},
                                {"amount", pix.invoice["amount_due"]},
                                {"currency", "BRL"},
                                {"txid", pixTxid(pix.invoice["number"].get<std::string>())},
                                {"payload", pix.payload}});
}

sdk::Response pixSvgRoute(const sdk::Request& req, sdk::TenantScope& scope) {
    sdk::Response r;
    r.headers["Content-Type"] = "image/svg+xml";
    r.body = qrSvg(pixFor(req, scope).payload);
    return r;
}

sdk::Response pixPngRoute(const sdk::Request& req, sdk::TenantScope& scope) {
    int scale = 8;
    for (const auto& [key, value] : req.query) {
        if (key != "scale" || value.size() > 2 || value.empty() ||
            value.find_first_not_of("0123456789") != std::string::npos || std::stoi(value) < 1 || std::stoi(value) > 20)
            throw sdk::ApiError(400, "invalid_query", key + ": only scale=1..20 is supported",
                                {{key, key == "scale" ? "must be 1-20" : "unknown query parameter"}});
        scale = std::stoi(value);
    }
    sdk::Response r;
    r.headers["Content-Type"] = "image/png";
    r.body = qrPng(pixFor(req, scope).payload, scale);
    return r;
}

}  // namespace tessera::plugins::billing
