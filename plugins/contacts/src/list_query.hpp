#pragma once
/// The contacts and companies lists: the SDK's list query (<tessera/sdk/rest/list_query.hpp>,
/// which parses limit, cursor, sort and filter[field][op] and builds keyset-paginated SQL)
/// configured from a ResourceSpec and the tenant's custom fields, plus contacts' own `q`
/// search over the accent-folded search_text column.

#include <set>
#include <string>
#include <vector>

#include <tessera/sdk.hpp>
#include <tessera/sdk/rest/custom_fields.hpp>
#include <tessera/sdk/rest/list_query.hpp>

#include "resource.hpp"

namespace tessera::plugins::contacts {

using ListQuery = sdk::rest::ListQuery;

/// Parses `req.query`. Parameters other than limit, cursor, sort, q and filter[...] are
/// refused unless listed in `extra_params`. Throws ApiError 400 "invalid_query" naming
/// the offending parameter, field or operator. `db` is the tenant's: its engine decides
/// the SQL dialect, and on SQLite `q` is looked up once to choose how to search.
ListQuery parseListQuery(const ResourceSpec& spec, const std::vector<sdk::rest::CustomFieldDef>& defs,
                         const sdk::Request& req, sdk::Database& db,
                         const std::set<std::string>& extra_params = {});

/// SELECT for one page (limit + 1 rows, to know whether there is a next page) or, with
/// `paginate` false, for every matching row in order (exports). Fills `params`.
std::string buildListSql(const ResourceSpec& spec, const ListQuery& q, bool paginate, sdk::Params& params);

/// The opaque cursor continuing after `last` (a row of buildListSql's result).
std::string cursorAfter(const ListQuery& q, const sdk::Row& last);

/// Moves `q` past `last` (a row of buildListSql's result), as if the cursor after it had
/// been given: for reading a whole list in batches.
void continueAfter(ListQuery& q, const sdk::Row& last);

}  // namespace tessera::plugins::contacts
