#include "catalog.hpp"

#include <tessera/sdk/rest/dates.hpp>
#include <tessera/sdk/rest/ids.hpp>
#include <tessera/sdk/rest/rows.hpp>

#include "api_support.hpp"
#include "money.hpp"

namespace tessera::plugins::billing {

using namespace sdk::rest;

namespace {

constexpr const char* kTaxRatesPath = "/api/v1/billing/tax-rates";
constexpr const char* kProductsPath = "/api/v1/billing/products";

sdk::Json taxRateToJson(const sdk::Row& r) {
    return {{"id", r["id"].asText()},         {"name", r["name"].asText()},
            {"percent", r["percent"].asText()}, {"inclusive", r["inclusive"].asBool()},
            {"active", r["active"].asBool()},   {"version", r["version"].asInt()},
            {"created_at", r["created_at"].asText()}, {"updated_at", r["updated_at"].asText()}};
}

sdk::Json productToJson(const sdk::Row& r) {
    return {{"id", r["id"].asText()},
            {"sku", r["sku"].asText()},
            {"name", r["name"].asText()},
            {"description", sdk::rest::textOrNull(r["description"])},
            {"unit_price", r["unit_price"].asInt()},
            {"currency", r["currency"].asText()},
            {"tax_rate_id", sdk::rest::textOrNull(r["tax_rate_id"])},
            {"unit", sdk::rest::textOrNull(r["unit"])},
            {"active", r["active"].asBool()},
            {"version", r["version"].asInt()},
            {"created_at", r["created_at"].asText()},
            {"updated_at", r["updated_at"].asText()}};
}

sdk::Json requireTaxRate(sdk::Database& db, const std::string& id) {
    auto row = db.queryOne("SELECT * FROM billing_tax_rates WHERE id = ?", {id});
    if (!row) throw sdk::ApiError(404, "tax_rate_not_found", "no tax rate with id " + id);
    return taxRateToJson(*row);
}

sdk::Json requireProduct(sdk::Database& db, const std::string& id) {
    auto row = db.queryOne("SELECT * FROM billing_products WHERE id = ?", {id});
    if (!row) throw sdk::ApiError(404, "product_not_found", "no product with id " + id);
    return productToJson(*row);
}

sdk::ApiError duplicate(const std::string& field, const std::string& existing_id) {
    return sdk::ApiError(409, "duplicate_" + field, "another item has this " + field,
                         {{field, "already used by " + existing_id}, {"existing_id", existing_id}});
}

// Applies a tax rate body to `rate` (a JSON item or an empty object on create).
void readTaxRate(const sdk::Json& body, bool creating, sdk::Json& rate, FieldErrors& errors) {
    BodyReader in(body, {"name", "percent", "inclusive", "active"}, errors);
    if (auto v = in.text("name", 100, creating || in.has("name"))) rate["name"] = *v;
    if (auto v = readDecimal(in, "percent", kPercentDecimals, 0, kPercentScale, creating || in.has("percent")))
        rate["percent_scaled"] = *v;
    if (auto v = in.boolean("inclusive", in.has("inclusive"))) rate["inclusive"] = *v;
    if (auto v = in.boolean("active", in.has("active"))) rate["active"] = *v;
}

}  // namespace

std::optional<sdk::Json> findProduct(sdk::Database& db, const std::string& id) {
    if (id.empty() || id.size() > 64) return std::nullopt;
    auto row = db.queryOne("SELECT * FROM billing_products WHERE id = ?", {id});
    if (!row) return std::nullopt;
    return productToJson(*row);
}

sdk::Response listTaxRatesRoute(const sdk::Request& req, sdk::TenantScope& scope) {
    return listRoute(req, scope.db(), "billing_tax_rates",
                     {{"name", "name", ColumnKind::Text, true, false},
                      {"active", "active", ColumnKind::Boolean, false, false},
                      {"inclusive", "inclusive", ColumnKind::Boolean, false, false}},
                     taxRateToJson);
}

sdk::Response createTaxRateRoute(const sdk::Request& req, sdk::TenantScope& scope) {
    const auto body = sdk::parseJsonObject(req);
    FieldErrors errors;
    sdk::Json rate = sdk::Json::object();
    readTaxRate(body, true, rate, errors);
    errors.throwIfAny();
    auto& db = scope.db();
    const std::string id = newId("tx_"), now = nowIso();
    try {
        db.execute("INSERT INTO billing_tax_rates (id, name, percent, percent_scaled, inclusive, active, created_at,"
                   " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                   {id, rate["name"].get<std::string>(),
                    formatScaledDecimal(rate["percent_scaled"].get<std::int64_t>(), kPercentDecimals),
                    rate["percent_scaled"].get<std::int64_t>(), rate.value("inclusive", false), rate.value("active", true),
                    now, now});
    } catch (const sdk::UniqueViolation&) {
        auto existing = db.queryOne("SELECT id FROM billing_tax_rates WHERE name = ?", {rate["name"].get<std::string>()});
        throw duplicate("name", existing ? (*existing)["id"].asText() : "");
    }
    return createdResponse(requireTaxRate(db, id), kTaxRatesPath);
}

