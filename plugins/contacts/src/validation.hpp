#pragma once
/// Validation of create and update bodies against a resource's field table, with the
/// SDK's validation kit: every problem is collected so that one 422 reports them all,
/// keyed by field name ("custom_fields.<key>" for custom fields, "address.city" for parts).

#include <vector>

#include <tessera/sdk.hpp>
#include <tessera/sdk/rest/custom_fields.hpp>
#include <tessera/sdk/rest/validation.hpp>

#include "resource.hpp"

namespace tessera::plugins::contacts {

struct ValidatedInput {
    sdk::Json values = sdk::Json::object();  ///< Built-in fields present in the body, as given.
    sdk::Json custom = sdk::Json::object();  ///< Custom field patch: key -> value; null removes.
    sdk::rest::FieldErrors errors;
};

/// Checks `body` against `spec` and the tenant's custom field definitions. On create,
/// required fields must be present; on update (creating == false) only given fields
/// are checked. Unknown and read-only fields are errors.
ValidatedInput validateInput(const ResourceSpec& spec, const sdk::Json& body,
                             const std::vector<sdk::rest::CustomFieldDef>& defs, bool creating);

}  // namespace tessera::plugins::contacts
