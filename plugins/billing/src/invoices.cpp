#include "invoices.hpp"

#include <vector>

#include <tessera/sdk/rest/dates.hpp>
#include <tessera/sdk/rest/ids.hpp>
#include <tessera/sdk/rest/rows.hpp>

#include "access.hpp"
#include "api_support.hpp"
#include "money.hpp"
#include "numbering.hpp"
#include "settings.hpp"

namespace tessera::plugins::billing {

using namespace sdk::rest;

namespace {

constexpr std::size_t kMaxLines = 500;
constexpr std::size_t kMaxDescription = 1000;
constexpr std::size_t kMaxNotes = 5000;
constexpr std::int64_t kMaxQuantity = 1'000'000'000 * kQuantityScale;  // a billion units

// One priced line, ready to store.
struct PricedLine {
    std::optional<std::string> product_id;
    std::string description;
    std::int64_t quantity = 0;
    Amount unit_price = 0;
    std::optional<std::int64_t> discount_percent;
    std::optional<Amount> discount_amount;
    std::optional<std::string> tax_rate_id;
    std::optional<std::string> tax_name;
    std::int64_t tax_percent = 0;
    bool tax_inclusive = false;
    LineAmounts amounts;
};

struct PricedDocument {
    std::vector<PricedLine> lines;
    DocumentTotals totals{""};
};

sdk::Json lineToJson(const sdk::Row& r) {
    return {{"id", r["id"].asText()},
            {"product_id", sdk::rest::textOrNull(r["product_id"])},
            {"description", r["description"].asText()},
            {"quantity", r["quantity"].asText()},
            {"unit_price", r["unit_price"].asInt()},
            {"discount_percent", sdk::rest::textOrNull(r["discount_percent"])},
            {"discount_amount", sdk::rest::intOrNull(r["discount_amount"])},
            {"tax_rate_id", sdk::rest::textOrNull(r["tax_rate_id"])},
            {"tax_name", sdk::rest::textOrNull(r["tax_name"])},
            {"tax_percent", r["tax_percent"].asText()},
            {"tax_inclusive", r["tax_inclusive"].asBool()},
            {"gross", r["gross"].asInt()},
            {"discount", r["discount"].asInt()},
            {"subtotal", r["subtotal"].asInt()},
            {"tax", r["tax"].asInt()},
            {"total", r["total"].asInt()}};
}

sdk::Json invoiceToJson(sdk::Database& db, const sdk::Row& r) {
    sdk::Json lines = sdk::Json::array();
    for (const auto& l : db.query("SELECT * FROM billing_invoice_lines WHERE invoice_id = ? ORDER BY position",
                                  {r["id"].asText()}))
        lines.push_back(lineToJson(l));
    const std::string status = r["status"].asText();
    const Amount total = r["total"].asInt(), paid = r["amount_paid"].asInt(), credited = r["amount_credited"].asInt();
    const std::string due = r["due_date"].asText();
    const std::string today = todayUtc();
    const bool overdue = status == "open" && !due.empty() && due < today;
    return {{"id", r["id"].asText()},
            {"kind", r["kind"].asText()},
            {"number", sdk::rest::textOrNull(r["number"])},
            {"status", status},
            {"overdue", overdue},
            {"days_overdue", overdue ? sdk::Json(dayNumber(today) - dayNumber(due)) : sdk::Json(0)},
            {"customer_id", r["customer_id"].asText()},
            {"owner_id", sdk::rest::textOrNull(r["owner_id"])},
            {"currency", r["currency"].asText()},
            {"issue_date", sdk::rest::textOrNull(r["issue_date"])},
            {"due_date", sdk::rest::textOrNull(r["due_date"])},
            {"notes", sdk::rest::textOrNull(r["notes"])},
            {"original_invoice_id", sdk::rest::textOrNull(r["original_invoice_id"])},
            {"subscription_id", sdk::rest::textOrNull(r["subscription_id"])},
            {"subscription_period", sdk::rest::textOrNull(r["subscription_period"])},
            {"lines", std::move(lines)},
            {"gross", r["gross"].asInt()},
            {"discount", r["discount"].asInt()},
            {"subtotal", r["subtotal"].asInt()},
            {"tax", r["tax"].asInt()},
            {"total", total},
            {"amount_paid", paid},
            {"amount_credited", credited},
            {"amount_due", r["kind"].asText() == "invoice" && (status == "open" || status == "uncollectible")
                               ? total - paid - credited
                               : 0},
            {"overdue_since", sdk::rest::textOrNull(r["overdue_since"])},
            {"overdue_notified_on", sdk::rest::textOrNull(r["overdue_notified_on"])},
            {"paid_at", sdk::rest::textOrNull(r["paid_at"])},
            {"voided_at", sdk::rest::textOrNull(r["voided_at"])},
            {"version", r["version"].asInt()},
            {"created_at", r["created_at"].asText()},
            {"updated_at", r["updated_at"].asText()}};
}

sdk::ApiError conflict(const std::string& code, const std::string& message) { return sdk::ApiError(409, code, message); }

// Prices every line of `lines` (a JSON array) in `currency`; problems go to `errors`
// under "lines.<n>.<field>".
PricedDocument priceLines(sdk::Database& db, const sdk::Json& lines, const std::string& currency, FieldErrors& errors,
                          const std::string& field = "lines") {
    PricedDocument doc;
    doc.totals = DocumentTotals(currency);
    if (!lines.is_array()) {
        errors.add(field, "must be an array of lines");
        return doc;
    }
    if (lines.size() > kMaxLines) {
        errors.add(field, "must have at most " + std::to_string(kMaxLines) + " lines");
        return doc;
    }
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const std::string prefix = field + "." + std::to_string(i) + ".";
        if (!lines[i].is_object()) {
            errors.add(field + "." + std::to_string(i), "must be an object");
            continue;
        }
        BodyReader in(lines[i],
                      {"product_id", "description", "quantity", "unit_price", "discount_percent", "discount_amount",
                       "tax_rate_id"},
                      errors, prefix);
        PricedLine line;
        std::string line_currency = currency;
        std::optional<std::string> product_tax;
        bool valid = true;
        if (auto pid = in.id("product_id")) {
            auto p = db.queryOne("SELECT * FROM billing_products WHERE id = ?", {*pid});
            if (!p) {
                in.error("product_id", "no product with this id");
                valid = false;
            } else if (!(*p)["active"].asBool()) {
                in.error("product_id", "the product is not active");
                valid = false;
            } else {
                line.product_id = *pid;
                line.description = (*p)["name"].asText();
                line.unit_price = (*p)["unit_price"].asInt();
                line_currency = (*p)["currency"].asText();
                if (!(*p)["tax_rate_id"].isNull()) product_tax = (*p)["tax_rate_id"].asText();
            }
        }
        if (auto d = in.text("description", kMaxDescription, !line.product_id && !in.has("product_id"))) line.description = *d;
        if (auto q = readDecimal(in, "quantity", kQuantityDecimals, 1, kMaxQuantity, true)) line.quantity = *q;
        else valid = false;
        if (auto price = in.amount("unit_price", 0, !in.has("product_id"))) {
            line.unit_price = *price;
            line_currency = currency;  // an explicit price is in the invoice's currency
        } else if (in.has("unit_price") || !in.has("product_id")) {
            valid = false;
        }
        if (in.has("discount_percent") && in.has("discount_amount") && !in.isNull("discount_percent") &&
            !in.isNull("discount_amount")) {
            in.error("discount_amount", "give either discount_percent or discount_amount, not both");
            valid = false;
        }
        line.discount_percent = readDecimal(in, "discount_percent", kPercentDecimals, 0, kPercentScale);
        line.discount_amount = in.amount("discount_amount", 0);
        std::optional<std::string> tax_id = product_tax;
        if (in.has("tax_rate_id")) tax_id = in.isNull("tax_rate_id") ? std::nullopt : in.id("tax_rate_id");
        if (tax_id) {
            auto t = db.queryOne("SELECT * FROM billing_tax_rates WHERE id = ?", {*tax_id});
            if (!t) {
                in.error("tax_rate_id", "no tax rate with this id");
                valid = false;
            } else if (!(*t)["active"].asBool()) {
                in.error("tax_rate_id", "the tax rate is not active");
                valid = false;
            } else {
                line.tax_rate_id = *tax_id;
                line.tax_name = (*t)["name"].asText();
                line.tax_percent = (*t)["percent_scaled"].asInt();
                line.tax_inclusive = (*t)["inclusive"].asBool();
            }
        }
        if (!valid || errors.has(prefix + "description") || errors.has(prefix + "discount_percent") ||
            errors.has(prefix + "discount_amount") || errors.has(prefix + "tax_rate_id"))
            continue;
        try {
            line.amounts = computeLine({line.unit_price, line.quantity, line.discount_percent, line.discount_amount,
                                        line.tax_percent, line.tax_inclusive});
            doc.totals.add(line_currency, line.amounts);
            doc.lines.push_back(std::move(line));
        } catch (const CurrencyMismatch& e) {
            errors.add(prefix + "product_id",
                       "the product is priced in " + e.found() + " but the invoice is in " + e.expected() +
                           "; give unit_price in " + e.expected() + " or use another product");
        } catch (const AmountOutOfRange& e) {
            errors.add(prefix + (std::string(e.what()).find("discount") != std::string::npos ? "discount_amount"
                                                                                              : "unit_price"),
                       e.what());
        } catch (const std::invalid_argument& e) {
            errors.add(prefix + "quantity", e.what());
        }
    }
    return doc;
}

void storeLines(sdk::Database& db, const std::string& invoice_id, const std::vector<PricedLine>& lines, bool negate) {
    db.execute("DELETE FROM billing_invoice_lines WHERE invoice_id = ?", {invoice_id});
    int position = 0;
    for (const auto& l : lines) {
        const LineAmounts a = negate ? l.amounts.negated() : l.amounts;
        std::optional<std::string> discount_text;
        if (l.discount_percent) discount_text = formatScaledDecimal(*l.discount_percent, kPercentDecimals);
        db.execute("INSERT INTO billing_invoice_lines (id, invoice_id, position, product_id, description, quantity,"
                   " quantity_scaled, unit_price, discount_percent, discount_amount, tax_rate_id, tax_name,"
                   " tax_percent, tax_percent_scaled, tax_inclusive, gross, discount, subtotal, tax, total)"
                   " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                   {newId("il_"), invoice_id, position++, l.product_id, l.description,
                    formatScaledDecimal(l.quantity, kQuantityDecimals), l.quantity, l.unit_price, discount_text,
                    l.discount_amount, l.tax_rate_id, l.tax_name, formatScaledDecimal(l.tax_percent, kPercentDecimals),
                    l.tax_percent, l.tax_inclusive, a.gross, a.discount, a.subtotal, a.tax, a.total});
    }
}

