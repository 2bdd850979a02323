#include "api_support.hpp"

#include <tessera/services/contacts.hpp>
#include <tessera/sdk/rest/dates.hpp>
#include <tessera/sdk/rest/errors.hpp>
#include <tessera/sdk/rest/text.hpp>

#include "money.hpp"

namespace tessera::plugins::billing {

using namespace sdk::rest;

std::optional<std::int64_t> readDecimal(BodyReader& in, const std::string& name, int decimals, std::int64_t min,
                                        std::int64_t max, bool required) {
    const auto* v = in.field(name, required);
    if (!v) return std::nullopt;
    std::string text;
    if (v->is_string()) text = v->get<std::string>();
    else if (v->is_number()) text = v->dump();
    else {
        in.error(name, "must be a decimal string such as \"1.5\"");
        return std::nullopt;
    }
    std::string problem;
    auto scaled = parseScaledDecimal(text, decimals, problem);
    if (!scaled) {
        in.error(name, problem);
        return std::nullopt;
    }
    if (*scaled < min || *scaled > max) {
        in.error(name, "must be a decimal from " + formatScaledDecimal(min, decimals) + " to " +
                           formatScaledDecimal(max, decimals));
        return std::nullopt;
    }
    return scaled;
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