sdk::Response getTaxRateRoute(const sdk::Request& req, sdk::TenantScope& scope) {
    return getResponse(req, requireTaxRate(scope.db(), req.param("id")));
}

sdk::Response patchTaxRateRoute(const sdk::Request& req, sdk::TenantScope& scope) {
    const auto body = sdk::parseJsonObject(req);
    auto& db = scope.db();
    const auto current = requireTaxRate(db, req.param("id"));
    checkIfMatch(req, current);
    FieldErrors errors;
    sdk::Json change = sdk::Json::object();
    readTaxRate(body, false, change, errors);
    errors.throwIfAny();
    std::string percent = current["percent"];
    std::string problem;
    std::int64_t scaled = *parseScaledDecimal(percent, kPercentDecimals, problem);
    if (change.contains("percent_scaled")) {
        scaled = change["percent_scaled"];
        percent = formatScaledDecimal(scaled, kPercentDecimals);
    }
    const std::string name = change.value("name", current["name"].get<std::string>());
    const bool inclusive = change.value("inclusive", current["inclusive"].get<bool>());
    const bool active = change.value("active", current["active"].get<bool>());
    if (name == current["name"] && percent == current["percent"] && inclusive == current["inclusive"] &&
        active == current["active"])
        return itemResponse(current);
    try {
        const auto n = db.execute("UPDATE billing_tax_rates SET name = ?, percent = ?, percent_scaled = ?, inclusive = ?,"
                                  " active = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?",
                                  {name, percent, scaled, inclusive, active, nowIso(), current["id"].get<std::string>(),
                                   current["version"].get<std::int64_t>()});
        if (n != 1) throw sdk::ApiError(412, "precondition_failed", "the tax rate changed meanwhile; read it again");
    } catch (const sdk::UniqueViolation&) {
        auto existing = db.queryOne("SELECT id FROM billing_tax_rates WHERE name = ?", {name});
        throw duplicate("name", existing ? (*existing)["id"].asText() : "");
    }
    return itemResponse(requireTaxRate(db, current["id"]));
}

namespace {

void readProduct(sdk::Database& db, const sdk::Json& body, bool creating, sdk::Json& product, FieldErrors& errors) {
    BodyReader in(body, {"sku", "name", "description", "unit_price", "currency", "tax_rate_id", "unit", "active"}, errors);
    auto required = [&](const char* f) { return creating || in.has(f); };
    if (auto v = in.text("sku", 64, required("sku"))) product["sku"] = *v;
    if (auto v = in.text("name", 200, required("name"))) product["name"] = *v;
    if (in.isNull("description")) product["description"] = nullptr;
    else if (auto v = in.text("description", 2000)) product["description"] = *v;
    if (auto v = in.amount("unit_price", 0, required("unit_price"))) product["unit_price"] = *v;
    if (auto v = in.currency("currency", required("currency"))) product["currency"] = *v;
    if (in.isNull("tax_rate_id")) product["tax_rate_id"] = nullptr;
    else if (auto v = in.id("tax_rate_id")) {
        if (!db.queryOne("SELECT id FROM billing_tax_rates WHERE id = ?", {*v})) in.error("tax_rate_id", "no tax rate with this id");
        else product["tax_rate_id"] = *v;
    }
    if (in.isNull("unit")) product["unit"] = nullptr;
    else if (auto v = in.text("unit", 20)) product["unit"] = *v;
    if (auto v = in.boolean("active", in.has("active"))) product["active"] = *v;
}

sdk::Value jsonValue(const sdk::Json& j) {
    if (j.is_null()) return nullptr;
    if (j.is_boolean()) return j.get<bool>();
    if (j.is_number_integer()) return j.get<std::int64_t>();
    return j.get<std::string>();
}

}  // namespace