void storeTotals(sdk::Database& db, const std::string& id, const DocumentTotals& t, bool negate) {
    const int s = negate ? -1 : 1;
    db.execute("UPDATE billing_invoices SET gross = ?, discount = ?, subtotal = ?, tax = ?, total = ? WHERE id = ?",
               {s * t.gross(), s * t.discount(), s * t.subtotal(), s * t.tax(), s * t.total(), id});
}

// Reads the editable header fields of an invoice body (create or patch).
struct HeaderInput {
    std::optional<std::string> customer_id, currency, issue_date, due_date, notes;
    bool clear_issue_date = false, clear_due_date = false, clear_notes = false;
};

HeaderInput readHeader(BodyReader& in, bool creating) {
    HeaderInput h;
    h.customer_id = in.id("customer_id", creating);
    h.currency = in.currency("currency", creating);
    h.issue_date = in.date("issue_date");
    h.due_date = in.date("due_date");
    h.notes = in.text("notes", kMaxNotes);
    h.clear_issue_date = in.isNull("issue_date");
    h.clear_due_date = in.isNull("due_date");
    h.clear_notes = in.isNull("notes");
    return h;
}

const std::set<std::string> kInvoiceFields = {"customer_id", "currency", "lines", "issue_date", "due_date", "notes",
                                              "owner_id"};

