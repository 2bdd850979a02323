#include "deal_list.hpp"

#include <cstdlib>
#include <map>
#include <set>

#include "clock_ids.hpp"
#include "deal_store.hpp"
#include "rest.hpp"

namespace tessera::plugins::deals {
namespace {

enum class ValueKind { Text, Number, Date, Timestamp };

struct Column {
    const char* sql;
    ValueKind kind;
    bool sortable;
    bool nullable;
};

const std::map<std::string, Column>& columns() {
    static const std::map<std::string, Column> c = {
        {"id", {"d.id", ValueKind::Text, false, false}},
        {"title", {"d.title", ValueKind::Text, true, false}},
        {"pipeline_id", {"d.pipeline_id", ValueKind::Text, false, false}},
        {"stage_id", {"d.stage_id", ValueKind::Text, false, false}},
        {"status", {"d.status", ValueKind::Text, false, false}},
        {"contact_id", {"d.contact_id", ValueKind::Text, false, true}},
        {"company_id", {"d.company_id", ValueKind::Text, false, true}},
        {"owner_id", {"d.owner_id", ValueKind::Text, false, true}},
        {"currency", {"d.currency", ValueKind::Text, false, false}},
        {"lost_reason_id", {"d.lost_reason_id", ValueKind::Text, false, true}},
        {"amount", {"d.amount", ValueKind::Number, true, false}},
        {"expected_close_date", {"d.expected_close_date", ValueKind::Date, true, true}},
        {"closed_at", {"d.closed_at", ValueKind::Timestamp, true, true}},
        {"created_at", {"d.created_at", ValueKind::Timestamp, true, false}},
        {"updated_at", {"d.updated_at", ValueKind::Timestamp, true, false}},
    };
    return c;
}

sdk::Value parseValue(const Column& c, const std::string& raw, const std::string& param) {
    switch (c.kind) {
        case ValueKind::Number: {
            char* end = nullptr;
            const long long n = std::strtoll(raw.c_str(), &end, 10);
            if (raw.empty() || *end) badQuery(param, "'" + raw + "' is not an integer");
            return n;
        }
        case ValueKind::Date:
            if (!validDate(raw)) badQuery(param, "expected a date (YYYY-MM-DD)");
            return raw;
        case ValueKind::Timestamp: {
            std::string norm;
            if (parseTimestamp(raw, norm)) return norm;
            if (validDate(raw)) return raw;
            badQuery(param, "expected a date (YYYY-MM-DD) or an ISO 8601 UTC timestamp");
        }
        default: return raw;
    }
}

std::string likePattern(const std::string& needle) {
    std::string out = "%";
    for (char c : needle) {
        if (c == '%' || c == '_' || c == '\\') out += '\\';
        out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
    }
    return out + "%";
}

void addFilter(std::string& where, sdk::Params& params, const Column& c, const std::string& op, const std::string& raw,
               const std::string& param) {
    const std::string col = c.sql;
    if (op == "is_null") {
        if (raw != "true" && raw != "false") badQuery(param, "expected true or false");
        where += " AND " + col + (raw == "true" ? " IS NULL" : " IS NOT NULL");
    } else if (op == "contains") {
        if (c.kind != ValueKind::Text) badQuery(param, "operator 'contains' applies to text fields only");
        where += " AND lower(" + col + ") LIKE ? ESCAPE '\\'";
        params.push_back(likePattern(raw));
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
        where += " AND " + col + " IN (";
        for (std::size_t i = 0; i < items.size(); ++i) {
            where += i ? ", ?" : "?";
            params.push_back(parseValue(c, items[i], param));
        }
        where += ")";
    } else if (op == "ne") {
        where += " AND (" + col + " IS NULL OR " + col + " <> ?)";
        params.push_back(parseValue(c, raw, param));
    } else {
        static const std::map<std::string, std::string> kOps = {{"eq", "="}, {"lt", "<"}, {"lte", "<="}, {"gt", ">"}, {"gte", ">="}};
        auto it = kOps.find(op);
        if (it == kOps.end()) badQuery(param, "unknown operator '" + op + "'");
        where += " AND " + col + " " + it->second + " ?";
        params.push_back(parseValue(c, raw, param));
    }
}

}  // namespace

sdk::Response listDeals(const sdk::Request& req, sdk::TenantScope& scope) {
    std::string where = "1 = 1";
    sdk::Params params;
    std::size_t limit = kDefaultLimit;
    std::string sort_key = "-created_at";
    for (const auto& [key, value] : req.query) {
        if (key == "limit") {
            limit = parseLimit(value);
        } else if (key == "sort") {
            sort_key = value;
        } else if (key == "q") {
            if (utf8Length(value) > 200) badQuery("q", "must be at most 200 characters");
            if (value.empty()) continue;
            where += " AND lower(d.title) LIKE ? ESCAPE '\\'";
            params.push_back(likePattern(value));
        } else if (key.rfind("filter[", 0) == 0) {
            const auto close = key.find(']');
            std::string field = close == std::string::npos ? "" : key.substr(7, close - 7);
            std::string op = "eq";
            if (close != std::string::npos && close + 1 < key.size()) {
                if (key[close + 1] != '[' || key.back() != ']') badQuery(key, "expected filter[field] or filter[field][op]");
                op = key.substr(close + 2, key.size() - close - 3);
            }
            auto it = columns().find(field);
            if (field.empty() || it == columns().end()) badQuery(key, "unknown field '" + field + "'");
            addFilter(where, params, it->second, op, value, key);
        } else if (key != "cursor") {
            badQuery(key, "unknown query parameter");
        }
    }
    const bool desc = !sort_key.empty() && sort_key[0] == '-';
    const std::string sort_field = desc ? sort_key.substr(1) : sort_key;
    auto sc = columns().find(sort_field);
    if (sc == columns().end() || !sc->second.sortable) badQuery("sort", "cannot sort by '" + sort_field + "'");
    const Column& sort = sc->second;
    const std::string e = sort.sql;
    const char* dir = desc ? " DESC" : " ASC";
    const char* cmp = desc ? " < " : " > ";

    if (auto cursor = req.queryParam("cursor")) {
        auto j = decodeCursor(*cursor);
        if (!j || !j->is_object() || !j->contains("s") || !j->contains("v") || !(*j)["id"].is_string())
            badQuery("cursor", "not a cursor returned by this list");
        if ((*j)["s"] != sort_key) badQuery("cursor", "was made for another sort order");
        const auto& v = (*j)["v"];
        const std::string id = (*j)["id"].get<std::string>();
        sdk::Value cv;
        if (sort.kind == ValueKind::Number && v.is_number_integer()) cv = v.get<std::int64_t>();
        else if (sort.kind != ValueKind::Number && v.is_string()) cv = v.get<std::string>();
        else if (!v.is_null()) badQuery("cursor", "not a cursor returned by this list");
        if (!sort.nullable) {
            where += " AND (" + e + cmp + "? OR (" + e + " = ? AND d.id" + cmp + "?))";
            params.insert(params.end(), {cv, cv, id});
        } else if (cv.isNull()) {
            where += " AND (" + e + " IS NULL AND d.id" + cmp + "?)";
            params.push_back(id);
        } else {
            where += " AND (" + e + " IS NULL OR " + e + cmp + "? OR (" + e + " = ? AND d.id" + cmp + "?))";
            params.insert(params.end(), {cv, cv, id});
        }
    }
    // NULLs sort last in both directions, the same on both engines.
    std::string sql = "SELECT " + dealColumns() + ", " + e + " AS sort_value" + kDealFrom + " WHERE " + where + " ORDER BY ";
    if (sort.nullable) sql += "(CASE WHEN " + e + " IS NULL THEN 1 ELSE 0 END), ";
    sql += e + dir + ", d.id" + dir + " LIMIT ?";
    params.push_back(static_cast<long long>(limit + 1));

    const auto rows = scope.db().query(sql, params);
    sdk::Json data = sdk::Json::array();
    for (std::size_t i = 0; i < rows.size() && i < limit; ++i) data.push_back(dealFromRow(rows[i]));
    sdk::Json next = nullptr;
    if (rows.size() > limit) {
        const auto& last = rows[limit - 1];
        const auto& v = last["sort_value"];
        sdk::Json value = v.isNull() ? sdk::Json() : sort.kind == ValueKind::Number ? sdk::Json(v.asInt()) : sdk::Json(v.asText());
        next = encodeCursor({{"s", sort_key}, {"v", value}, {"id", last["id"].asText()}});
    }
    return sdk::Response::json({{"data", std::move(data)}, {"next_cursor", std::move(next)}});
}

}  // namespace tessera::plugins::deals
