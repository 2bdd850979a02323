#pragma once
/// Per-tenant custom fields (docs/api.md): definitions live in a plugin-owned table, values
/// in the record's `custom_fields` JSON text column keyed by field key, so defining a
/// field needs no migration and no restart. Part of tessera_sdk_rest.
///
/// The definitions table a plugin creates in its own migrations:
///
///     CREATE TABLE <id>_custom_fields (
///         [entity TEXT NOT NULL,]            -- only when one table serves several collections
///         field_key TEXT NOT NULL, label TEXT NOT NULL, field_type TEXT NOT NULL,
///         options TEXT NOT NULL, created_at TEXT NOT NULL,
///         PRIMARY KEY ([entity,] field_key));

#include <optional>
#include <string>
#include <vector>

#include <tessera/sdk/registrar.hpp>
#include <tessera/sdk/rest/validation.hpp>

namespace tessera::sdk::rest {

enum class CustomType { Text, Number, Date, Boolean, Select, MultiSelect };

struct CustomFieldDef {
    std::string key;    ///< [a-z][a-z0-9_]{0,39}: safe to splice into JSON paths.
    std::string label;
    CustomType type = CustomType::Text;
    std::vector<std::string> options;  ///< For Select and MultiSelect.
    std::string created_at;

    Json toJson() const;
};

/// Where one collection's custom fields live. All names are chosen by the plugin, never
/// by clients.
struct CustomFieldStore {
    std::string definitions_table;  ///< e.g. "deals_custom_fields".
    std::string entity;             ///< Value of the table's `entity` column; empty: no such column.
    std::string records_table;      ///< Table whose `custom_fields` column holds the values.
};

/// "text", "number", "date", "boolean", "select" or "multi_select".
const char* customTypeName(CustomType type);

/// The collection's definitions, in key order.
std::vector<CustomFieldDef> loadDefinitions(Database& db, const CustomFieldStore& store);

/// What is wrong with `value` for `def`, or nullopt when it is acceptable (null is always
/// acceptable: it removes the value).
std::optional<std::string> customValueError(const CustomFieldDef& def, const Json& value);

/// Converts text (a CSV cell) to the JSON value `def` expects; invalid text yields a value
/// that customValueError() rejects with a precise message.
Json customValueFromText(const CustomFieldDef& def, const std::string& text);

/// Validates the "custom_fields" object of a create or update body against `defs`:
/// accepted values go into `patch` (key -> value, null removes), problems into `errors`
/// as "custom_fields.<key>" (or "custom_fields" when it is not an object).
void validateCustomFields(const Json& value, const std::vector<CustomFieldDef>& defs, Json& patch,
                          FieldErrors& errors);

/// Applies a validated patch to a record's current custom field object; returns the
/// changes as "custom_fields.<key>" -> {"from","to"} (empty when nothing changed).
Json applyCustomFieldPatch(Json& custom_fields, const Json& patch);

/// GET <collection>/custom-fields: {"data":[definition...],"next_cursor":null}.
Response listCustomFields(const CustomFieldStore& store, const Request& req, TenantScope& scope);
/// POST <collection>/custom-fields {"key","label","type","options"}: 201, 409 custom_field_exists, 422.
Response createCustomField(const CustomFieldStore& store, const Request& req, TenantScope& scope);
/// DELETE <collection>/custom-fields/{key}: removes the definition and every stored value
/// (each touched record gets a new version). 404 custom_field_not_found.
Response deleteCustomField(const CustomFieldStore& store, const Request& req, TenantScope& scope);

}  // namespace tessera::sdk::rest
