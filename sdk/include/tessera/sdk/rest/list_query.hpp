#pragma once
/// Collection lists as docs/api.md describes them: `limit` (1-200, default 50), opaque
/// keyset `cursor`, `sort` (field or -field), `q` search and `filter[field]` /
/// `filter[field][op]` with ops eq, ne, lt, lte, gt, gte, in, contains, is_null. Part of
/// tessera_sdk_rest.
///
/// A plugin describes its columns once (ListSpec); parseListQuery() turns a request into
/// a WHERE clause with bound parameters and a sort, and ListQuery builds the page query
/// and the answer. Pagination is keyset-based: the cursor holds the sort value and id of
/// the last row returned, so pages stay stable under inserts and cost the same at any
/// depth. Every value reaches the database as a bound parameter; only expressions from
/// the spec (or validated custom field keys) are spliced into SQL. NULLs sort last in both
/// directions, the same on both engines.

#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <tessera/sdk/database.hpp>
#include <tessera/sdk/http.hpp>
#include <tessera/sdk/rest/custom_fields.hpp>

namespace tessera::sdk::rest {

inline constexpr std::size_t kDefaultLimit = 50;
inline constexpr std::size_t kMaxLimit = 200;

/// How a column's filter values are parsed and compared.
enum class ColumnKind {
    Text,        ///< Compared as given; `contains` is case-insensitive.
    FoldedText,  ///< Stored lower-cased (e.g. an email key): filter values are lower-cased too.
    Integer,     ///< Whole numbers (amounts in minor units).
    Real,        ///< Any finite number.
    Boolean,     ///< 0/1; filter values true/false/1/0; only eq, ne, is_null.
    Date,        ///< "YYYY-MM-DD" text.
    Timestamp,   ///< ISO 8601 UTC text; filter values may be dates or timestamps.
    JsonArray,   ///< A JSON array of strings in a text column; only contains and is_null.
};

struct ListColumn {
    std::string name;  ///< Field name in the API (filter[name], sort=name).
    std::string sql;   ///< SQL expression; for JsonArray the text column holding the array.
    ColumnKind kind = ColumnKind::Text;
    bool sortable = false;
    bool nullable = true;
    /// JsonArray only, optional: a quicker way for `contains` to find the rows holding a
    /// value, such as a table of (value, row id) kept by triggers. Given the value, it
    /// returns a condition on the collection's rows and appends that condition's
    /// parameters, or returns "" to keep the default, which tests each row along the sort
    /// order (cheaper for a common value: a page fills quickly).
    std::function<std::string(const std::string& value, Params& params)> contains_lookup;
};

struct ListQuery;

/// One collection's list surface.
struct ListSpec {
    std::vector<ListColumn> columns;
    std::string id_sql = "id";            ///< Unique tiebreaker of the sort (and cursor id).
    std::string default_sort = "-created_at";
    /// Non-empty: `custom_fields.<key>` filters and sorts resolve through `custom_fields`
    /// definitions, reading the JSON text column named here.
    std::string custom_fields_sql;
    std::vector<CustomFieldDef> custom_fields;
    /// Handles `q` (at most 200 characters, non-empty) by adding to the query's WHERE;
    /// unset: `q` is an unknown parameter.
    std::function<void(const std::string& q, ListQuery& query)> search;
    /// Further query parameters the route reads itself (otherwise 400 unknown parameter).
    std::set<std::string> extra_params;
};

/// A parsed list request.
struct ListQuery {
    std::string where = "1 = 1";  ///< Callers may AND more conditions (e.g. owner checks).
    Params where_params;
    std::string sort_key;         ///< As requested ("-created_at"); cursors are bound to it.
    std::string sort_sql;
    ColumnKind sort_kind = ColumnKind::Timestamp;
    bool descending = true;
    bool nullable = false;
    std::string id_sql = "id";
    std::size_t limit = kDefaultLimit;
    bool has_cursor = false;
    Value cursor_value;
    std::string cursor_id;

    /// "SELECT <select_list>, <sort> AS sort_value <from> WHERE ... ORDER BY ... [LIMIT]"
    /// for one page (limit + 1 rows, to know whether there is a next page) or, with
    /// `paginate` false, every matching row in order (exports). `from` is " FROM t ...".
    /// Replaces `params` with the statement's parameters.
    std::string sql(const std::string& select_list, const std::string& from, bool paginate, Params& params) const;

    /// The opaque cursor continuing after `last` (a row of sql()'s result).
    std::string cursorAfter(const Row& last) const;

    /// Moves this query past `last` (a row of sql()'s result), as if the cursor after it
    /// had been given: for reading a whole list in keyset batches (exports).
    void continueAfter(const Row& last);

    /// {"data":[toJson(row)...],"next_cursor":...} from the rows of a paginated sql().
    Json page(const Rows& rows, const std::function<Json(const Row&)>& toJson) const;
};

/// Parses list parameters (limit, cursor, sort, q, filter[...]) against `spec`. Throws
/// ApiError 400 "invalid_query" naming the offending parameter, field or operator (also
/// for parameters that are not UTF-8). Callers without a request (script functions)
/// give the parameters as a map.
ListQuery parseListQuery(const ListSpec& spec, const std::map<std::string, std::string>& query, Engine engine);
inline ListQuery parseListQuery(const ListSpec& spec, const Request& req, Engine engine) {
    return parseListQuery(spec, req.query, engine);
}

/// `limit` text: an integer 1..kMaxLimit; throws 400 invalid_query otherwise.
std::size_t parseLimit(const std::string& value);

/// Opaque cursor text for any JSON state, and back (nullopt when it is not one of ours).
std::string encodeCursor(const Json& state);
std::optional<Json> decodeCursor(const std::string& text);

}  // namespace tessera::sdk::rest
