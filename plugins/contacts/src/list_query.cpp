#include "list_query.hpp"

#include <cmath>
#include <map>

#include "clock_ids.hpp"
#include "text.hpp"

namespace tessera::plugins::contacts {
namespace {

enum class ValueKind { Text, Email, Number, Boolean, Timestamp, Array };

// A filterable/sortable field resolved to SQL.
struct Column {
    std::string sql;  ///< Scalar expression (unused for arrays).
    ValueKind kind = ValueKind::Text;
    bool sortable = false;
    bool nullable = true;
    // Arrays: the JSON document and path for SQLite, the jsonb expression for PostgreSQL.
    std::string json_doc, json_path, jsonb;
};

[[noreturn]] void badQuery(const std::string& param, const std::string& problem) {
    throw sdk::ApiError(400, "invalid_query", param + ": " + problem, {{param, problem}});
}

std::optional<Column> resolve(const ResourceSpec& spec, const std::vector<CustomFieldDef>& defs,
                              const std::string& name, sdk::Engine engine) {
    const bool pg = engine == sdk::Engine::Postgres;
    if (name == "id") return Column{"id", ValueKind::Text, true, false};
    if (const FieldSpec* f = spec.field(name)) {
        switch (f->kind) {
            case FieldKind::Text:
            case FieldKind::Reference: return Column{f->name, ValueKind::Text, f->sortable, !f->required};
            case FieldKind::Email: return Column{"email_key", ValueKind::Email, f->sortable, true};
            case FieldKind::Timestamp: return Column{f->name, ValueKind::Timestamp, true, false};
            case FieldKind::Tags: {
                Column c{"", ValueKind::Array};
                c.json_doc = f->name, c.json_path = "$", c.jsonb = "CAST(" + f->name + " AS JSONB)";
                return c;
            }
            case FieldKind::Address: return std::nullopt;
        }
    }
    const std::string prefix = "custom_fields.";
    if (name.rfind(prefix, 0) != 0) return std::nullopt;
    const std::string key = name.substr(prefix.size());
    for (const auto& d : defs) {
        if (d.key != key) continue;
        // Keys are [a-z0-9_] (checked when defined), so splicing them is safe.
        const std::string path = "'$." + key + "'";
        const std::string text = pg ? "(CAST(custom_fields AS JSONB) ->> '" + key + "')"
                                    : "json_extract(custom_fields, " + path + ")";
        switch (d.type) {
            case CustomType::Number:
                return Column{pg ? "CAST(" + text + " AS DOUBLE PRECISION)" : text, ValueKind::Number, true};
            case CustomType::Boolean:
                return Column{pg ? "(CASE " + text + " WHEN 'true' THEN 1 WHEN 'false' THEN 0 END)" : text,
                              ValueKind::Boolean, true};
            case CustomType::Date: return Column{text, ValueKind::Timestamp, true};
            case CustomType::MultiSelect: {
                Column c{"", ValueKind::Array};
                c.json_doc = "custom_fields", c.json_path = "$." + key;
                c.jsonb = "(CAST(custom_fields AS JSONB) -> '" + key + "')";
                return c;
            }
            default: return Column{text, ValueKind::Text, true};
        }
    }
    return std::nullopt;
}

bool opAllowed(ValueKind k, const std::string& op) {
    if (k == ValueKind::Array) return op == "contains" || op == "is_null";
    if (op == "eq" || op == "ne" || op == "is_null") return true;
    if (k == ValueKind::Boolean) return false;
    if (op == "lt" || op == "lte" || op == "gt" || op == "gte" || op == "in") return true;
    return op == "contains" && (k == ValueKind::Text || k == ValueKind::Email);
}

sdk::Value parseValue(const Column& c, const std::string& raw, const std::string& param) {
    switch (c.kind) {
        case ValueKind::Number: {
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
        case ValueKind::Boolean:
            if (raw == "true" || raw == "1") return 1;
            if (raw == "false" || raw == "0") return 0;
            badQuery(param, "expected true or false");
        case ValueKind::Timestamp: {
            std::string norm;
            if (parseTimestamp(raw, norm)) return norm;
            if (validDate(raw)) return raw;
            badQuery(param, "expected a date (YYYY-MM-DD) or an ISO 8601 UTC timestamp");
        }
        case ValueKind::Email: {
            std::string lower = raw;
            for (auto& ch : lower)
                if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch + 32);
            return lower;
        }
        default: return raw;
    }
}

void addFilter(ListQuery& q, const Column& c, const std::string& op, const std::string& raw,
               const std::string& param, sdk::Engine engine) {
    const bool pg = engine == sdk::Engine::Postgres;
    std::string cond;
    if (op == "is_null") {
        bool want;
        if (raw == "true" || raw == "1") want = true;
        else if (raw == "false" || raw == "0") want = false;
        else badQuery(param, "expected true or false");
        if (c.kind == ValueKind::Array) {
            const std::string len = pg ? "jsonb_array_length(" + c.jsonb + ")"
                                       : "json_array_length(" + c.json_doc + ", '" + c.json_path + "')";
            cond = "COALESCE(" + len + ", 0) " + (want ? "= 0" : "> 0");
        } else {
            cond = c.sql + (want ? " IS NULL" : " IS NOT NULL");
        }
    } else if (op == "contains" && c.kind == ValueKind::Array) {
        cond = pg ? c.jsonb + " @> jsonb_build_array(CAST(? AS TEXT))"
                  : "EXISTS (SELECT 1 FROM json_each(" + c.json_doc + ", '" + c.json_path + "') WHERE value = ?)";
        q.where_params.push_back(raw);
    } else if (op == "contains") {
        cond = "lower(" + c.sql + ") LIKE ? ESCAPE '\\'";
        std::string lower = raw;
        for (auto& ch : lower)
            if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch + 32);
        q.where_params.push_back(containsPattern(lower));
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
        static const std::map<std::string, std::string> kOps = {{"eq", "="}, {"lt", "<"}, {"lte", "<="},
                                                                 {"gt", ">"}, {"gte", ">="}};
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

ListQuery parseListQuery(const ResourceSpec& spec, const std::vector<CustomFieldDef>& defs, const sdk::Request& req,
                         sdk::Engine engine, const std::set<std::string>& extra_params) {
    ListQuery q;
    for (const auto& [key, value] : req.query) {
        if (!validUtf8(key) || !validUtf8(value)) badQuery("query", "parameters must be valid UTF-8");
        if (key == "limit") {
            std::size_t used = 0;
            long n = 0;
            try {
                n = std::stol(value, &used);
            } catch (const std::exception&) {
                used = 0;
            }
            if (used == 0 || used != value.size() || n < 1 || n > static_cast<long>(kMaxLimit))
                badQuery("limit", "must be an integer from 1 to " + std::to_string(kMaxLimit));
            q.limit = static_cast<std::size_t>(n);
        } else if (key == "sort") {
            q.sort_key = value;
        } else if (key == "q") {
            const std::string needle = searchKey(value);
            if (utf8Length(value) > 200) badQuery("q", "must be at most 200 characters");
            if (needle.empty()) continue;
            const std::string pattern = containsPattern(needle);
            q.where += " AND (search_text LIKE ? ESCAPE '\\'";
            q.where_params.push_back(pattern);
            if (spec.search_company) {
                q.where += " OR company_id IN (SELECT id FROM contacts_companies WHERE search_text LIKE ? ESCAPE '\\')";
                q.where_params.push_back(pattern);
            }
            q.where += ")";
        } else if (key.rfind("filter[", 0) == 0) {
            std::string field, op;
            if (!splitFilterKey(key, field, op)) badQuery(key, "expected filter[field] or filter[field][op]");
            auto column = resolve(spec, defs, field, engine);
            if (!column) badQuery(key, "unknown field '" + field + "'");
            static const std::set<std::string> kOps = {"eq", "ne", "lt", "lte", "gt", "gte", "in", "contains", "is_null"};
            if (!kOps.count(op)) badQuery(key, "unknown operator '" + op + "'");
            if (!opAllowed(column->kind, op)) badQuery(key, "operator '" + op + "' does not apply to field '" + field + "'");
            addFilter(q, *column, op, value, key, engine);
        } else if (key != "cursor" && !extra_params.count(key)) {
            badQuery(key, "unknown query parameter");
        }
    }

    const bool desc = !q.sort_key.empty() && q.sort_key[0] == '-';
    const std::string sort_field = desc ? q.sort_key.substr(1) : q.sort_key;
    auto sort_col = resolve(spec, defs, sort_field, engine);
    if (!sort_col || !sort_col->sortable) badQuery("sort", "cannot sort by '" + sort_field + "'");
    q.descending = desc;
    q.sort_expr = sort_col->sql;
    q.nullable = sort_col->nullable;
    q.numeric = sort_col->kind == ValueKind::Number || sort_col->kind == ValueKind::Boolean;

    if (auto cursor = req.queryParam("cursor")) {
        auto decoded = unbase64url(*cursor);
        auto j = decoded ? sdk::Json::parse(*decoded, nullptr, false) : sdk::Json();
        if (!j.is_object() || !j.contains("s") || !j.contains("id") || !j["id"].is_string() || !j.contains("v"))
            badQuery("cursor", "not a cursor returned by this list");
        if (j["s"] != q.sort_key) badQuery("cursor", "was made for another sort order");
        q.has_cursor = true;
        q.cursor_id = j["id"].get<std::string>();
        const auto& v = j["v"];
        if (q.numeric && v.is_number()) q.cursor_value = v.get<double>();
        else if (!q.numeric && v.is_string()) q.cursor_value = v.get<std::string>();
        else if (!v.is_null()) badQuery("cursor", "not a cursor returned by this list");
    }
    return q;
}

std::string buildListSql(const ResourceSpec& spec, const ListQuery& q, bool paginate, sdk::Params& params) {
    const std::string& e = q.sort_expr;
    const char* dir = q.descending ? " DESC" : " ASC";
    const char* cmp = q.descending ? " < " : " > ";
    std::string sql = "SELECT " + std::string("id");
    for (const auto& f : spec.fields) sql += ", " + f.name;
    sql += ", custom_fields, version, " + e + " AS sort_value FROM " + spec.table + " WHERE " + q.where;
    params = q.where_params;
    if (q.has_cursor) {
        if (!q.nullable) {
            // Row values let both engines walk the (column, id) index.
            sql += " AND (" + e + ", id)" + cmp + "(?, ?)";
            params.insert(params.end(), {q.cursor_value, q.cursor_id});
        } else if (q.cursor_value.isNull()) {
            sql += " AND (" + e + " IS NULL AND id" + cmp + "?)";
            params.push_back(q.cursor_id);
        } else {
            sql += " AND (" + e + " IS NULL OR " + e + cmp + "? OR (" + e + " = ? AND id" + cmp + "?))";
            params.insert(params.end(), {q.cursor_value, q.cursor_value, q.cursor_id});
        }
    }
    // NULLs sort last in both directions, the same on both engines.
    sql += " ORDER BY ";
    if (q.nullable) sql += "(CASE WHEN " + e + " IS NULL THEN 1 ELSE 0 END), ";
    sql += e + dir + ", id" + dir;
    if (paginate) {
        sql += " LIMIT ?";
        params.push_back(static_cast<long long>(q.limit + 1));
    }
    return sql;
}

std::string cursorAfter(const ListQuery& q, const sdk::Row& last) {
    const auto& v = last["sort_value"];
    sdk::Json value;
    // Engines report expression types differently (SQLite hands numbers back as text
    // through SOCI), so the cursor records the value in the column's own kind.
    if (v.isNull()) value = nullptr;
    else if (q.numeric) value = v.asReal();
    else value = v.asText();
    return base64url(sdk::Json{{"s", q.sort_key}, {"v", value}, {"id", last["id"].asText()}}.dump());
}

}  // namespace tessera::plugins::contacts
