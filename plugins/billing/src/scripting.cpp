#include "scripting.hpp"

#include "access.hpp"
#include "invoices.hpp"
#include "payments.hpp"

namespace tessera::plugins::billing {
namespace {

const sdk::Json& objectArgs(const sdk::Json& args) {
    if (!args.is_object()) throw sdk::ApiError(422, "validation_failed", "the argument must be a table of fields");
    return args;
}

std::string idArg(const sdk::Json& args, const char* name) {
    const auto& a = objectArgs(args);
    if (!a.contains(name) || !a[name].is_string())
        throw sdk::ApiError(422, "validation_failed", std::string(name) + " is required", {{name, "is required"}});
    return a[name].get<std::string>();
}

}  // namespace

// Each function applies the run_as role's rules as the routes do (access.hpp): a role
// limited to its own invoices reaches only those (404 otherwise), hidden fields are left
// out of answers and refused in writes.

sdk::Json scriptCreateInvoice(const sdk::Json& args, sdk::TenantScope& scope) {
    sdk::Json fields = objectArgs(args);
    bool issue = false;
    if (fields.contains("issue")) {
        if (!fields["issue"].is_boolean())
            throw sdk::ApiError(422, "validation_failed", "issue must be true or false", {{"issue", "must be true or false"}});
        issue = fields["issue"].get<bool>();
        fields.erase("issue");
    }
    checkWriteUnderRole(scope, BillingResource::Invoices, fields, true);
    auto invoice = createDraft(scope, fields);
    if (issue) invoice = issueInvoice(scope, invoice["id"].get<std::string>());
    return visibleUnderRole(scope, BillingResource::Invoices, std::move(invoice));
}

sdk::Json scriptGetInvoice(const sdk::Json& args, sdk::TenantScope& scope) {
    return visibleUnderRole(scope, BillingResource::Invoices, requireVisibleInvoice(scope, idArg(args, "id")));
}

sdk::Json scriptFindInvoices(const sdk::Json& args, sdk::TenantScope& scope) {
    sdk::Json found = findInvoices(scope, args.is_null() ? sdk::Json::object() : objectArgs(args));
    for (auto& invoice : found) invoice = visibleUnderRole(scope, BillingResource::Invoices, std::move(invoice));
    return found;
}

sdk::Json scriptVoidInvoice(const sdk::Json& args, sdk::TenantScope& scope) {
    const std::string id = idArg(args, "id");
    requireVisibleInvoice(scope, id);
    return visibleUnderRole(scope, BillingResource::Invoices, voidInvoice(scope, id));
}

sdk::Json scriptRecordPayment(const sdk::Json& args, sdk::TenantScope& scope) {
    const std::string invoice_id = idArg(args, "invoice_id");
    requireVisibleInvoice(scope, invoice_id);
    sdk::Json body = args;
    body.erase("invoice_id");
    checkWriteUnderRole(scope, BillingResource::Payments, body, true);
    return visibleUnderRole(scope, BillingResource::Payments, recordPayment(scope, invoice_id, readPaymentBody(body)));
}

}  // namespace tessera::plugins::billing
