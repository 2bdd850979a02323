#include "payments.hpp"

#include <tessera/sdk/rest/dates.hpp>
#include <tessera/sdk/rest/ids.hpp>
#include <tessera/sdk/rest/rows.hpp>

#include "access.hpp"
#include "api_support.hpp"
#include "invoices.hpp"
#include "money.hpp"

namespace tessera::plugins::billing {

using namespace sdk::rest;

namespace {

const std::vector<std::string> kMethods = {"cash", "card", "bank_transfer", "boleto", "pix"};

sdk::Json paymentToJson(const sdk::Row& r) {
    return {{"id", r["id"].asText()},
            {"invoice_id", r["invoice_id"].asText()},
            {"amount", r["amount"].asInt()},
            {"currency", r["currency"].asText()},
            {"method", r["method"].asText()},
            {"reference", sdk::rest::textOrNull(r["reference"])},
            {"paid_on", r["paid_on"].asText()},
            {"provider", sdk::rest::textOrNull(r["provider"])},
            {"provider_event_id", sdk::rest::textOrNull(r["provider_event_id"])},
            {"created_at", r["created_at"].asText()}};
}

}  // namespace

PaymentInput readPaymentBody(const sdk::Json& body) {
    FieldErrors errors;
    BodyReader in(body, {"amount", "currency", "method", "reference", "paid_on"}, errors);
    PaymentInput p;
    if (auto v = in.amount("amount", 1, true)) p.amount = *v;
    p.currency = in.currency("currency").value_or("");
    if (auto v = in.oneOf("method", kMethods, true)) p.method = *v;
    p.reference = in.text("reference", 200);
    p.paid_on = in.date("paid_on").value_or(todayUtc());
    errors.throwIfAny();
    return p;
}

sdk::Json recordPayment(sdk::TenantScope& scope, const std::string& invoice_id, const PaymentInput& input,
                        const sdk::Request* conditional) {
    auto& db = scope.db();
    auto result = db.transaction([&] {
        const auto invoice = lockInvoice(db, invoice_id);
        if (conditional) checkIfMatch(*conditional, invoice);
        const std::string status = invoice["status"];
        if (invoice["kind"] != "invoice" || (status != "open" && status != "uncollectible"))
            throw sdk::ApiError(409, "invoice_not_payable",
                                "payments are recorded against open invoices; this one is " + status);
        const std::string currency = input.currency.empty() ? invoice["currency"].get<std::string>() : input.currency;
        if (currency != invoice["currency"])
            throw sdk::ApiError(422, "currency_mismatch",
                                "the invoice is in " + invoice["currency"].get<std::string>() + ", the payment in " + currency,
                                {{"currency", "must be " + invoice["currency"].get<std::string>() + ", the invoice's currency"}});
        const std::string id = newId("pm_");
        db.execute("INSERT INTO billing_payments (id, invoice_id, amount, currency, method, reference, paid_on, provider,"
                   " provider_event_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                   {id, invoice_id, input.amount, currency, input.method, input.reference, input.paid_on,
                    input.provider, input.provider_event_id, nowIso()});
        auto updated = applySettlement(scope, invoice, input.amount, false, "amount");
        auto payment = paymentToJson(*db.queryOne("SELECT * FROM billing_payments WHERE id = ?", {id}));
        return sdk::Json{{"payment", payment}, {"invoice", updated}};
    });
    publish(scope, "payment.received", "payment", result["payment"], {{"invoice", result["invoice"]}});
    return result;
}

sdk::Response recordPaymentRoute(const sdk::Request& req, sdk::TenantScope& scope) {
    const auto input = readPaymentBody(sdk::parseJsonObject(req));
    auto result = recordPayment(scope, req.param("id"), input, &req);
    auto r = sdk::Response::json(result, 201);
    r.headers["Location"] = std::string(kInvoicesPath) + "/" + req.param("id") + "/payments";
    return r;
}

sdk::Response listInvoicePaymentsRoute(const sdk::Request& req, sdk::TenantScope& scope) {
    auto& db = scope.db();
    // An invoice has few payments: the whole list, no pagination parameters.
    if (!req.query.empty())
        throw sdk::ApiError(400, "invalid_query", req.query.begin()->first + ": unknown query parameter",
                            {{req.query.begin()->first, "unknown query parameter"}});
    requireInvoice(db, req.param("id"));
    sdk::Json data = sdk::Json::array();
    for (const auto& row : db.query("SELECT * FROM billing_payments WHERE invoice_id = ? ORDER BY created_at, id",
                                    {req.param("id")}))
        data.push_back(paymentToJson(row));
    return sdk::Response::json({{"data", data}, {"next_cursor", nullptr}});
}

sdk::Response listPaymentsRoute(const sdk::Request& req, sdk::TenantScope& scope) {
    const auto from = ownedFrom(scope, BillingResource::Payments, "billing_payments");
    return listRoute(req, scope.db(), from.from, from.params,
                     {{"invoice_id", "invoice_id", ColumnKind::Text, false, false},
                      {"method", "method", ColumnKind::Text, false, false},
                      {"currency", "currency", ColumnKind::Text, false, false},
                      {"provider", "provider", ColumnKind::Text, false, true},
                      {"amount", "amount", ColumnKind::Integer, true, false},
                      {"paid_on", "paid_on", ColumnKind::Date, true, false}},
                     paymentToJson);
}

}  // namespace tessera::plugins::billing