std::string issueNumber(sdk::Database& db, const std::string& series, const std::string& format,
                        const std::string& date) {
    const auto value = takeSequenceValue(db, sequenceKey(series, format, date));
    return formatNumber(format, date, value);
}

}  // namespace

std::optional<sdk::Json> findInvoice(sdk::Database& db, const std::string& id) {
    auto row = db.queryOne("SELECT * FROM billing_invoices WHERE id = ?", {id});
    if (!row) return std::nullopt;
    return invoiceToJson(db, *row);
}

sdk::Json requireInvoice(sdk::Database& db, const std::string& id) {
    auto inv = findInvoice(db, id);
    if (!inv) throw sdk::ApiError(404, "invoice_not_found", "no invoice with id " + id);
    return *inv;
}

sdk::Json lockInvoice(sdk::Database& db, const std::string& id) {
    if (db.engine() == sdk::Engine::Postgres) db.query("SELECT id FROM billing_invoices WHERE id = ? FOR UPDATE", {id});
    return requireInvoice(db, id);
}

sdk::Json createDraft(sdk::TenantScope& scope, const sdk::Json& body) {
    FieldErrors errors;
    BodyReader in(body, kInvoiceFields, errors);
    const auto h = readHeader(in, true);
    in.id("owner_id");
    auto& db = scope.db();
    if (h.customer_id) checkCustomer(scope, *h.customer_id, errors);
    if (h.issue_date && h.due_date && *h.due_date < *h.issue_date) errors.add("due_date", "must not be before issue_date");
    PricedDocument doc;
    if (h.currency) doc = priceLines(db, body.contains("lines") ? body["lines"] : sdk::Json::array(), *h.currency, errors);
    errors.throwIfAny();
    const std::string id = newId("in_"), now = nowIso();
    db.transaction([&] {
        db.execute("INSERT INTO billing_invoices (id, kind, status, customer_id, owner_id, currency, issue_date, due_date,"
                   " notes, created_at, updated_at) VALUES (?, 'invoice', 'draft', ?, ?, ?, ?, ?, ?, ?, ?)",
                   {id, h.customer_id, newRecordOwner(scope, body, *h.customer_id), h.currency, h.issue_date,
                    h.due_date, h.notes, now, now});
        storeLines(db, id, doc.lines, false);
        storeTotals(db, id, doc.totals, false);
    });
    auto invoice = requireInvoice(db, id);
    publish(scope, "invoice.created", "invoice", invoice);
    return invoice;
}

