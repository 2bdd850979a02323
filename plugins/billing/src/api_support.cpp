#include "api_support.hpp"

#include <tessera/services/contacts.hpp>

#include "clock_ids.hpp"
#include "money.hpp"

namespace tessera::plugins::billing {
namespace {

const std::set<std::string> kReadOnly = {"id", "version", "created_at", "updated_at"};

std::size_t codePoints(std::string_view s) {
    std::size_t n = 0;
    for (unsigned char c : s)
        if ((c & 0xC0) != 0x80) ++n;
    return n;
}

std::optional<std::string> unhex(std::string_view hex) {
    if (hex.size() % 2 != 0) return std::nullopt;
    std::string out;
    auto nibble = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        return -1;
    };
    for (std::size_t i = 0; i < hex.size(); i += 2) {
        const int hi = nibble(hex[i]), lo = nibble(hex[i + 1]);
        if (hi < 0 || lo < 0) return std::nullopt;
        out += static_cast<char>(hi * 16 + lo);
    }
    return out;
}

sdk::ApiError badQuery(const std::string& param, const std::string& problem) {
    return sdk::ApiError(400, "invalid_query", param + ": " + problem, {{param, problem}});
}

}  // namespace

void FieldErrors::throwIfAny() const {
    if (errors_.empty()) return;
    const auto n = errors_.size();
    throw sdk::ApiError(422, "validation_failed",
                        n == 1 ? "1 field is not valid" : std::to_string(n) + " fields are not valid", errors_);
}

BodyReader::BodyReader(const sdk::Json& body, std::set<std::string> writable, FieldErrors& errors, std::string prefix)
    : body_(body), errors_(errors), prefix_(std::move(prefix)) {
    for (const auto& [key, value] : body.items()) {
        if (writable.count(key)) continue;
        errors_.add(prefix_ + key, kReadOnly.count(key) ? "is read-only" : "unknown field");
    }
}

const sdk::Json* BodyReader::present(const std::string& name, bool required) {
    auto it = body_.find(name);
    if (it == body_.end() || it->is_null()) {
        if (required) error(name, "is required");
        return nullptr;
    }
    return &*it;
}

std::optional<std::string> BodyReader::text(const std::string& name, std::size_t max_chars, bool required) {
    const auto* v = present(name, required);
    if (!v) return std::nullopt;
    if (!v->is_string()) {
        error(name, "must be a string");
        return std::nullopt;
    }
    const auto& s = v->get_ref<const std::string&>();
    if (required && s.empty()) {
        error(name, "must not be empty");
        return std::nullopt;
    }
    if (codePoints(s) > max_chars) {
        error(name, "must be at most " + std::to_string(max_chars) + " characters");
        return std::nullopt;
    }
    return s;
}

std::optional<std::int64_t> BodyReader::integer(const std::string& name, std::int64_t min, std::int64_t max,
                                                bool required) {
    const auto* v = present(name, required);
    if (!v) return std::nullopt;
    if (!v->is_number_integer()) {
        error(name, "must be an integer");
        return std::nullopt;
    }
    // Unsigned JSON integers above INT64_MAX would wrap in get<int64_t>().
    if (v->is_number_unsigned() && v->get<std::uint64_t>() > static_cast<std::uint64_t>(max)) {
        error(name, "must be between " + std::to_string(min) + " and " + std::to_string(max));
        return std::nullopt;
    }
    const auto i = v->get<std::int64_t>();
    if (i < min || i > max) {
        error(name, "must be between " + std::to_string(min) + " and " + std::to_string(max));
        return std::nullopt;
    }
    return i;
}

std::optional<bool> BodyReader::boolean(const std::string& name, bool required) {
    const auto* v = present(name, required);
    if (!v) return std::nullopt;
    if (!v->is_boolean()) {
        error(name, "must be true or false");
        return std::nullopt;
    }
    return v->get<bool>();
}

std::optional<std::string> BodyReader::date(const std::string& name, bool required) {
    const auto* v = present(name, required);
    if (!v) return std::nullopt;
    if (!v->is_string() || !validDate(v->get_ref<const std::string&>())) {
        error(name, "must be a date YYYY-MM-DD");
        return std::nullopt;
    }
    return v->get<std::string>();
}

std::optional<std::string> BodyReader::currency(const std::string& name, bool required) {
    const auto* v = present(name, required);
    if (!v) return std::nullopt;
    if (!v->is_string() || !findCurrency(v->get_ref<const std::string&>())) {
        error(name, "must be an ISO 4217 currency code such as \"BRL\"");
        return std::nullopt;
    }
    return v->get<std::string>();
}

std::optional<std::string> BodyReader::oneOf(const std::string& name, const std::set<std::string>& allowed,
                                             bool required) {
    const auto* v = present(name, required);
    if (!v) return std::nullopt;
    if (!v->is_string() || !allowed.count(v->get_ref<const std::string&>())) {
        std::string list;
        for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
        error(name, "must be one of: " + list);
        return std::nullopt;
    }
    return v->get<std::string>();
}

