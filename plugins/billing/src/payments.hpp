#pragma once
/// Payments against invoices: full or partial, several per invoice, never more than is
/// due. The invoice becomes paid when its payments (and credits) cover its total.

#include <optional>
#include <string>

#include <tessera/sdk.hpp>

namespace tessera::plugins::billing {

struct PaymentInput {
    std::int64_t amount = 0;  ///< Minor units of `currency`, > 0.
    std::string currency;
    std::string method;       ///< cash, card, bank_transfer, boleto, pix.
    std::optional<std::string> reference;
    std::string paid_on;      ///< YYYY-MM-DD.
    std::optional<std::string> provider;
    std::optional<std::string> provider_event_id;
};

/// Validates a payment body ({amount, currency, method, reference, paid_on}); currency
/// defaults to the invoice's. Throws 422 with every problem.
PaymentInput readPaymentBody(const sdk::Json& body);

/// Records a payment in one transaction with the invoice update. Throws 404, 409 (invoice
/// not open), 422 currency mismatch or overpayment. Publishes payment.received (and
/// invoice.paid). Returns {"payment": ..., "invoice": ...}.
/// `conditional`: the HTTP request whose If-Match must name the invoice's current
/// version (412 otherwise); nullptr for webhooks and Lua.
sdk::Json recordPayment(sdk::TenantScope& scope, const std::string& invoice_id, const PaymentInput& input,
                        const sdk::Request* conditional = nullptr);

sdk::Response recordPaymentRoute(const sdk::Request& req, sdk::TenantScope& scope);
sdk::Response listInvoicePaymentsRoute(const sdk::Request& req, sdk::TenantScope& scope);
sdk::Response listPaymentsRoute(const sdk::Request& req, sdk::TenantScope& scope);

}  // namespace tessera::plugins::billing
