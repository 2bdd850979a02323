#pragma once
/// Functions offered to tenant Lua workflows as crm.billing.*.

#include <tessera/sdk.hpp>

namespace tessera::plugins::billing {

/// crm.billing.invoices.create(fields): a draft from the POST body; with "issue": true it
/// is issued at once. Returns the invoice.
sdk::Json scriptCreateInvoice(const sdk::Json& args, sdk::TenantScope& scope);
/// crm.billing.invoices.get({id=...}).
sdk::Json scriptGetInvoice(const sdk::Json& args, sdk::TenantScope& scope);
/// crm.billing.invoices.find({customer_id=, status=, number=, kind=, limit=}): newest first.
sdk::Json scriptFindInvoices(const sdk::Json& args, sdk::TenantScope& scope);
/// crm.billing.invoices.void({id=...}).
sdk::Json scriptVoidInvoice(const sdk::Json& args, sdk::TenantScope& scope);
/// crm.billing.payments.record({invoice_id=, amount=, method=, reference=, paid_on=, currency=}).
sdk::Json scriptRecordPayment(const sdk::Json& args, sdk::TenantScope& scope);

}  // namespace tessera::plugins::billing