sdk::Response listProductsRoute(const sdk::Request& req, sdk::TenantScope& scope) {
    return listRoute(req, scope.db(), "billing_products",
                     {{"sku", "sku", ColumnKind::Text, true, false},
                      {"name", "name", ColumnKind::Text, true, false},
                      {"unit_price", "unit_price", ColumnKind::Integer, true, false},
                      {"currency", "currency", ColumnKind::Text, false, false},
                      {"tax_rate_id", "tax_rate_id", ColumnKind::Text, false, true},
                      {"active", "active", ColumnKind::Boolean, false, false}},
                     productToJson);
}

sdk::Response createProductRoute(const sdk::Request& req, sdk::TenantScope& scope) {
    const auto body = sdk::parseJsonObject(req);
    auto& db = scope.db();
    FieldErrors errors;
    sdk::Json p = sdk::Json::object();
    readProduct(db, body, true, p, errors);
    errors.throwIfAny();
    const std::string id = newId("pr_"), now = nowIso();
    try {
        db.execute("INSERT INTO billing_products (id, sku, name, description, unit_price, currency, tax_rate_id, unit,"
                   " active, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                   {id, jsonValue(p["sku"]), jsonValue(p["name"]), jsonValue(p.value("description", sdk::Json())),
                    jsonValue(p["unit_price"]), jsonValue(p["currency"]), jsonValue(p.value("tax_rate_id", sdk::Json())),
                    jsonValue(p.value("unit", sdk::Json())), p.value("active", true), now, now});
    } catch (const sdk::UniqueViolation&) {
        auto existing = db.queryOne("SELECT id FROM billing_products WHERE sku = ?", {p["sku"].get<std::string>()});
        throw duplicate("sku", existing ? (*existing)["id"].asText() : "");
    }
    return createdResponse(requireProduct(db, id), kProductsPath);
}

sdk::Response getProductRoute(const sdk::Request& req, sdk::TenantScope& scope) {
    return getResponse(req, requireProduct(scope.db(), req.param("id")));
}

sdk::Response patchProductRoute(const sdk::Request& req, sdk::TenantScope& scope) {
    const auto body = sdk::parseJsonObject(req);
    auto& db = scope.db();
    const auto current = requireProduct(db, req.param("id"));
    checkIfMatch(req, current);
    FieldErrors errors;
    sdk::Json change = sdk::Json::object();
    readProduct(db, body, false, change, errors);
    errors.throwIfAny();
    sdk::Json next = current;
    for (const auto& [k, v] : change.items()) next[k] = v;
    if (next == current) return itemResponse(current);
    try {
        const auto n = db.execute(
            "UPDATE billing_products SET sku = ?, name = ?, description = ?, unit_price = ?, currency = ?, tax_rate_id = ?,"
            " unit = ?, active = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?",
            {jsonValue(next["sku"]), jsonValue(next["name"]), jsonValue(next["description"]), jsonValue(next["unit_price"]),
             jsonValue(next["currency"]), jsonValue(next["tax_rate_id"]), jsonValue(next["unit"]),
             jsonValue(next["active"]), nowIso(), current["id"].get<std::string>(), current["version"].get<std::int64_t>()});
        if (n != 1) throw sdk::ApiError(412, "precondition_failed", "the product changed meanwhile; read it again");
    } catch (const sdk::UniqueViolation&) {
        auto existing = db.queryOne("SELECT id FROM billing_products WHERE sku = ?", {next["sku"].get<std::string>()});
        throw duplicate("sku", existing ? (*existing)["id"].asText() : "");
    }
    return itemResponse(requireProduct(db, current["id"]));
}

sdk::Response deleteProductRoute(const sdk::Request& req, sdk::TenantScope& scope) {
    auto& db = scope.db();
    const auto current = requireProduct(db, req.param("id"));
    checkIfMatch(req, current);
    const std::string id = current["id"];
    const bool on_invoices = db.queryOne("SELECT 1 AS used FROM billing_invoice_lines WHERE product_id = ? LIMIT 1", {id}).has_value();
    // Subscription items are JSON; the id is random, so a substring match is exact enough.
    const bool on_subscriptions =
        db.queryOne("SELECT 1 AS used FROM billing_subscriptions WHERE status = 'active' AND items LIKE ? LIMIT 1",
                    {"%\"" + id + "\"%"}).has_value();
    if (on_invoices || on_subscriptions)
        throw sdk::ApiError(409, "product_in_use",
                            "the product is used by invoices or subscriptions; set active to false instead");
    db.execute("DELETE FROM billing_products WHERE id = ?", {id});
    return sdk::Response::empty();
}

}  // namespace tessera::plugins::billing