sdk::Json issueInvoice(sdk::TenantScope& scope, const std::string& id, const sdk::Request* conditional) {
    auto& db = scope.db();
    auto issued = db.transaction([&] {
        const auto current = lockInvoice(db, id);
        if (conditional) checkIfMatch(*conditional, current);
        if (current["status"] != "draft")
            throw conflict("invoice_not_draft", "only a draft can be issued; this invoice is " +
                                                    current["status"].get<std::string>());
        FieldErrors errors;
        if (current["lines"].empty()) errors.add("lines", "an invoice needs at least one line to be issued");
        else if (current["total"].get<Amount>() <= 0) errors.add("lines", "an invoice needs a positive total to be issued");
        errors.throwIfAny();
        const auto settings = loadSettings(db);
        const std::string issue_date = current["issue_date"].is_string() ? current["issue_date"].get<std::string>() : todayUtc();
        const std::string due_date = current["due_date"].is_string() ? current["due_date"].get<std::string>()
                                                                       : addDays(issue_date, settings.default_due_days);
        const std::string number = issueNumber(db, "invoice", settings.invoice_number_format, issue_date);
        // The status condition makes a concurrent second issue fail here, rolling back its number.
        const auto changed = db.execute("UPDATE billing_invoices SET status = 'open', number = ?, issue_date = ?,"
                                        " due_date = ?, version = version + 1, updated_at = ?"
                                        " WHERE id = ? AND status = 'draft'",
                                        {number, issue_date, due_date, nowIso(), id});
        if (changed != 1) throw conflict("invoice_not_draft", "the invoice was issued concurrently");
        return requireInvoice(db, id);
    });
    publish(scope, "invoice.issued", "invoice", issued);
    return issued;
}

