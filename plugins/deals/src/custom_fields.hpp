#pragma once
/// Per-tenant custom fields of deals: definitions in deals_custom_fields, values in the
/// deal's `custom_fields` JSON column, so defining a field needs no migration.
///
/// The same types and rules as the contacts plugin's custom fields (text, number, date,
/// boolean, select, multi_select); the validation is a trimmed copy of it.

#include <optional>
#include <string>
#include <vector>

#include <tessera/sdk.hpp>

namespace tessera::plugins::deals {

enum class CustomType { Text, Number, Date, Boolean, Select, MultiSelect };

struct CustomFieldDef {
    std::string key;
    std::string label;
    CustomType type = CustomType::Text;
    std::vector<std::string> options;  ///< For Select and MultiSelect.
    std::string created_at;

    sdk::Json toJson() const;
};

/// Every definition, in key order.
std::vector<CustomFieldDef> loadDefinitions(sdk::Database& db);

/// What is wrong with `value` for `def`, or nullopt when it is acceptable (null is
/// always acceptable: it removes the value).
std::optional<std::string> customValueError(const CustomFieldDef& def, const sdk::Json& value);

/// GET /api/v1/deals/custom-fields
sdk::Response listCustomFields(const sdk::Request& req, sdk::TenantScope& scope);
/// POST /api/v1/deals/custom-fields {"key","label","type","options"}
sdk::Response createCustomField(const sdk::Request& req, sdk::TenantScope& scope);
/// DELETE /api/v1/deals/custom-fields/{key}: removes the definition and its values.
sdk::Response deleteCustomField(const sdk::Request& req, sdk::TenantScope& scope);

}  // namespace tessera::plugins::deals
