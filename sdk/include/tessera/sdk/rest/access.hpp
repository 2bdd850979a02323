#pragma once
/// Applying the caller's role to a collection (TenantScope::access): records owned by
/// someone else are invisible (404, as if absent), hidden fields are left out of every
/// response and a write or a filter naming one is refused. One way for every plugin to
/// do it, so a role means the same in contacts, deals and billing. Part of
/// tessera_sdk_rest.

#include <map>
#include <string>

#include <tessera/sdk/http.hpp>
#include <tessera/sdk/scope.hpp>

namespace tessera::sdk::rest {

/// `record` without the fields `rules` hides.
Json visible(const AccessRules& rules, Json record);

/// Throws ApiError 404 `<singular>_not_found` when `rules` limits the caller to its own
/// records and `record["owner_id"]` is not the caller.
void requireOwned(const AccessRules& rules, const TenantScope& scope, const Json& record, const std::string& singular);

/// Checks a create or update body: 422 naming a hidden field it writes, or an
/// `owner_id` other than the caller when the role is limited to its own records. On
/// create (`creating`), such a role's records are made the caller's.
void checkWrite(const AccessRules& rules, const TenantScope& scope, Json& body, bool creating);

/// 400 naming the query parameter that filters or sorts on a hidden field.
void refuseHiddenInQuery(const AccessRules& rules, const std::map<std::string, std::string>& query);
inline void refuseHiddenInQuery(const AccessRules& rules, const Request& req) { refuseHiddenInQuery(rules, req.query); }

/// The SQL condition (with its parameter appended to `params`) limiting a list to the
/// caller's records, or "" when the role is not limited. `owner_column` e.g. "d.owner_id".
std::string ownerCondition(const AccessRules& rules, const TenantScope& scope, const std::string& owner_column,
                           Params& params);

}  // namespace tessera::sdk::rest