sdk::Json voidInvoice(sdk::TenantScope& scope, const std::string& id, const sdk::Request* conditional) {
    auto& db = scope.db();
    auto voided = db.transaction([&] {
        const auto current = lockInvoice(db, id);
        if (conditional) checkIfMatch(*conditional, current);
        const auto status = current["status"].get<std::string>();
        if (current["kind"] != "invoice") throw conflict("invoice_not_voidable", "a credit note cannot be voided");
        if (status == "draft")
            throw conflict("invoice_not_voidable", "a draft has no number; delete it instead of voiding it");
        if (status != "open" && status != "uncollectible")
            throw conflict("invoice_not_voidable", "a " + status + " invoice cannot be voided; issue a credit note");
        if (current["amount_paid"].get<Amount>() != 0 || current["amount_credited"].get<Amount>() != 0)
            throw conflict("invoice_has_payments",
                           "the invoice has payments or credits; issue a credit note for the rest instead");
        const auto now = nowIso();
        db.execute("UPDATE billing_invoices SET status = 'void', voided_at = ?, version = version + 1, updated_at = ?"
                   " WHERE id = ?",
                   {now, now, id});
        return requireInvoice(db, id);
    });
    publish(scope, "invoice.voided", "invoice", voided);
    return voided;
}

sdk::Json applySettlement(sdk::TenantScope& scope, const sdk::Json& invoice, std::int64_t amount, bool credit,
                          const std::string& field_name) {
    auto& db = scope.db();
    const std::string id = invoice["id"];
    const Amount due = invoice["amount_due"];
    if (amount > due) {
        const auto currency = *findCurrency(invoice["currency"].get<std::string>());
        throw sdk::ApiError(422, "overpayment",
                            "the amount exceeds what is due on the invoice (" + formatAmount(due, currency) + " " +
                                std::string(currency.code) + ")",
                            {{field_name, "must be at most " + std::to_string(due) + " (the amount due)"}});
    }
    const auto now = nowIso();
    const bool settled = amount == due;
    db.execute(std::string("UPDATE billing_invoices SET ") + (credit ? "amount_credited = amount_credited + ?" : "amount_paid = amount_paid + ?") +
                   (settled ? ", status = 'paid', paid_at = ?" : ", paid_at = paid_at") +
                   ", version = version + 1, updated_at = ? WHERE id = ?",
               settled ? sdk::Params{amount, now, now, id} : sdk::Params{amount, now, id});
    auto updated = requireInvoice(db, id);
    if (settled) publish(scope, "invoice.paid", "invoice", updated);
    return updated;
}

std::int64_t priceItems(sdk::Database& db, const sdk::Json& items, const std::string& currency, FieldErrors& errors,
                        const std::string& field) {
    const auto doc = priceLines(db, items, currency, errors, field);
    if (items.is_array() && items.empty()) errors.add(field, "needs at least one item");
    return doc.totals.subtotal();
}

sdk::Json findInvoices(sdk::TenantScope& scope, const sdk::Json& args) {
    auto& db = scope.db();
    auto [from, params] = ownedFrom(scope, BillingResource::Invoices, "billing_invoices");
    std::string sql = "SELECT *" + from + " WHERE 1 = 1";
    for (const char* field : {"customer_id", "status", "number", "kind"}) {
        if (!args.contains(field)) continue;
        if (!args[field].is_string())
            throw sdk::ApiError(422, "validation_failed", std::string(field) + " must be a string",
                                {{field, "must be a string"}});
        sql += std::string(" AND ") + field + " = ?";
        params.emplace_back(args[field].get<std::string>());
    }
    long limit = 50;
    if (args.contains("limit")) {
        if (!args["limit"].is_number_integer() || args["limit"].get<long>() < 1 || args["limit"].get<long>() > 200)
            throw sdk::ApiError(422, "validation_failed", "limit must be 1-200", {{"limit", "must be 1-200"}});
        limit = args["limit"].get<long>();
    }
    sql += " ORDER BY created_at DESC, id DESC LIMIT " + std::to_string(limit);
    sdk::Json out = sdk::Json::array();
    for (const auto& row : db.query(sql, params)) out.push_back(invoiceToJson(db, row));
    return out;
}

