#include "scripting.hpp"

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

sdk::Json scriptCreateInvoice(const sdk::Json& args, sdk::TenantScope& scope) {
    sdk::Json fields = objectArgs(args);
    bool issue = false;
    if (fields.contains("issue")) {
        if (!fields["issue"].is_boolean())
            throw sdk::ApiError(422, "validation_failed", "issue must be true or false", {{"issue", "must be true or false"}});
        issue = fields["issue"].get<bool>();
        fields.erase("issue");
    }
    auto invoice = createDraft(scope, fields);
    return issue ? issueInvoice(scope, invoice["id"].get<std::string>()) : invoice;
}

sdk::Json scriptGetInvoice(const sdk::Json& args, sdk::TenantScope& scope) {
    return requireInvoice(scope.db(), idArg(args, "id"));
}

sdk::Json scriptFindInvoices(const sdk::Json& args, sdk::TenantScope& scope) {
    return findInvoices(scope.db(), args.is_null() ? sdk::Json::object() : objectArgs(args));
}

sdk::Json scriptVoidInvoice(const sdk::Json& args, sdk::TenantScope& scope) {
    return voidInvoice(scope, idArg(args, "id"));
}

sdk::Json scriptRecordPayment(const sdk::Json& args, sdk::TenantScope& scope) {
    const std::string invoice_id = idArg(args, "invoice_id");
    sdk::Json body = args;
    body.erase("invoice_id");
    return recordPayment(scope, invoice_id, readPaymentBody(body));
}

}  // namespace tessera::plugins::billing
