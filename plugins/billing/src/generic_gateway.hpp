#pragma once
/// The "generic" gateway: for payment processors or integrations that can sign a JSON
/// body with HMAC-SHA256. Header: `X-Signature: sha256=<hex of HMAC(secret, raw body)>`.
/// Body:
///   {"id": "<event id>", "type": "payment.succeeded",
///    "data": {"invoice_id" | "invoice_number": "...", "amount": 1000, "currency": "BRL",
///             "method": "pix", "reference": "...", "paid_on": "YYYY-MM-DD"}}
/// Other "type" values are acknowledged and ignored.

#include "gateways.hpp"

namespace tessera::plugins::billing {

class GenericGateway final : public GatewayProvider {
public:
    std::string_view name() const override { return "generic"; }
    bool verify(const sdk::Request& req, const std::string& secret) const override;
    GatewayEvent parse(const sdk::Request& req) const override;
};

}  // namespace tessera::plugins::billing