sdk::Json createSubscriptionInvoice(sdk::TenantScope& scope, const std::string& subscription_id,
                                    const std::string& customer_id, const std::string& currency,
                                    const sdk::Json& items, const std::string& period_start, int due_days) {
    auto& db = scope.db();
    FieldErrors errors;
    const auto doc = priceLines(db, items, currency, errors);
    if (!errors.empty() || doc.lines.empty() || doc.totals.total() <= 0)
        throw std::runtime_error("subscription " + subscription_id + " has items that no longer price (inactive product or tax rate?)");
    const auto settings = loadSettings(db);
    const std::string id = newId("in_"), now = nowIso();
    const std::string number = issueNumber(db, "invoice", settings.invoice_number_format, period_start);
    // The subscription's owner owns what it bills.
    db.execute("INSERT INTO billing_invoices (id, kind, number, status, customer_id, owner_id, currency, issue_date,"
               " due_date, subscription_id, subscription_period, created_at, updated_at)"
               " SELECT ?, 'invoice', ?, 'open', ?, owner_id, ?, ?, ?, ?, ?, ?, ? FROM billing_subscriptions WHERE id = ?",
               {id, number, customer_id, currency, period_start, addDays(period_start, due_days), subscription_id,
                period_start, now, now, subscription_id});
    storeLines(db, id, doc.lines, false);
    storeTotals(db, id, doc.totals, false);
    auto invoice = requireInvoice(db, id);
    publish(scope, "invoice.created", "invoice", invoice);
    publish(scope, "invoice.issued", "invoice", invoice);
    return invoice;
}

sdk::Response listInvoicesRoute(const sdk::Request& req, sdk::TenantScope& scope) {
    auto& db = scope.db();
    const auto from = ownedFrom(scope, BillingResource::Invoices, "billing_invoices");
    return listRoute(req, db, from.from, from.params,
                     {{"number", "number", ColumnKind::Text, true, true},
                      {"kind", "kind", ColumnKind::Text, false, false},
                      {"status", "status", ColumnKind::Text, false, false},
                      {"customer_id", "customer_id", ColumnKind::Text, false, false},
                      {"subscription_id", "subscription_id", ColumnKind::Text, false, true},
                      {"currency", "currency", ColumnKind::Text, false, false},
                      {"total", "total", ColumnKind::Integer, true, false},
                      {"issue_date", "issue_date", ColumnKind::Date, true, true},
                      {"due_date", "due_date", ColumnKind::Date, true, true},
                      {"owner_id", "owner_id", ColumnKind::Text, false, true}},
                     [&db](const sdk::Row& r) { return invoiceToJson(db, r); });
}

sdk::Response createInvoiceRoute(const sdk::Request& req, sdk::TenantScope& scope) {
    return createdResponse(createDraft(scope, sdk::parseJsonObject(req)), kInvoicesPath);
}

sdk::Response getInvoiceRoute(const sdk::Request& req, sdk::TenantScope& scope) {
    return getResponse(req, requireInvoice(scope.db(), req.param("id")));
}

