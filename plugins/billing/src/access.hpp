#pragma once
/// Roles in billing (docs/security.md, docs/billing.md), through the SDK's one helper
/// (<tessera/sdk/rest/access.hpp>) so a role means the same here as in contacts and deals.
///
/// Resources: "invoices" (credit notes included), "subscriptions", "payments", "products".
/// - Invoices and subscriptions have an owner_id: at creation their customer's owner
///   (the contact's or company's owner_id), else the creator; invoices a subscription
///   bills take the subscription's owner, credit notes the invoice's. A role limited to
///   its own "invoices"/"subscriptions" sees only those it owns (404 otherwise).
/// - Payments have no owner: a payment is exactly as visible as its invoice.
/// - Products are the tenant's shared catalogue: no owner; hidden fields apply.
/// - Reports add up every invoice and subscription: a role limited to its own invoices or
///   subscriptions gets 403 rather than totals that include other people's customers.

#include <string>

#include <tessera/sdk.hpp>

namespace tessera::plugins::billing {

/// Which billing collection a route serves, for its access rules.
enum class BillingResource { Invoices, Subscriptions, Payments, Products };

/// A route under the caller's role for `resource`:
/// - a query parameter filtering or sorting on a hidden field → 400;
/// - with `item_check`, the `{id}` path parameter must name an invoice (Invoices and
///   Payments) or subscription (Subscriptions) the caller may see, else 404;
/// - a JSON body writing a hidden field, or (own-records roles) an owner_id other than the
///   caller → 422; on `creating`, such a role's records are made the caller's;
/// - hidden fields are removed from the JSON answer (items, "data" lists, and the
///   "invoice"/"payment" parts of a payment receipt).
sdk::Handler underRole(BillingResource resource, bool item_check, bool creating, sdk::Handler handler);

/// The invoice, if the caller's role lets it see it; 404 invoice_not_found otherwise.
sdk::Json requireVisibleInvoice(sdk::TenantScope& scope, const std::string& id);

/// What underRole does to a route's JSON body and answer, for callers without a request
/// (the crm.billing.* script functions): `checkWriteUnderRole` refuses hidden fields and,
/// for own-records roles, another owner (on `creating`, makes the record the caller's);
/// `visibleUnderRole` removes hidden fields from an answer.
void checkWriteUnderRole(sdk::TenantScope& scope, BillingResource resource, sdk::Json& body, bool creating);
sdk::Json visibleUnderRole(const sdk::TenantScope& scope, BillingResource resource, sdk::Json answer);

/// " FROM <table>" narrowed to the caller's own records when its role is limited to them
/// (payments: to those of its own invoices), with the owner parameter to put first.
struct OwnedFrom {
    std::string from;
    sdk::Params params;  ///< Parameters of `from`, before any of the list query's.
};
OwnedFrom ownedFrom(sdk::TenantScope& scope, BillingResource resource, const std::string& table);

/// The owner of a new invoice or subscription for `customer_id`: body's owner_id if given
/// (checked by underRole), else the customer's owner, else the caller (none for jobs).
sdk::Value newRecordOwner(sdk::TenantScope& scope, const sdk::Json& body, const std::string& customer_id);

/// 403 report_not_available when the caller's role limits invoices or subscriptions to
/// its own records: reports add up every record.
void requireUnrestrictedReports(const sdk::TenantScope& scope);

}  // namespace tessera::plugins::billing
