#pragma once
/// Validation of create and update bodies. Every problem is collected so that one 422
/// reports them all, keyed by field name ("custom_fields.<key>" for custom fields).

#include <vector>

#include <tessera/sdk.hpp>
#include <tessera/sdk/rest/custom_fields.hpp>

#include "resource.hpp"

namespace tessera::plugins::contacts {

struct ValidatedInput {
    sdk::Json values = sdk::Json::object();  ///< Built-in fields present in the body, as given.
    sdk::Json custom = sdk::Json::object();  ///< Custom field patch: key -> value; null removes.
    sdk::Json errors = sdk::Json::object();  ///< field -> what is wrong; empty when valid.
};

/// Checks `body` against `spec` and the tenant's custom field definitions. On create,
/// required fields must be present; on update (creating == false) only given fields
/// are checked. Unknown and read-only fields are errors.
ValidatedInput validateInput(const ResourceSpec& spec, const sdk::Json& body,
                             const std::vector<sdk::rest::CustomFieldDef>& defs, bool creating);

/// True for a plausible email address (one @, non-empty local part, dotted domain, no spaces).
bool validEmail(const std::string& email);

}  // namespace tessera::plugins::contacts
