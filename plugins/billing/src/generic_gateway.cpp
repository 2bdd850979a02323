#include "generic_gateway.hpp"

#include "api_support.hpp"

namespace tessera::plugins::billing {

bool GenericGateway::verify(const sdk::Request& req, const std::string& secret) const {
    const auto header = req.header("X-Signature");
    if (!header || header->rfind("sha256=", 0) != 0) return false;
    return constantTimeEquals(header->substr(7), hmacSha256Hex(secret, req.body));
}

GatewayEvent GenericGateway::parse(const sdk::Request& req) const {
    const auto body = sdk::parseJsonObject(req);
    sdk::rest::FieldErrors errors;
    sdk::rest::BodyReader in(body, {"id", "type", "data", "created_at"}, errors);
    GatewayEvent event;
    event.event_id = in.text("id", 200, true).value_or("");
    const auto type = in.text("type", 100, true).value_or("");
    errors.throwIfAny();
    if (type != "payment.succeeded") return event;
    if (!body.contains("data") || !body["data"].is_object()) {
        errors.add("data", "must be an object describing the payment");
        errors.throwIfAny();
    }
    sdk::Json data = body["data"];
    sdk::rest::FieldErrors data_errors;
    sdk::rest::BodyReader d(data, {"invoice_id", "invoice_number", "amount", "currency", "method", "reference", "paid_on"},
                 data_errors, "data.");
    event.invoice_id = d.id("invoice_id").value_or("");
    event.invoice_number = d.text("invoice_number", 100).value_or("");
    if (event.invoice_id.empty() && event.invoice_number.empty()) d.error("invoice_id", "invoice_id or invoice_number is required");
    data.erase("invoice_id");
    data.erase("invoice_number");
    try {
        event.payment = readPaymentBody(data);
    } catch (const sdk::ApiError& e) {
        for (const auto& [k, v] : e.fields().items()) d.error(k, v.get<std::string>());
    }
    data_errors.throwIfAny();
    event.payment->provider = "generic";
    event.payment->provider_event_id = event.event_id;
    return event;
}

}  // namespace tessera::plugins::billing
