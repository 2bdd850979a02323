#include "contacts_service.hpp"

#include "records.hpp"

namespace tessera::plugins::contacts {

std::optional<sdk::Json> ContactsServiceImpl::get(sdk::TenantScope& scope, const std::string& id) {
    return findRecord(scope.db(), contactSpec(), id);
}

std::optional<sdk::Json> ContactsServiceImpl::findByEmail(sdk::TenantScope& scope, const std::string& email) {
    std::string key = email;
    for (auto& c : key)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
    const auto& spec = contactSpec();
    auto row = scope.db().queryOne("SELECT " + selectColumns(spec) + " FROM " + spec.table + " WHERE email_key = ?",
                                   {key});
    if (!row) return std::nullopt;
    return rowToJson(spec, *row);
}

sdk::Json ContactsServiceImpl::create(sdk::TenantScope& scope, const sdk::Json& fields) {
    if (!fields.is_object()) throw sdk::ApiError(422, "validation_failed", "a contact must be a JSON object");
    const auto defs = sdk::rest::loadDefinitions(scope.db(), contactSpec().customFields());
    return createRecord(contactSpec(), scope, fields, defs);
}

std::optional<sdk::Json> ContactsServiceImpl::getCompany(sdk::TenantScope& scope, const std::string& id) {
    return findRecord(scope.db(), companySpec(), id);
}

}  // namespace tessera::plugins::contacts