sdk::Response patchInvoiceRoute(const sdk::Request& req, sdk::TenantScope& scope) {
    const auto body = sdk::parseJsonObject(req);
    auto& db = scope.db();
    const std::string id = req.param("id");
    auto updated = db.transaction([&] {
        const auto current = lockInvoice(db, id);
        checkIfMatch(req, current);
        if (current["status"] != "draft")
            throw conflict("invoice_not_editable",
                           "an issued invoice cannot be changed; void it or issue a credit note");
        FieldErrors errors;
        BodyReader in(body, kInvoiceFields, errors);
        const auto h = readHeader(in, false);
        const auto owner = in.id("owner_id");
        if (h.customer_id) checkCustomer(scope, *h.customer_id, errors);
        const std::string currency = h.currency.value_or(current["currency"].get<std::string>());
        const bool reprice = body.contains("lines") || (h.currency && *h.currency != current["currency"]);
        PricedDocument doc;
        if (reprice) {
            sdk::Json lines = body.contains("lines") ? body["lines"] : sdk::Json::array();
            if (!body.contains("lines"))  // re-price the existing lines in the new currency
                for (const auto& l : current["lines"]) {
                    sdk::Json again = {{"description", l["description"]}, {"quantity", l["quantity"]},
                                       {"unit_price", l["unit_price"]}, {"tax_rate_id", l["tax_rate_id"]}};
                    if (!l["product_id"].is_null()) again["product_id"] = l["product_id"];
                    if (!l["discount_percent"].is_null()) again["discount_percent"] = l["discount_percent"];
                    if (!l["discount_amount"].is_null()) again["discount_amount"] = l["discount_amount"];
                    lines.push_back(std::move(again));
                }
            doc = priceLines(db, lines, currency, errors);
        }
        auto pick = [&](const std::optional<std::string>& v, bool clear, const char* field) -> sdk::Value {
            if (v) return *v;
            if (clear || current[field].is_null()) return nullptr;
            return current[field].get<std::string>();
        };
        const auto issue = pick(h.issue_date, h.clear_issue_date, "issue_date");
        const auto due = pick(h.due_date, h.clear_due_date, "due_date");
        if (!issue.isNull() && !due.isNull() && due.asText() < issue.asText())
            errors.add("due_date", "must not be before issue_date");
        errors.throwIfAny();
        if (body.empty()) return current;
        db.execute("UPDATE billing_invoices SET customer_id = ?, owner_id = ?, currency = ?, issue_date = ?,"
                   " due_date = ?, notes = ?, version = version + 1, updated_at = ? WHERE id = ?",
                   {h.customer_id.value_or(current["customer_id"].get<std::string>()),
                    pick(owner, false, "owner_id"), currency, issue, due, pick(h.notes, h.clear_notes, "notes"),
                    nowIso(), id});
        if (reprice) {
            storeLines(db, id, doc.lines, false);
            storeTotals(db, id, doc.totals, false);
        }
        return requireInvoice(db, id);
    });
    return itemResponse(updated);
}

sdk::Response deleteInvoiceRoute(const sdk::Request& req, sdk::TenantScope& scope) {
    auto& db = scope.db();
    const std::string id = req.param("id");
    const auto deleted = db.transaction([&] {
        const auto current = lockInvoice(db, id);
        checkIfMatch(req, current);
        if (current["status"] != "draft")
            throw conflict("invoice_not_editable", "only drafts can be deleted; void the invoice instead");
        db.execute("DELETE FROM billing_invoice_lines WHERE invoice_id = ?", {id});
        db.execute("DELETE FROM billing_invoices WHERE id = ?", {id});
        return current;
    });
    publish(scope, "invoice.deleted", "invoice", deleted);
    return sdk::Response::empty();
}

sdk::Response issueInvoiceRoute(const sdk::Request& req, sdk::TenantScope& scope) {
    if (!req.body.empty()) sdk::parseJsonObject(req);  // no fields, but refuse garbage
    return itemResponse(issueInvoice(scope, req.param("id"), &req));
}

sdk::Response voidInvoiceRoute(const sdk::Request& req, sdk::TenantScope& scope) {
    if (!req.body.empty()) sdk::parseJsonObject(req);
    return itemResponse(voidInvoice(scope, req.param("id"), &req));
}

sdk::Response markUncollectibleRoute(const sdk::Request& req, sdk::TenantScope& scope) {
    auto& db = scope.db();
    const std::string id = req.param("id");
    auto updated = db.transaction([&] {
        const auto current = lockInvoice(db, id);
        checkIfMatch(req, current);
        if (current["kind"] != "invoice" || current["status"] != "open")
            throw conflict("invoice_not_open", "only an open invoice can be marked uncollectible");
        db.execute("UPDATE billing_invoices SET status = 'uncollectible', version = version + 1, updated_at = ?"
                   " WHERE id = ?",
                   {nowIso(), id});
        return requireInvoice(db, id);
    });
    publish(scope, "invoice.uncollectible", "invoice", updated);
    return itemResponse(updated);
}

