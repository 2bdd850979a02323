#pragma once
/// Per-tenant custom field definitions and the validation of their values.
///
/// Values are kept in the entity's `custom_fields` JSON text column, keyed by the field
/// key, so defining a field is a row in contacts_custom_fields and needs no migration
/// or restart. Filtering and sorting reach into the JSON (see list_query).

#include <optional>
#include <string>
#include <vector>

#include <tessera/sdk.hpp>

namespace tessera::plugins::contacts {

enum class CustomType { Text, Number, Date, Boolean, Select, MultiSelect };

struct CustomFieldDef {
    std::string key;
    std::string label;
    CustomType type = CustomType::Text;
    std::vector<std::string> options;  ///< For Select and MultiSelect.
    std::string created_at;

    sdk::Json toJson() const;
};

/// "text", "number", ... for a type.
const char* customTypeName(CustomType type);

/// Definitions for `entity` ("contacts" or "companies"), in key order.
std::vector<CustomFieldDef> loadDefinitions(sdk::Database& db, const std::string& entity);

/// What is wrong with `value` for `def`, or nullopt when it is acceptable (null is
/// always acceptable: it removes the value).
std::optional<std::string> customValueError(const CustomFieldDef& def, const sdk::Json& value);

/// Converts CSV cell text to the JSON value `def` expects; invalid text yields a value
/// that customValueError() rejects with a precise message.
sdk::Json customValueFromText(const CustomFieldDef& def, const std::string& text);

/// GET /api/v1/<entity>/custom-fields
sdk::Response listCustomFields(const std::string& entity, const sdk::Request& req, sdk::TenantScope& scope);
/// POST /api/v1/<entity>/custom-fields  {"key","label","type","options"}
sdk::Response createCustomField(const std::string& entity, const sdk::Request& req, sdk::TenantScope& scope);
/// DELETE /api/v1/<entity>/custom-fields/{key}: removes the definition and its values.
sdk::Response deleteCustomField(const std::string& entity, const std::string& table, const sdk::Request& req,
                                sdk::TenantScope& scope);

}  // namespace tessera::plugins::contacts
