#include <tessera/sdk/rest/list_query.hpp>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <map>

#include <tessera/sdk/rest/dates.hpp>
#include <tessera/sdk/rest/errors.hpp>
#include <tessera/sdk/rest/text.hpp>

namespace tessera::sdk::rest {
namespace {

// A filterable/sortable field resolved to SQL.
struct Column {
    std::string sql;  ///< Scalar expression (unused for arrays).
    ColumnKind kind = ColumnKind::Text;
    bool sortable = false;
    bool nullable = true;
    // Arrays: the JSON document and path for SQLite, the jsonb expression for PostgreSQL.
    std::string json_doc, json_path, jsonb;
    std::function<std::string(const std::string&, Params&)> contains_lookup;
};

Column arrayColumn(const std::string& doc, const std::string& path, const std::string& jsonb) {
    Column c{"", ColumnKind::JsonArray};
    c.json_doc = doc, c.json_path = path, c.jsonb = jsonb;
    return c;
}

std::optional<Column> resolve(const ListSpec& spec, const std::string& name, Engine engine) {
    for (const auto& col : spec.columns) {
        if (col.name != name) continue;
        if (col.kind == ColumnKind::JsonArray) {
            Column c = arrayColumn(col.sql, "$", "CAST(" + col.sql + " AS JSONB)");
            c.contains_lookup = col.contains_lookup;
            return c;
        }
        return Column{col.sql, col.kind, col.sortable, col.nullable};
    }
    const std::string prefix = "custom_fields.";
    if (spec.custom_fields_sql.empty() || name.rfind(prefix, 0) != 0) return std::nullopt;
    const std::string key = name.substr(prefix.size());
    const std::string& doc = spec.custom_fields_sql;
    const bool pg = engine == Engine::Postgres;
    for (const auto& d : spec.custom_fields) {
        if (d.key != key) continue;
        // Keys are [a-z0-9_] (checked when defined), so splicing them is safe.
        const std::string text = pg ? "(CAST(" + doc + " AS JSONB) ->> '" + key + "')"
                                    : "json_extract(" + doc + ", '$." + key + "')";
        switch (d.type) {
            case CustomType::Number:
                return Column{pg ? "CAST(" + text + " AS DOUBLE PRECISION)" : text, ColumnKind::Real, true};
            case CustomType::Boolean:
                return Column{pg ? "(CASE " + text + " WHEN 'true' THEN 1 WHEN 'false' THEN 0 END)" : text,
                              ColumnKind::Boolean, true};
            case CustomType::Date: return Column{text, ColumnKind::Timestamp, true};
            case CustomType::MultiSelect:
                return arrayColumn(doc, "$." + key, "(CAST(" + doc + " AS JSONB) -> '" + key + "')");
            default: return Column{text, ColumnKind::Text, true};
        }
    }
    return std::nullopt;
}

bool numericSort(ColumnKind k) { return k == ColumnKind::Integer || k == ColumnKind::Real || k == ColumnKind::Boolean; }

bool opAllowed(ColumnKind k, const std::string& op) {
    if (k == ColumnKind::JsonArray) return op == "contains" || op == "is_null";
    if (op == "eq" || op == "ne" || op == "is_null") return true;
    if (k == ColumnKind::Boolean) return false;
    if (op == "lt" || op == "lte" || op == "gt" || op == "gte" || op == "in") return true;
    return op == "contains" && (k == ColumnKind::Text || k == ColumnKind::FoldedText);
}

Value parseValue(const Column& c, const std::string& raw, const std::string& param) {
    switch (c.kind) {
        case ColumnKind::Integer: {
            char* end = nullptr;
            errno = 0;
            const long long n = std::strtoll(raw.c_str(), &end, 10);
            if (raw.empty() || *end || errno == ERANGE) badQuery(param, "'" + raw + "' is not an integer");
            return n;
        }
        case ColumnKind::Real: {
            std::size_t used = 0;
            double d = 0;
            try {
                d = std::stod(raw, &used);
            } catch (const std::exception&) {
                used = 0;
            }
            if (raw.empty() || used != raw.size() || !std::isfinite(d)) badQuery(param, "'" + raw + "' is not a number");
            return d;
        }
        case ColumnKind::Boolean:
            if (raw == "true" || raw == "1") return 1;
            if (raw == "false" || raw == "0") return 0;
            badQuery(param, "expected true or false");
        case ColumnKind::Date:
            if (!validDate(raw)) badQuery(param, "expected a date (YYYY-MM-DD)");
            return raw;
        case ColumnKind::Timestamp: {
            std::string norm;
            if (parseTimestamp(raw, norm)) return norm;
            if (validDate(raw)) return raw;
            badQuery(param, "expected a date (YYYY-MM-DD) or an ISO 8601 UTC timestamp");
        }
        case ColumnKind::FoldedText: return lowerAscii(raw);
        default: return raw;
    }
}

// Tests each row's array for `raw`.
std::string arrayContains(const Column& c, const std::string& raw, bool pg, Params& params) {
    if (pg) {
        params.push_back(raw);
        return c.jsonb + " @> jsonb_build_array(CAST(? AS TEXT))";
    }
    std::string cond = "EXISTS (SELECT 1 FROM json_each(" + c.json_doc + ", '" + c.json_path + "') WHERE value = ?)";
    // json_each per row is most of a filtered page's cost. Printable ASCII other than
    // quote, backslash and slash is written verbatim by every JSON encoder, so a row whose
    // text lacks the value cannot hold it: instr() rules those rows out cheaply, and
    // json_each decides for the rest.
    const bool verbatim = !raw.empty() && std::all_of(raw.begin(), raw.end(), [](char ch) {
        return ch >= 0x20 && ch < 0x7f && ch != '"' && ch != '\\' && ch != '/';
    });
    if (verbatim) {
        cond = "instr(" + c.json_doc + ", ?) > 0 AND " + cond;
        params.push_back(raw);
    }
    params.push_back(raw);
    return cond;
}

void addFilter(ListQuery& q, const Column& c, const std::string& op, const std::string& raw, const std::string& param,
               Engine engine) {
    const bool pg = engine == Engine::Postgres;
    std::string cond;
    if (op == "is_null") {
        bool want = false;
        if (raw == "true" || raw == "1") want = true;
        else if (raw == "false" || raw == "0") want = false;
        else badQuery(param, "expected true or false");
        if (c.kind == ColumnKind::JsonArray) {
            const std::string len = pg ? "jsonb_array_length(" + c.jsonb + ")"
                                       : "json_array_length(" + c.json_doc + ", '" + c.json_path + "')";
            cond = "COALESCE(" + len + ", 0) " + (want ? "= 0" : "> 0");
        } else {
            cond = c.sql + (want ? " IS NULL" : " IS NOT NULL");
        }
    } else if (op == "contains" && c.kind == ColumnKind::JsonArray) {
        if (c.contains_lookup) cond = c.contains_lookup(raw, q.where_params);
        if (cond.empty()) cond = arrayContains(c, raw, pg, q.where_params);
    } else if (op == "contains") {
        cond = "lower(" + c.sql + ") LIKE ? ESCAPE '\\'";
        q.where_params.push_back(containsPattern(lowerAscii(raw)));
    } else if (op == "in") {
        std::vector<std::string> items;
        std::size_t start = 0;
        while (start <= raw.size()) {
            auto end = raw.find(',', start);
            if (end == std::string::npos) end = raw.size();
            items.push_back(raw.substr(start, end - start));
            start = end + 1;
        }
        if (raw.empty() || items.size() > 100) badQuery(param, "expected 1-100 comma-separated values");
        cond = c.sql + " IN (";
        for (std::size_t i = 0; i < items.size(); ++i) {
            cond += i ? ", ?" : "?";
            q.where_params.push_back(parseValue(c, items[i], param));
        }
        cond += ")";
    } else {
        static const std::map<std::string, std::string> kOps = {
            {"eq", "="}, {"lt", "<"}, {"lte", "<="}, {"gt", ">"}, {"gte", ">="}};
        const auto value = parseValue(c, raw, param);
        if (op == "ne")
            cond = "(" + c.sql + " IS NULL OR " + c.sql + " <> ?)";
        else
            cond = c.sql + " " + kOps.at(op) + " ?";
        q.where_params.push_back(value);
    }
    q.where += " AND " + cond;
}

// filter[field] or filter[field][op] -> (field, op); false if malformed.
bool splitFilterKey(const std::string& key, std::string& field, std::string& op) {
    const std::string prefix = "filter[";
    auto close = key.find(']', prefix.size());
    if (close == std::string::npos) return false;
    field = key.substr(prefix.size(), close - prefix.size());
    if (close + 1 == key.size()) {
        op = "eq";
        return !field.empty();
    }
    if (key[close + 1] != '[' || key.back() != ']') return false;
    op = key.substr(close + 2, key.size() - close - 3);
    return !field.empty() && !op.empty();
}

}  // namespace

std::size_t parseLimit(const std::string& value) {
    char* end = nullptr;
    errno = 0;
    const long n = std::strtol(value.c_str(), &end, 10);
    if (value.empty() || *end || errno == ERANGE || n < 1 || n > static_cast<long>(kMaxLimit))
        badQuery("limit", "must be an integer from 1 to " + std::to_string(kMaxLimit));
    return static_cast<std::size_t>(n);
}

std::string encodeCursor(const Json& state) { return base64url(state.dump()); }

std::optional<Json> decodeCursor(const std::string& text) {
    auto decoded = unbase64url(text);
    if (!decoded) return std::nullopt;
    auto j = parseJson(*decoded);
    if (j.is_discarded()) return std::nullopt;
    return j;
}

ListQuery parseListQuery(const ListSpec& spec, const std::map<std::string, std::string>& query, Engine engine) {
    ListQuery q;
    q.sort_key = spec.default_sort;
    q.id_sql = spec.id_sql;
    for (const auto& [key, value] : query) {
        if (!validUtf8(key) || !validUtf8(value)) badQuery("query", "parameters must be valid UTF-8");
        if (key == "limit") {
            q.limit = parseLimit(value);
        } else if (key == "sort") {
            q.sort_key = value;
        } else if (key == "q" && spec.search) {
            if (utf8Length(value) > 200) badQuery("q", "must be at most 200 characters");
            if (!value.empty()) spec.search(value, q);
        } else if (key.rfind("filter[", 0) == 0) {
            std::string field, op;
            if (!splitFilterKey(key, field, op)) badQuery(key, "expected filter[field] or filter[field][op]");
            auto column = resolve(spec, field, engine);
            if (!column) badQuery(key, "unknown field '" + field + "'");
            static const std::set<std::string> kOps = {"eq", "ne", "lt", "lte", "gt", "gte", "in", "contains", "is_null"};
            if (!kOps.count(op)) badQuery(key, "unknown operator '" + op + "'");
            if (!opAllowed(column->kind, op))
                badQuery(key, "operator '" + op + "' does not apply to field '" + field + "'");
            addFilter(q, *column, op, value, key, engine);
        } else if (key != "cursor" && !spec.extra_params.count(key)) {
            badQuery(key, "unknown query parameter");
        }
    }

    const bool desc = !q.sort_key.empty() && q.sort_key[0] == '-';
    const std::string sort_field = desc ? q.sort_key.substr(1) : q.sort_key;
    auto sort_col = resolve(spec, sort_field, engine);
    if (!sort_col || !sort_col->sortable) badQuery("sort", "cannot sort by '" + sort_field + "'");
    q.descending = desc;
    q.sort_sql = sort_col->sql;
    q.sort_kind = sort_col->kind;
    q.nullable = sort_col->nullable;

    if (auto cursor = query.find("cursor"); cursor != query.end()) {
        auto j = decodeCursor(cursor->second).value_or(Json());
        if (!j.is_object() || !j.contains("s") || !j.contains("id") || !j["id"].is_string() || !j.contains("v"))
            badQuery("cursor", "not a cursor returned by this list");
        if (j["s"] != q.sort_key) badQuery("cursor", "was made for another sort order");
        q.has_cursor = true;
        q.cursor_id = j["id"].get<std::string>();
        const auto& v = j["v"];
        if (q.sort_kind == ColumnKind::Integer && v.is_number_integer()) q.cursor_value = v.get<std::int64_t>();
        else if (numericSort(q.sort_kind) && q.sort_kind != ColumnKind::Integer && v.is_number())
            q.cursor_value = v.get<double>();
        else if (!numericSort(q.sort_kind) && v.is_string()) q.cursor_value = v.get<std::string>();
        else if (!v.is_null()) badQuery("cursor", "not a cursor returned by this list");
    }
    return q;
}

std::string ListQuery::sql(const std::string& select_list, const std::string& from, bool paginate,
                           Params& params) const {
    const std::string& e = sort_sql;
    const std::string& id = id_sql;
    const char* dir = descending ? " DESC" : " ASC";
    const char* cmp = descending ? " < " : " > ";
    std::string text = "SELECT " + select_list + ", " + e + " AS sort_value" + from + " WHERE " + where;
    params = where_params;
    if (has_cursor) {
        if (!nullable) {
            // Row values let both engines walk the (column, id) index.
            text += " AND (" + e + ", " + id + ")" + cmp + "(?, ?)";
            params.insert(params.end(), {cursor_value, cursor_id});
        } else if (cursor_value.isNull()) {
            text += " AND (" + e + " IS NULL AND " + id + cmp + "?)";
            params.push_back(cursor_id);
        } else {
            text += " AND (" + e + " IS NULL OR " + e + cmp + "? OR (" + e + " = ? AND " + id + cmp + "?))";
            params.insert(params.end(), {cursor_value, cursor_value, cursor_id});
        }
    }
    text += " ORDER BY ";
    if (nullable) text += "(CASE WHEN " + e + " IS NULL THEN 1 ELSE 0 END), ";
    text += e + dir + ", " + id + dir;
    if (paginate) {
        text += " LIMIT ?";
        params.push_back(static_cast<long long>(limit + 1));
    }
    return text;
}

namespace {

// Engines report expression types differently (SQLite hands numbers back as text
// through SOCI), so cursors hold the value in the column's own kind.
Value sortValueOf(ColumnKind kind, const Row& row) {
    const auto& v = row["sort_value"];
    if (v.isNull()) return {};
    if (kind == ColumnKind::Integer) return v.asInt();
    if (numericSort(kind)) return v.asReal();
    return v.asText();
}

}  // namespace

std::string ListQuery::cursorAfter(const Row& last) const {
    const Value v = sortValueOf(sort_kind, last);
    Json value;
    if (v.isInt()) value = v.asInt();
    else if (v.isReal()) value = v.asReal();
    else if (v.isText()) value = v.asText();
    return encodeCursor(Json{{"s", sort_key}, {"v", value}, {"id", last["id"].asText()}});
}

void ListQuery::continueAfter(const Row& last) {
    has_cursor = true;
    cursor_value = sortValueOf(sort_kind, last);
    cursor_id = last["id"].asText();
}

Json ListQuery::page(const Rows& rows, const std::function<Json(const Row&)>& toJson) const {
    Json data = Json::array();
    for (std::size_t i = 0; i < rows.size() && i < limit; ++i) data.push_back(toJson(rows[i]));
    Json next = nullptr;
    if (rows.size() > limit) next = cursorAfter(rows[limit - 1]);
    return {{"data", std::move(data)}, {"next_cursor", std::move(next)}};
}

}  // namespace tessera::sdk::rest
