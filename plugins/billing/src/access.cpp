#include "access.hpp"

#include <tessera/services/contacts.hpp>
#include <tessera/sdk/rest/access.hpp>
#include <tessera/sdk/rest/rows.hpp>

#include "invoices.hpp"

namespace tessera::plugins::billing {
namespace {

const char* resourceName(BillingResource r) {
    switch (r) {
        case BillingResource::Invoices: return "invoices";
        case BillingResource::Subscriptions: return "subscriptions";
        case BillingResource::Payments: return "payments";
        case BillingResource::Products: return "products";
    }
    return "";
}

sdk::AccessRules rulesOf(const sdk::TenantScope& scope, BillingResource r) { return scope.access(resourceName(r)); }

void requireVisibleSubscription(sdk::TenantScope& scope, const std::string& id) {
    auto row = scope.db().queryOne("SELECT owner_id FROM billing_subscriptions WHERE id = ?", {id});
    if (!row) throw sdk::ApiError(404, "subscription_not_found", "no subscription with id " + id);
    sdk::rest::requireOwned(rulesOf(scope, BillingResource::Subscriptions), scope,
                            {{"owner_id", sdk::rest::textOrNull((*row)["owner_id"])}},
                            "subscription");
}

// Hidden fields out of a JSON answer of `resource`.
void hide(const sdk::TenantScope& scope, BillingResource resource, sdk::Json& body) {
    if (!body.is_object()) return;
    if (body.contains("payment") && body.contains("invoice")) {  // a payment receipt
        body["payment"] = sdk::rest::visible(rulesOf(scope, BillingResource::Payments), body["payment"]);
        body["invoice"] = sdk::rest::visible(rulesOf(scope, BillingResource::Invoices), body["invoice"]);
        return;
    }
    const auto rules = rulesOf(scope, resource);
    if (rules.hidden_fields.empty()) return;
    if (auto data = body.find("data"); data != body.end() && data->is_array()) {
        for (auto& item : *data) item = sdk::rest::visible(rules, std::move(item));
        return;
    }
    body = sdk::rest::visible(rules, std::move(body));
}

bool isJsonAnswer(const sdk::Response& r) {
    auto it = r.headers.find("Content-Type");
    return !r.body.empty() && it != r.headers.end() && it->second.find("json") != std::string::npos;
}

}  // namespace

sdk::Json requireVisibleInvoice(sdk::TenantScope& scope, const std::string& id) {
    auto invoice = requireInvoice(scope.db(), id);
    sdk::rest::requireOwned(rulesOf(scope, BillingResource::Invoices), scope, invoice, "invoice");
    return invoice;
}

sdk::Handler underRole(BillingResource resource, bool item_check, bool creating, sdk::Handler handler) {
    return [resource, item_check, creating, handler = std::move(handler)](const sdk::Request& req,
                                                                         sdk::TenantScope& scope) {
        sdk::rest::refuseHiddenInQuery(rulesOf(scope, resource), req);
        if (item_check) {
            if (resource == BillingResource::Subscriptions) requireVisibleSubscription(scope, req.param("id"));
            else requireVisibleInvoice(scope, req.param("id"));
        }
        sdk::Response answer;
        if (!req.body.empty() && (req.method == sdk::Method::Post || req.method == sdk::Method::Patch ||
                                  req.method == sdk::Method::Put)) {
            auto body = sdk::parseJson(req.body);
            if (body.is_object()) {
                checkWriteUnderRole(scope, resource, body, creating);
                sdk::Request checked = req;
                checked.body = body.dump(-1, ' ', false, sdk::Json::error_handler_t::replace);
                answer = handler(checked, scope);
            } else {
                answer = handler(req, scope);  // the handler answers 400 for a non-object body
            }
        } else {
            answer = handler(req, scope);
        }
        if (answer.status >= 200 && answer.status < 300 && isJsonAnswer(answer)) {
            auto json = sdk::parseJson(answer.body);
            if (!json.is_discarded()) {
                hide(scope, resource, json);
                answer.body = json.dump(-1, ' ', false, sdk::Json::error_handler_t::replace);
            }
        }
        return answer;
    };
}

void checkWriteUnderRole(sdk::TenantScope& scope, BillingResource resource, sdk::Json& body, bool creating) {
    // Payments and products have no owner of their own (a payment's invoice is checked
    // before): only their hidden fields apply to a write.
    auto rules = rulesOf(scope, resource);
    if (resource == BillingResource::Payments || resource == BillingResource::Products) rules.own_records_only = false;
    sdk::rest::checkWrite(rules, scope, body, creating);
}

sdk::Json visibleUnderRole(const sdk::TenantScope& scope, BillingResource resource, sdk::Json answer) {
    hide(scope, resource, answer);
    return answer;
}

OwnedFrom ownedFrom(sdk::TenantScope& scope, BillingResource resource, const std::string& table) {
    OwnedFrom out;
    if (resource == BillingResource::Payments) {
        const auto cond = sdk::rest::ownerCondition(rulesOf(scope, BillingResource::Invoices), scope, "i.owner_id",
                                                    out.params);
        out.from = cond.empty() ? " FROM " + table
                                : " FROM (SELECT p.* FROM " + table +
                                      " p JOIN billing_invoices i ON i.id = p.invoice_id WHERE " + cond + ") " + table;
        return out;
    }
    const auto cond = sdk::rest::ownerCondition(rulesOf(scope, resource), scope, "owner_id", out.params);
    out.from = cond.empty() ? " FROM " + table : " FROM (SELECT * FROM " + table + " WHERE " + cond + ") " + table;
    return out;
}

sdk::Value newRecordOwner(sdk::TenantScope& scope, const sdk::Json& body, const std::string& customer_id) {
    if (auto it = body.find("owner_id"); it != body.end() && it->is_string()) return it->get<std::string>();
    if (auto* contacts = scope.service<services::ContactsService>()) {
        auto customer = contacts->get(scope, customer_id);
        if (!customer) customer = contacts->getCompany(scope, customer_id);
        if (customer && customer->contains("owner_id") && (*customer)["owner_id"].is_string())
            return (*customer)["owner_id"].get<std::string>();
    }
    const auto& me = scope.principal();
    if (me.anonymous() || me.kind == "system") return nullptr;
    return me.id;
}

void requireUnrestrictedReports(const sdk::TenantScope& scope) {
    if (rulesOf(scope, BillingResource::Invoices).own_records_only ||
        rulesOf(scope, BillingResource::Subscriptions).own_records_only)
        throw sdk::ApiError(403, "report_not_available",
                            "reports add up every invoice and subscription; your role sees only its own records");
}

}  // namespace tessera::plugins::billing
