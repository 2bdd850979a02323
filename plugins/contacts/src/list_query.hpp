#pragma once
/// Turns list query parameters (limit, cursor, sort, q, filter[field][op]) into SQL.
///
/// Pagination is keyset-based: the cursor holds the sort value and id of the last row
/// returned, so pages stay stable under inserts and cost the same at any depth. Every
/// value reaches the database as a bound parameter; only field expressions chosen from
/// a fixed list (or validated custom field keys) are spliced into the SQL text.

#include <optional>
#include <set>
#include <string>
#include <vector>

#include <tessera/sdk.hpp>

#include "custom_fields.hpp"
#include "resource.hpp"

namespace tessera::plugins::contacts {

inline constexpr std::size_t kDefaultLimit = 50;
inline constexpr std::size_t kMaxLimit = 200;

struct ListQuery {
    std::string where = "1 = 1";
    sdk::Params where_params;
    std::string sort_key = "-created_at";  ///< As requested; echoed into cursors.
    std::string sort_expr = "created_at";
    bool descending = true;
    bool nullable = false;                 ///< The sort expression can be NULL.
    bool numeric = false;                  ///< The sort expression is a number (cursor values too).
    std::size_t limit = kDefaultLimit;
    bool has_cursor = false;
    sdk::Value cursor_value;
    std::string cursor_id;
};

/// Parses `req.query`. Parameters other than limit, cursor, sort, q and filter[...] are
/// refused unless listed in `extra_params`. Throws ApiError 400 "invalid_query" naming
/// the offending parameter, field or operator.
ListQuery parseListQuery(const ResourceSpec& spec, const std::vector<CustomFieldDef>& defs,
                         const sdk::Request& req, sdk::Engine engine,
                         const std::set<std::string>& extra_params = {});

/// SELECT for one page (limit + 1 rows, to know whether there is a next page) or, with
/// `paginate` false, for every matching row in order (exports). Fills `params`.
std::string buildListSql(const ResourceSpec& spec, const ListQuery& q, bool paginate, sdk::Params& params);

/// The opaque cursor continuing after `last` (a row of buildListSql's result).
std::string cursorAfter(const ListQuery& q, const sdk::Row& last);

}  // namespace tessera::plugins::contacts
