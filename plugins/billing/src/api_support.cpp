#include "api_support.hpp"

#include <tessera/services/contacts.hpp>
#include <tessera/sdk/rest/dates.hpp>
#include <tessera/sdk/rest/errors.hpp>
#include <tessera/sdk/rest/text.hpp>

#include "money.hpp"

namespace tessera::plugins::billing {

using namespace sdk::rest;

namespace {

const std::set<std::string> kReadOnly = {"id", "version", "created_at", "updated_at"};

}  // namespace

void FieldErrors::throwIfAny() const { throwIfInvalid(errors_); }

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
    if (utf8Length(s) > max_chars) {
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

sdk::Response listRoute(const sdk::Request& req, sdk::Database& db, const std::string& table,
                        std::vector<ListColumn> columns, const std::function<sdk::Json(const sdk::Row&)>& toJson) {
    return listRoute(req, db, " FROM " + table, {}, std::move(columns), toJson);
}

sdk::Response listRoute(const sdk::Request& req, sdk::Database& db, const std::string& from,
                        const sdk::Params& from_params, std::vector<ListColumn> columns,
                        const std::function<sdk::Json(const sdk::Row&)>& toJson) {
    ListSpec spec;
    spec.columns = std::move(columns);
    spec.columns.push_back({"id", "id", ColumnKind::Text, false, false});
    spec.columns.push_back({"created_at", "created_at", ColumnKind::Timestamp, true, false});
    const auto query = parseListQuery(spec, req, db.engine());
    sdk::Params params;
    const std::string sql = query.sql("*", from, true, params);
    // `from` precedes every placeholder of the list query in the statement.
    params.insert(params.begin(), from_params.begin(), from_params.end());
    return sdk::Response::json(query.page(db.query(sql, params), toJson));
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