sdk::Response createCreditNoteRoute(const sdk::Request& req, sdk::TenantScope& scope) {
    const auto body = sdk::parseJsonObject(req);
    auto& db = scope.db();
    const std::string original_id = req.param("id");
    sdk::Json original_after;
    auto note = db.transaction([&] {
        const auto original = lockInvoice(db, original_id);
        checkIfMatch(req, original);
        const std::string status = original["status"];
        if (original["kind"] != "invoice" || (status != "open" && status != "paid" && status != "uncollectible"))
            throw conflict("invoice_not_creditable", "only an issued invoice that is open, paid or uncollectible can be credited");
        FieldErrors errors;
        BodyReader in(body, {"lines", "notes"}, errors);
        const auto notes = in.text("notes", kMaxNotes);
        const std::string currency = original["currency"];
        const Amount creditable = original["total"].get<Amount>() - original["amount_credited"].get<Amount>();
        sdk::Json lines = body.contains("lines") ? body["lines"] : sdk::Json::array();
        if (!body.contains("lines")) {
            if (original["amount_credited"].get<Amount>() != 0)
                errors.add("lines", "the invoice is partly credited already; list the lines to credit");
            for (const auto& l : original["lines"]) {
                sdk::Json again = {{"description", l["description"]}, {"quantity", l["quantity"]},
                                   {"unit_price", l["unit_price"]}, {"tax_rate_id", l["tax_rate_id"]}};
                if (!l["discount_percent"].is_null()) again["discount_percent"] = l["discount_percent"];
                if (!l["discount_amount"].is_null()) again["discount_amount"] = l["discount_amount"];
                lines.push_back(std::move(again));
            }
        }
        auto doc = priceLines(db, lines, currency, errors);
        if (errors.empty() && doc.lines.empty()) errors.add("lines", "a credit note needs at least one line");
        if (errors.empty() && doc.totals.total() > creditable)
            errors.add("lines", "the credit note total exceeds what is left to credit on the invoice (" +
                                    std::to_string(creditable) + ")");
        errors.throwIfAny();
        const auto settings = loadSettings(db);
        const std::string id = newId("in_"), now = nowIso(), today = todayUtc();
        const std::string number = issueNumber(db, "credit_note", settings.credit_note_number_format, today);
        const sdk::Value owner = original["owner_id"].is_string() ? sdk::Value(original["owner_id"].get<std::string>())
                                                                   : sdk::Value();
        db.execute("INSERT INTO billing_invoices (id, kind, number, status, customer_id, owner_id, currency, issue_date,"
                   " notes, original_invoice_id, created_at, updated_at)"
                   " VALUES (?, 'credit_note', ?, 'issued', ?, ?, ?, ?, ?, ?, ?, ?)",
                   {id, number, original["customer_id"].get<std::string>(), owner, currency, today, notes, original_id,
                    now, now});
        storeLines(db, id, doc.lines, true);
        storeTotals(db, id, doc.totals, true);
        // What is still due is settled by the credit first; a credit beyond it (a paid
        // invoice) is owed back to the customer and only recorded as credited.
        const Amount applied_to_due = std::min<Amount>(doc.totals.total(), original["amount_due"].get<Amount>());
        if (applied_to_due > 0) original_after = applySettlement(scope, original, applied_to_due, true, "lines");
        const Amount rest = doc.totals.total() - std::max<Amount>(applied_to_due, 0);
        if (rest > 0) {
            db.execute("UPDATE billing_invoices SET amount_credited = amount_credited + ?, version = version + 1,"
                       " updated_at = ? WHERE id = ?",
                       {rest, now, original_id});
            db.execute("UPDATE billing_invoices SET amount_refunded = ? WHERE id = ?", {rest, id});
        }
        return requireInvoice(db, id);
    });
    publish(scope, "invoice.created", "invoice", note);
    return createdResponse(note, kInvoicesPath);
}

}  // namespace tessera::plugins::billing
