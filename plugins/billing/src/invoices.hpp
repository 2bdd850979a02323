#pragma once
/// Invoices and credit notes: drafts with priced lines, issuing with a gap-free number,
/// the status machine (draft -> open -> paid | void | uncollectible) and credit notes.
/// Everything except the status of an issued document is immutable.

#include <optional>
#include <string>

#include <tessera/sdk.hpp>
#include <tessera/sdk/rest/validation.hpp>

namespace tessera::plugins::billing {

inline constexpr const char* kInvoicesPath = "/api/v1/billing/invoices";

/// The invoice with `id` in its API representation (with lines), or nullopt.
std::optional<sdk::Json> findInvoice(sdk::Database& db, const std::string& id);
/// Same, or 404 invoice_not_found.
sdk::Json requireInvoice(sdk::Database& db, const std::string& id);
/// Within a transaction, locks the invoice row against concurrent payments and status
/// changes until commit (PostgreSQL: SELECT ... FOR UPDATE; SQLite transactions already
/// hold the write lock) and returns it, or 404.
sdk::Json lockInvoice(sdk::Database& db, const std::string& id);

/// Validates `body` (customer_id, currency, lines, dates, notes) and stores a draft.
/// Publishes invoice.created. Throws 422 with every problem.
sdk::Json createDraft(sdk::TenantScope& scope, const sdk::Json& body);
/// Issues a draft: assigns its number, issue and due dates in one transaction with the
/// status change. Publishes invoice.issued. 409 unless the invoice is a draft.
/// `conditional`: the HTTP request whose If-Match must name the invoice's current
/// version (412 otherwise), checked under the row lock; nullptr for Lua and jobs.
sdk::Json issueInvoice(sdk::TenantScope& scope, const std::string& id, const sdk::Request* conditional = nullptr);
/// open/uncollectible without payments -> void. 409 otherwise. Publishes invoice.voided.
sdk::Json voidInvoice(sdk::TenantScope& scope, const std::string& id, const sdk::Request* conditional = nullptr);

/// Applies a settled amount (payment or credit) to a locked invoice: raises amount_paid or
/// amount_credited, and marks it paid (publishing invoice.paid) when nothing is due.
/// Throws 422 overpayment when `amount` exceeds what is due.
sdk::Json applySettlement(sdk::TenantScope& scope, const sdk::Json& invoice, std::int64_t amount, bool credit,
                          const std::string& field_name);

/// Invoices for the Lua function billing.invoices.find: filters customer_id, status,
/// number, kind; newest first; only those the caller's role may see, with all fields.
sdk::Json findInvoices(sdk::TenantScope& scope, const sdk::Json& args);

/// Issues an invoice for a subscription period inside the caller's transaction; lines
/// are the subscription's items. Returns the issued invoice.
sdk::Json createSubscriptionInvoice(sdk::TenantScope& scope, const std::string& subscription_id,
                                    const std::string& customer_id, const std::string& currency,
                                    const sdk::Json& items, const std::string& period_start, int due_days);

/// Prices `items` (invoice line objects) in `currency` without storing anything, so that a
/// subscription is refused up front if it could never be invoiced. Returns the subtotal
/// (net of tax); problems go to `errors` under "<field>.<n>.<field>".
std::int64_t priceItems(sdk::Database& db, const sdk::Json& items, const std::string& currency, sdk::rest::FieldErrors& errors,
                        const std::string& field = "items");

sdk::Response listInvoicesRoute(const sdk::Request& req, sdk::TenantScope& scope);
sdk::Response createInvoiceRoute(const sdk::Request& req, sdk::TenantScope& scope);
sdk::Response getInvoiceRoute(const sdk::Request& req, sdk::TenantScope& scope);
/// PATCH a draft; 409 invoice_not_editable for an issued document.
sdk::Response patchInvoiceRoute(const sdk::Request& req, sdk::TenantScope& scope);
/// DELETE a draft; 409 invoice_not_editable otherwise.
sdk::Response deleteInvoiceRoute(const sdk::Request& req, sdk::TenantScope& scope);
sdk::Response issueInvoiceRoute(const sdk::Request& req, sdk::TenantScope& scope);
sdk::Response voidInvoiceRoute(const sdk::Request& req, sdk::TenantScope& scope);
sdk::Response markUncollectibleRoute(const sdk::Request& req, sdk::TenantScope& scope);
/// POST /invoices/{id}/credit-notes: a negative document referencing the original; without
/// "lines" it credits everything not yet credited.
sdk::Response createCreditNoteRoute(const sdk::Request& req, sdk::TenantScope& scope);

}  // namespace tessera::plugins::billing