std::optional<std::int64_t> BodyReader::decimal(const std::string& name, int decimals, std::int64_t min,
                                                std::int64_t max, bool required) {
    const auto* v = present(name, required);
    if (!v) return std::nullopt;
    std::string text;
    if (v->is_string()) text = v->get<std::string>();
    else if (v->is_number()) text = v->dump();
    else {
        error(name, "must be a decimal string such as \"1.5\"");
        return std::nullopt;
    }
    std::string problem;
    auto scaled = parseScaledDecimal(text, decimals, problem);
    if (!scaled) {
        error(name, problem);
        return std::nullopt;
    }
    if (*scaled < min || *scaled > max) {
        error(name, "must be between " + formatScaledDecimal(min, decimals) + " and " +
                        formatScaledDecimal(max, decimals));
        return std::nullopt;
    }
    return scaled;
}

std::optional<std::int64_t> BodyReader::amount(const std::string& name, std::int64_t min, bool required) {
    return integer(name, min, kMaxAmount, required);
}

std::string etagOf(const sdk::Json& item) { return "\"" + std::to_string(item.value("version", 0)) + "\""; }

void checkIfMatch(const sdk::Request& req, const sdk::Json& item) {
    auto im = req.header("If-Match");
    if (!im || *im == "*" || *im == etagOf(item)) return;
    throw sdk::ApiError(412, "precondition_failed", "the item changed since it was read (ETag " + etagOf(item) + ")");
}

sdk::Response itemResponse(const sdk::Json& item, int status, const sdk::Request* get_request) {
    auto r = sdk::Response::json(item, status);
    r.headers["ETag"] = etagOf(item);
    if (get_request) {
        if (auto inm = get_request->header("If-None-Match"); inm && *inm == etagOf(item)) {
            r.status = 304;
            r.body.clear();
        }
    }
    return r;
}

sdk::Response createdResponse(const sdk::Json& item, const std::string& collection_path) {
    auto r = itemResponse(item, 201);
    r.headers["Location"] = collection_path + "/" + item["id"].get<std::string>();
    return r;
}

ListRequest parseListRequest(const sdk::Request& req, const std::set<std::string>& filterable) {
    ListRequest list;
    for (const auto& [key, value] : req.query) {
        if (key == "limit") {
            std::size_t pos = 0;
            long n = 0;
            try {
                n = std::stol(value, &pos);
            } catch (...) {
                pos = 0;
            }
            if (pos == 0 || pos != value.size() || n < 1 || n > 200) throw badQuery("limit", "must be 1-200");
            list.limit = static_cast<std::size_t>(n);
        } else if (key == "cursor") {
            auto decoded = unhex(value);
            const auto bar = decoded ? decoded->find('|') : std::string::npos;
            if (bar == std::string::npos) throw badQuery("cursor", "not a cursor of this list");
            list.after = std::make_pair(decoded->substr(0, bar), decoded->substr(bar + 1));
        } else if (key.rfind("filter[", 0) == 0) {
            const auto close = key.find(']');
            const std::string field = close == std::string::npos ? "" : key.substr(7, close - 7);
            const std::string rest = close == std::string::npos ? "" : key.substr(close + 1);
            if (!filterable.count(field)) throw badQuery(key, "unknown filter field");
            if (!rest.empty() && rest != "[eq]") throw badQuery(key, "only eq is supported for " + field);
            list.filters[field] = sdk::Value(value);
        } else {
            throw badQuery(key, "unknown query parameter");
        }
    }
    return list;
}

sdk::Response listResponse(sdk::Database& db, const std::string& table, const ListRequest& list,
                           const std::function<sdk::Json(const sdk::Row&)>& toJson) {
    std::string sql = "SELECT * FROM " + table + " WHERE 1 = 1";
    sdk::Params params;
    for (const auto& [field, value] : list.filters) {
        sql += " AND " + field + " = ?";
        params.push_back(value);
    }
    if (list.after) {
        sql += " AND (created_at < ? OR (created_at = ? AND id < ?))";
        params.emplace_back(list.after->first);
        params.emplace_back(list.after->first);
        params.emplace_back(list.after->second);
    }
    sql += " ORDER BY created_at DESC, id DESC LIMIT " + std::to_string(list.limit + 1);
    const auto rows = db.query(sql, params);
    sdk::Json data = sdk::Json::array();
    for (std::size_t i = 0; i < rows.size() && i < list.limit; ++i) data.push_back(toJson(rows[i]));
    sdk::Json next = nullptr;
    if (rows.size() > list.limit) {
        const auto& last = rows[list.limit - 1];
        next = toHex(last["created_at"].asText() + "|" + last["id"].asText());
    }
    return sdk::Response::json({{"data", std::move(data)}, {"next_cursor", std::move(next)}});
}

void publish(sdk::TenantScope& scope, const std::string& event, const std::string& key, const sdk::Json& item,
             sdk::Json extra) {
    sdk::Json payload = std::move(extra);
    payload["id"] = item["id"];
    payload[key] = item;
    scope.events().publish(event, std::move(payload));
}

void checkCustomer(sdk::TenantScope& scope, const std::string& customer_id, FieldErrors& errors) {
    auto* contacts = scope.service<services::ContactsService>();
    if (!contacts)
        throw sdk::ApiError(503, "contacts_unavailable", "the contacts plugin is not enabled for this tenant");
    if (!contacts->get(scope, customer_id) && !contacts->getCompany(scope, customer_id))
        errors.add("customer_id", "no contact or company with this id");
}

std::string toHex(std::string_view bytes) {
    static const char* digits = "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (unsigned char c : bytes) {
        out += digits[c >> 4];
        out += digits[c & 15];
    }
    return out;
}

}  // namespace tessera::plugins::billing
