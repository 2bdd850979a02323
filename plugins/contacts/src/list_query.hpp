#pragma once
/// The contacts and companies lists: the SDK's list query (<tessera/sdk/rest/list_query.hpp>,
/// which parses limit, cursor, sort and filter[field][op] and builds keyset-paginated SQL)
/// configured from a ResourceSpec and the tenant's custom fields, plus contacts' own `q`
/// search over the accent-folded search_text column.

#include <map>
#include <set>
#include <string>
#include <vector>

#include <tessera/sdk.hpp>
#include <tessera/sdk/rest/custom_fields.hpp>
#include <tessera/sdk/rest/list_query.hpp>

#include "resource.hpp"

namespace tessera::plugins::contacts {

using ListQuery = sdk::rest::ListQuery;

/// A list query as the caller's role may run it, and the rules that hide fields of its rows.
struct VisibleList {
    ListQuery query;
    sdk::AccessRules rules;
};

/// Parses list parameters (a request's query, or a script's filters) for the caller in
/// `scope`: parameters other than limit, cursor, sort, q and filter[...] are refused
/// unless listed in `extra_params`; a role limited to its own records sees only those; a
/// filter or sort on a hidden field is refused. Throws ApiError 400 "invalid_query" naming
/// the offending parameter, field or operator. The tenant's engine decides the SQL
/// dialect, and on SQLite `q` is looked up once to choose how to search.
VisibleList parseVisibleList(const ResourceSpec& spec, const std::map<std::string, std::string>& query,
                             sdk::TenantScope& scope, const std::set<std::string>& extra_params = {});

/// SELECT for one page (limit + 1 rows, to know whether there is a next page) or, with
/// `paginate` false, for every matching row in order (exports). Fills `params`.
std::string buildListSql(const ResourceSpec& spec, const ListQuery& q, bool paginate, sdk::Params& params);

/// The opaque cursor continuing after `last` (a row of buildListSql's result).
std::string cursorAfter(const ListQuery& q, const sdk::Row& last);

/// Moves `q` past `last` (a row of buildListSql's result), as if the cursor after it had
/// been given: for reading a whole list in batches.
void continueAfter(ListQuery& q, const sdk::Row& last);

}  // namespace tessera::plugins::contacts
