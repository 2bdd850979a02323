#include "deal_store.hpp"

#include <map>
#include <set>
#include <vector>

#include <tessera/sdk/rest/activities.hpp>
#include <tessera/sdk/rest/custom_fields.hpp>
#include <tessera/sdk/rest/dates.hpp>
#include <tessera/sdk/rest/errors.hpp>
#include <tessera/sdk/rest/ids.hpp>
#include <tessera/sdk/rest/rows.hpp>
#include <tessera/sdk/rest/text.hpp>
#include <tessera/sdk/rest/validation.hpp>
#include <tessera/sdk/rest/writes.hpp>
#include <tessera/services/billing_products.hpp>
#include <tessera/services/contacts.hpp>


namespace tessera::plugins::deals {

using namespace sdk::rest;

namespace {

// Fields a client may write; the rest of a deal is computed.
const std::set<std::string> kWritable = {"title",    "pipeline_id", "stage_id",       "contact_id",
                                         "company_id", "owner_id",  "amount",         "currency",
                                         "expected_close_date", "status", "lost_reason_id", "position",
                                         "line_items", "custom_fields"};
const std::set<std::string> kComputed = {"closed_at", "stage_entered_at", "rotten"};
constexpr std::int64_t kMaxPosition = 1'000'000'000;

constexpr std::size_t kMaxLineItems = 100;
constexpr std::int64_t kMaxQuantity = 1'000'000;

// The shape of "line_items": every problem is recorded as line_items.<n>.<field>.
// Products are resolved later (resolveLineItems), once the deal's currency is known.
bool checkLineItems(const sdk::Json& items, FieldErrors& errors) {
    if (!items.is_array() || items.size() > kMaxLineItems) {
        errors.add("line_items", "must be an array of at most " + std::to_string(kMaxLineItems) + " items");
        return false;
    }
    const std::size_t before = errors.size();
    for (std::size_t i = 0; i < items.size(); ++i) {
        const std::string at = "line_items." + std::to_string(i);
        if (!items[i].is_object()) {
            errors.add(at, "must be an object {name, quantity, unit_price[, product_id]}");
            continue;
        }
        BodyReader in(items[i], {"product_id", "name", "quantity", "unit_price"}, errors, at + ".", {"total"});
        const bool product = in.id("product_id").has_value() || in.failed("product_id");
        in.text("name", kMaxTitle, !product || (in.has("name") && !in.isNull("name")));
        in.integer("quantity", 1, kMaxQuantity, true);
        in.amount("unit_price", 0, !product);
    }
    return errors.size() == before;
}

// Checks each item's product (through the billing.products service, the only way deals
// sees the catalog) against the deal's currency, even for items whose own shape is wrong,
// so one answer names every problem. Returns the products found, by item index.
std::map<std::size_t, sdk::Json> checkProducts(sdk::TenantScope& scope, const sdk::Json& items,
                                               const sdk::Json& currency, FieldErrors& errors) {
    std::map<std::size_t, sdk::Json> found;
    auto* products = scope.service<services::BillingProductsService>();
    for (std::size_t i = 0; i < items.size(); ++i) {
        const auto& item = items[i];
        if (!item.is_object() || !item.contains("product_id") || !item["product_id"].is_string() ||
            errors.has("line_items." + std::to_string(i) + ".product_id"))
            continue;
        const std::string at = "line_items." + std::to_string(i) + ".product_id";
        if (!products) {
            errors.add(at, "products need the billing plugin, which is not enabled for this tenant");
            continue;
        }
        const auto product = products->get(scope, item["product_id"].get<std::string>());
        if (!product) {
            errors.add(at, "no such product");
            continue;
        }
        std::vector<std::string> problems;
        if (!(*product)["active"].get<bool>() && !item.contains("unit_price"))
            problems.push_back("this product is no longer sold");
        if (currency.is_string() && (*product)["currency"] != currency)
            problems.push_back("is priced in " + (*product)["currency"].get<std::string>() + ", the deal in " +
                               currency.get<std::string>());
        if (problems.empty()) {
            found.emplace(i, *product);
            continue;
        }
        std::string joined;
        for (const auto& p : problems) joined += (joined.empty() ? "" : "; ") + p;
        errors.add(at, joined);
    }
    return found;
}

// Completes well-formed line items from their products and sets each item's total and
// the deal's amount (their sum) in `next`; every problem goes to `errors`.
void resolveLineItems(sdk::TenantScope& scope, sdk::Json& next, FieldErrors& errors) {
    const std::size_t before = errors.size();
    const auto products = checkProducts(scope, next["line_items"], next["currency"], errors);
    if (errors.size() != before) return;
    sdk::Json resolved = sdk::Json::array();
    std::int64_t sum = 0;
    for (std::size_t i = 0; i < next["line_items"].size(); ++i) {
        sdk::Json item = next["line_items"][i];
        if (const auto product = products.find(i); product != products.end()) {
            if (!item.contains("name") || item["name"].is_null()) item["name"] = product->second["name"];
            if (!item.contains("unit_price") || item["unit_price"].is_null())
                item["unit_price"] = product->second["unit_price"];
        } else {
            item["product_id"] = nullptr;
        }
        const std::int64_t quantity = item["quantity"].get<std::int64_t>(), price = item["unit_price"].get<std::int64_t>();
        // quantity <= 10^6 and price <= 10^15 keep the product inside int64 only after a check.
        if (price > 0 && quantity > (kMaxAmount - sum) / price) {
            errors.add("line_items", "the items add up to more than 10^15 minor units");
            return;
        }
        item["total"] = quantity * price;
        sum += quantity * price;
        resolved.push_back(sdk::Json{{"product_id", item["product_id"]},
                                     {"name", item["name"]},
                                     {"quantity", quantity},
                                     {"unit_price", price},
                                     {"total", item["total"]}});
    }
    next["line_items"] = std::move(resolved);
    if (!next["line_items"].empty()) next["amount"] = sum;
}

struct Input {
    sdk::Json values = sdk::Json::object();  // built-in fields present in the body
    sdk::Json custom = sdk::Json::object();  // custom field patch; null removes
    FieldErrors errors;
    sdk::Json malformed_line_items;          // an array of items with shape errors
};

// A deal with line items takes its amount from them: a body may not set both.
void checkAmountSource(const Input& in, const sdk::Json& next, FieldErrors& errors) {
    if (in.values.contains("amount") && !next["line_items"].empty())
        errors.add("amount", "is the sum of line_items; change the items or send \"line_items\": [] first");
}

Input parseInput(sdk::Database& db, const sdk::Json& body, bool creating) {
    Input in;
    BodyReader r(body, kWritable, in.errors, "", kComputed);
    auto keep = [&](const std::string& name, bool valid) {
        if (valid || (r.isNull(name) && !r.failed(name))) in.values[name] = r.raw(name);
    };
    auto given = [&](const std::string& name) { return r.has(name) || creating; };
    if (given("title")) keep("title", r.text("title", kMaxTitle, true).has_value());
    if (given("currency")) keep("currency", r.currency("currency", true).has_value());
    for (const char* name : {"pipeline_id", "stage_id"})
        if (r.has(name)) keep(name, r.id(name, true).has_value());
    for (const char* name : {"contact_id", "company_id", "owner_id", "lost_reason_id"})
        if (r.has(name)) keep(name, r.id(name).has_value());
    if (r.has("amount")) keep("amount", r.amount("amount", 0, true).has_value());
    if (r.has("expected_close_date")) keep("expected_close_date", r.date("expected_close_date").has_value());
    if (r.has("status")) keep("status", r.oneOf("status", {"open", "won", "lost"}, true).has_value());
    if (r.has("position")) keep("position", r.integer("position", 0, kMaxPosition, true).has_value());
    if (r.has("line_items")) {
        const auto& items = body["line_items"];
        if (checkLineItems(items, in.errors)) in.values["line_items"] = items;
        else if (items.is_array()) in.malformed_line_items = items;
    }
    if (r.has("custom_fields")) validateCustomFields(body["custom_fields"], loadDefinitions(db, kDealCustomFields),
                                                     in.custom, in.errors);
    return in;
}

// Fills next.pipeline_id/stage_id from what the body asked for; records problems.
void resolveStage(sdk::Database& db, const Input& in, bool creating, sdk::Json& next, std::optional<Stage>& stage,
                  FieldErrors& errors) {
    const bool has_stage = in.values.contains("stage_id");
    const bool has_pipeline = in.values.contains("pipeline_id");
    if (has_stage) {
        stage = findStage(db, in.values["stage_id"].get<std::string>());
        if (!stage) {
            errors.add("stage_id", "no such stage");
        } else if (has_pipeline && in.values["pipeline_id"] != stage->pipeline_id) {
            errors.add("stage_id", "belongs to another pipeline");
        }
        if (stage) next["pipeline_id"] = stage->pipeline_id, next["stage_id"] = stage->id;
        return;
    }
    std::optional<std::string> pipeline;
    if (has_pipeline) {
        pipeline = in.values["pipeline_id"].get<std::string>();
        if (!creating && next["pipeline_id"] == *pipeline) {
            stage = findStage(db, next["stage_id"].get<std::string>());
            return;
        }
        if (!findPipeline(db, *pipeline)) {
            errors.add("pipeline_id", "no such pipeline");
            return;
        }
    } else if (creating) {
        pipeline = defaultPipelineId(db);
        if (!pipeline) {
            errors.add("pipeline_id", "is required: the tenant has no pipeline yet");
            return;
        }
    } else {
        stage = findStage(db, next["stage_id"].get<std::string>());
        return;
    }
    const auto stages = stagesOf(db, *pipeline);
    if (stages.empty()) {
        errors.add(has_pipeline ? "pipeline_id" : "stage_id", "the pipeline has no stages");
        return;
    }
    stage = stages.front();
    next["pipeline_id"] = stage->pipeline_id;
    next["stage_id"] = stage->id;
}

// Contact, company and lost reason links; only links that change are checked, so a deal
// keeps working when its lost reason is later deactivated.
void checkLinks(sdk::TenantScope& scope, const sdk::Json& current, const sdk::Json& next, FieldErrors& errors) {
    auto changed = [&](const char* k) { return !next[k].is_null() && (current.is_null() || current[k] != next[k]); };
    auto* contacts = scope.service<services::ContactsService>();
    for (const char* k : {"contact_id", "company_id"}) {
        if (!changed(k) || errors.has(k)) continue;
        if (!contacts) {
            errors.add(k, "the contacts plugin is not enabled for this tenant");
            continue;
        }
        const std::string id = next[k].get<std::string>();
        const bool found = std::string(k) == "contact_id" ? contacts->get(scope, id).has_value()
                                                          : contacts->getCompany(scope, id).has_value();
        if (!found) errors.add(k, std::string("no such ") + (std::string(k) == "contact_id" ? "contact" : "company"));
    }
    if (next["status"] == "lost") {
        if (next["lost_reason_id"].is_null()) {
            errors.add("lost_reason_id", "is required when status is lost");
        } else if (changed("lost_reason_id") && !errors.has("lost_reason_id")) {
            auto row = scope.db().queryOne("SELECT active FROM deals_lost_reasons WHERE id = ?",
                                           {next["lost_reason_id"].get<std::string>()});
            if (!row) errors.add("lost_reason_id", "no such lost reason");
            else if (!(*row)["active"].asBool()) errors.add("lost_reason_id", "this lost reason is no longer offered");
        }
    } else if (!next["lost_reason_id"].is_null() && changed("lost_reason_id")) {
        errors.add("lost_reason_id", "only lost deals have a lost reason");
    }
}

std::int64_t stageCount(sdk::Database& db, const std::string& stage_id, const std::string& except_id) {
    auto row = db.queryOne("SELECT COUNT(*) AS n FROM deals_deals WHERE stage_id = ? AND id <> ?", {stage_id, except_id});
    return row ? (*row)["n"].asInt() : 0;
}

// Opens a gap at `position` in a stage (other cards at or after it move down by one).
void openGap(sdk::Database& db, const std::string& stage_id, std::int64_t position, const std::string& except_id) {
    db.execute("UPDATE deals_deals SET position = position + 1 WHERE stage_id = ? AND position >= ? AND id <> ?",
               {stage_id, position, except_id});
}

// Closes the gap a card leaves at `position`.
void closeGap(sdk::Database& db, const std::string& stage_id, std::int64_t position, const std::string& except_id) {
    db.execute("UPDATE deals_deals SET position = position - 1 WHERE stage_id = ? AND position > ? AND id <> ?",
               {stage_id, position, except_id});
}

std::optional<std::int64_t> secondsSince(const std::string& from_iso, const std::string& to_iso) {
    auto a = epochMillis(from_iso), b = epochMillis(to_iso);
    if (!a || !b) return std::nullopt;
    return (*b - *a) / 1000;
}

void recordHistory(sdk::TenantScope& scope, const std::string& deal_id, const std::string& kind,
                   const sdk::Value& from_stage, const std::string& to_stage, const sdk::Value& from_status,
                   const std::string& to_status, const sdk::Value& seconds_in_stage, const std::string& at) {
    auto& db = scope.db();
    const auto last = db.queryOne("SELECT COALESCE(MAX(seq), 0) AS n FROM deals_history WHERE deal_id = ?", {deal_id});
    const std::int64_t seq = (last ? (*last)["n"].asInt() : 0) + 1;
    db.execute("INSERT INTO deals_history (id, deal_id, seq, kind, from_stage_id, to_stage_id, from_status, to_status,"
               " seconds_in_stage, changed_by, changed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
               {newId("dh_"), deal_id, seq, kind, from_stage, to_stage, from_status, to_status, seconds_in_stage,
                actorOf(scope), at});
}

sdk::Json lostReasonOf(sdk::Database& db, const sdk::Json& deal) {
    if (deal["lost_reason_id"].is_null()) return nullptr;
    auto row = db.queryOne("SELECT id, name FROM deals_lost_reasons WHERE id = ?", {deal["lost_reason_id"].get<std::string>()});
    if (!row) return nullptr;
    return {{"id", (*row)["id"].asText()}, {"name", (*row)["name"].asText()}};
}

// deal.won / deal.lost for a status that changed to a closed one.
void publishClosed(sdk::TenantScope& scope, const sdk::Json& deal) {
    if (deal["status"] == "won") scope.events().publish("deal.won", {{"id", deal["id"]}, {"deal", deal}});
    if (deal["status"] == "lost")
        scope.events().publish("deal.lost",
                               {{"id", deal["id"]}, {"deal", deal}, {"lost_reason", lostReasonOf(scope.db(), deal)}});
}

sdk::Value text(const sdk::Json& v) { return v.is_null() ? sdk::Value() : sdk::Value(v.get<std::string>()); }

}  // namespace

std::string dealColumns() {
    return "d.id, d.title, d.pipeline_id, d.stage_id, d.position, d.status, d.contact_id, d.company_id, d.owner_id,"
           " d.amount, d.currency, d.expected_close_date, d.lost_reason_id, d.closed_at, d.stage_entered_at,"
           " d.custom_fields, d.line_items, d.version, d.created_at, d.updated_at,"
           " s.rotten_after_days AS stage_rotten_days";
}

sdk::Json dealFromRow(const sdk::Row& r) {
    auto str = [&](const char* c) { return sdk::rest::textOrNull(r[c]); };
    sdk::Json j = {{"id", r["id"].asText()},
                   {"title", r["title"].asText()},
                   {"pipeline_id", r["pipeline_id"].asText()},
                   {"stage_id", r["stage_id"].asText()},
                   {"position", r["position"].asInt()},
                   {"status", r["status"].asText()},
                   {"contact_id", str("contact_id")},
                   {"company_id", str("company_id")},
                   {"owner_id", str("owner_id")},
                   {"amount", r["amount"].asInt()},
                   {"currency", r["currency"].asText()},
                   {"expected_close_date", str("expected_close_date")},
                   {"lost_reason_id", str("lost_reason_id")},
                   {"closed_at", str("closed_at")},
                   {"stage_entered_at", r["stage_entered_at"].asText()}};
    // Rotten: an open deal that sat in its stage longer than the stage allows.
    bool rotten = false;
    if (j["status"] == "open" && !r["stage_rotten_days"].isNull()) {
        auto in_stage = secondsSince(j["stage_entered_at"].get<std::string>(), nowIso());
        rotten = in_stage && *in_stage > r["stage_rotten_days"].asInt() * 86400;
    }
    j["rotten"] = rotten;
    auto custom = sdk::parseJson(r["custom_fields"].asText());
    j["custom_fields"] = custom.is_object() ? custom : sdk::Json::object();
    auto items = sdk::parseJson(r["line_items"].asText());
    j["line_items"] = items.is_array() ? items : sdk::Json::array();
    j["version"] = r["version"].asInt();
    j["created_at"] = r["created_at"].asText();
    j["updated_at"] = r["updated_at"].asText();
    return j;
}

std::optional<sdk::Json> findDeal(sdk::Database& db, const std::string& id) {
    if (id.empty() || id.size() > 64) return std::nullopt;
    auto row = db.queryOne("SELECT " + dealColumns() + kDealFrom + " WHERE d.id = ?", {id});
    if (!row) return std::nullopt;
    return dealFromRow(*row);
}

sdk::Json requireDeal(sdk::Database& db, const std::string& id) {
    auto d = findDeal(db, id);
    if (!d) throw sdk::ApiError(404, "deal_not_found", "no deal with this id");
    return *d;
}

sdk::Json createDeal(sdk::TenantScope& scope, const sdk::Json& client_body) {
    auto& db = scope.db();
    const sdk::Json body = withBeforeHooks(scope, "deal.create", client_body, client_body);
    Input in = parseInput(db, body, true);
    sdk::Json next = {{"contact_id", nullptr}, {"company_id", nullptr}, {"owner_id", nullptr}, {"amount", 0},
                      {"expected_close_date", nullptr}, {"status", "open"}, {"lost_reason_id", nullptr}};
    // The creator owns the deal unless the body names an owner.
    if (!scope.principal().anonymous()) next["owner_id"] = scope.principal().id;
    for (const auto& [k, v] : in.values.items()) next[k] = v;
    std::optional<Stage> stage;
    resolveStage(db, in, true, next, stage, in.errors);
    checkLinks(scope, nullptr, next, in.errors);
    if (!next.contains("line_items")) next["line_items"] = sdk::Json::array();
    checkAmountSource(in, next, in.errors);
    if (!next["line_items"].empty() && next["currency"].is_string()) resolveLineItems(scope, next, in.errors);
    if (in.malformed_line_items.is_array()) checkProducts(scope, in.malformed_line_items, next["currency"], in.errors);
    in.errors.throwIfAny();

    sdk::Json custom = sdk::Json::object();
    for (const auto& [k, v] : in.custom.items())
        if (!v.is_null()) custom[k] = v;
    const std::string id = newId("dl_");
    const std::string now = nowIso();
    const std::string status = next["status"].get<std::string>();
    db.transaction([&] {
        const std::int64_t count = stageCount(db, stage->id, id);
        std::int64_t position = count;
        if (next.contains("position")) position = std::min(next["position"].get<std::int64_t>(), count);
        openGap(db, stage->id, position, id);
        db.execute("INSERT INTO deals_deals (id, title, pipeline_id, stage_id, position, status, contact_id, company_id,"
                   " owner_id, amount, currency, expected_close_date, lost_reason_id, closed_at, stage_entered_at,"
                   " custom_fields, line_items, version, created_at, updated_at)"
                   " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)",
                   {id, next["title"].get<std::string>(), stage->pipeline_id, stage->id, position, status,
                    text(next["contact_id"]), text(next["company_id"]), text(next["owner_id"]),
                    next["amount"].get<std::int64_t>(), next["currency"].get<std::string>(),
                    text(next["expected_close_date"]), text(next["lost_reason_id"]),
                    status == "open" ? sdk::Value() : sdk::Value(now), now, custom.dump(), next["line_items"].dump(), now,
                    now});
        recordHistory(scope, id, "created", sdk::Value(), stage->id, sdk::Value(), status, sdk::Value(), now);
    });
    auto created = requireDeal(db, id);
    scope.events().publish("deal.created", {{"id", id}, {"deal", created}});
    publishClosed(scope, created);
    return created;
}

sdk::Json updateDeal(sdk::TenantScope& scope, const sdk::Json& current, const sdk::Json& client_body) {
    auto& db = scope.db();
    sdk::Json view = current;
    for (const char* computed : {"rotten", "position"}) view.erase(computed);
    for (const auto& [k, v] : client_body.items()) view[k] = v;
    const sdk::Json body = withBeforeHooks(scope, "deal.update", view, client_body);
    Input in = parseInput(db, body, false);
    sdk::Json next = current;
    // resolveStage() compares the requested pipeline and stage with the current ones.
    for (const auto& [k, v] : in.values.items())
        if (k != "position" && k != "pipeline_id" && k != "stage_id") next[k] = v;
    std::optional<Stage> stage;
    resolveStage(db, in, false, next, stage, in.errors);
    // Reopening or winning a lost deal drops its reason unless the body sets one.
    if (current["status"] == "lost" && next["status"] != "lost" && !in.values.contains("lost_reason_id"))
        next["lost_reason_id"] = nullptr;
    checkLinks(scope, current, next, in.errors);
    checkAmountSource(in, next, in.errors);
    // Items are (re)priced when they change and when the currency does.
    if (!next["line_items"].empty() && (in.values.contains("line_items") || in.values.contains("currency")))
        resolveLineItems(scope, next, in.errors);
    if (in.malformed_line_items.is_array()) checkProducts(scope, in.malformed_line_items, next["currency"], in.errors);
    in.errors.throwIfAny();
    if (!stage) throw sdk::ApiError(409, "stage_missing", "the deal's stage no longer exists");

    sdk::Json changes = sdk::Json::object();
    for (const auto& [k, v] : next.items())
        if (k != "custom_fields" && current[k] != v) changes[k] = {{"from", current[k]}, {"to", v}};
    changes.update(applyCustomFieldPatch(next["custom_fields"], in.custom));
    const std::string id = current["id"].get<std::string>();
    const bool stage_changed = changes.contains("stage_id");
    const bool status_changed = changes.contains("status");
    const bool moves = stage_changed || (in.values.contains("position") && in.values["position"] != current["position"]);
    if (changes.empty() && !moves) return current;

    const std::string now = nowIso();
    const std::string from_stage = current["stage_id"].get<std::string>();
    std::optional<std::int64_t> seconds_in_stage;
    db.transaction([&] {
        std::int64_t position = current["position"].get<std::int64_t>();
        if (moves) {
            closeGap(db, from_stage, position, id);
            const std::int64_t count = stageCount(db, stage->id, id);
            position = in.values.contains("position") ? std::min(in.values["position"].get<std::int64_t>(), count) : count;
            openGap(db, stage->id, position, id);
        }
        sdk::Value closed_at = text(current["closed_at"]);
        if (status_changed) closed_at = next["status"] == "open" ? sdk::Value() : sdk::Value(now);
        const std::string entered = stage_changed ? now : current["stage_entered_at"].get<std::string>();
        if (db.execute("UPDATE deals_deals SET title = ?, pipeline_id = ?, stage_id = ?, position = ?, status = ?,"
                       " contact_id = ?, company_id = ?, owner_id = ?, amount = ?, currency = ?, expected_close_date = ?,"
                       " lost_reason_id = ?, closed_at = ?, stage_entered_at = ?, custom_fields = ?, line_items = ?,"
                       " version = version + 1, updated_at = ? WHERE id = ? AND version = ?",
                       {next["title"].get<std::string>(), stage->pipeline_id, stage->id, position,
                        next["status"].get<std::string>(), text(next["contact_id"]), text(next["company_id"]),
                        text(next["owner_id"]), next["amount"].get<std::int64_t>(), next["currency"].get<std::string>(),
                        text(next["expected_close_date"]), text(next["lost_reason_id"]), closed_at, entered,
                        next["custom_fields"].dump(), next["line_items"].dump(), now, id,
                        current["version"].get<std::int64_t>()}) == 0)
            throw sdk::ApiError(412, "precondition_failed", "the deal was changed concurrently; retry");
        if (stage_changed) {
            seconds_in_stage = secondsSince(current["stage_entered_at"].get<std::string>(), now);
            recordHistory(scope, id, "stage", from_stage, stage->id, current["status"].get<std::string>(),
                          next["status"].get<std::string>(), sdk::Value(seconds_in_stage), now);
        }
        if (status_changed && !stage_changed)
            recordHistory(scope, id, "status", from_stage, stage->id, current["status"].get<std::string>(),
                          next["status"].get<std::string>(), sdk::Value(), now);
    });
    auto updated = requireDeal(db, id);
    if (moves && !changes.contains("position") && updated["position"] != current["position"])
        changes["position"] = {{"from", current["position"]}, {"to", updated["position"]}};
    scope.events().publish("deal.updated", {{"id", id}, {"deal", updated}, {"changes", changes}});
    if (stage_changed)
        scope.events().publish("deal.stage_changed", {{"id", id},
                                                      {"deal", updated},
                                                      {"from_stage_id", from_stage},
                                                      {"to_stage_id", stage->id},
                                                      {"seconds_in_stage", seconds_in_stage ? sdk::Json(*seconds_in_stage) : sdk::Json()}});
    if (status_changed) publishClosed(scope, updated);
    return updated;
}

void deleteDeal(sdk::TenantScope& scope, const sdk::Json& current) {
    auto& db = scope.db();
    const std::string id = current["id"].get<std::string>();
    db.transaction([&] {
        if (db.execute("DELETE FROM deals_deals WHERE id = ? AND version = ?", {id, current["version"].get<std::int64_t>()}) == 0)
            throw sdk::ApiError(412, "precondition_failed", "the deal was changed concurrently; retry");
        closeGap(db, current["stage_id"].get<std::string>(), current["position"].get<std::int64_t>(), id);
        db.execute("DELETE FROM deals_history WHERE deal_id = ?", {id});
        deleteSubjectActivities(db, kDealActivities, {id});
    });
    scope.events().publish("deal.deleted", {{"id", id}, {"deal", current}});
}

void relocateStageDeals(sdk::TenantScope& scope, const Stage& from, const Stage& to) {
    auto& db = scope.db();
    const auto rows = db.query("SELECT " + dealColumns() + kDealFrom + " WHERE d.stage_id = ? ORDER BY d.position, d.id",
                               {from.id});
    std::int64_t position = stageCount(db, to.id, "");
    const std::string now = nowIso();
    for (const auto& row : rows) {
        const auto before = dealFromRow(row);
        const std::string id = before["id"].get<std::string>();
        db.execute("UPDATE deals_deals SET stage_id = ?, position = ?, stage_entered_at = ?, version = version + 1,"
                   " updated_at = ? WHERE id = ?",
                   {to.id, position++, now, now, id});
        const auto seconds = secondsSince(before["stage_entered_at"].get<std::string>(), now);
        recordHistory(scope, id, "stage", from.id, to.id, before["status"].get<std::string>(),
                      before["status"].get<std::string>(), sdk::Value(seconds), now);
        const auto after = requireDeal(db, id);
        sdk::Json changes = {{"stage_id", {{"from", from.id}, {"to", to.id}}},
                             {"position", {{"from", before["position"]}, {"to", after["position"]}}}};
        scope.events().publish("deal.updated", {{"id", id}, {"deal", after}, {"changes", changes}});
        scope.events().publish("deal.stage_changed", {{"id", id},
                                                      {"deal", after},
                                                      {"from_stage_id", from.id},
                                                      {"to_stage_id", to.id},
                                                      {"seconds_in_stage", seconds ? sdk::Json(*seconds) : sdk::Json()}});
    }
}

void unlinkDeals(sdk::TenantScope& scope, const std::string& column, const std::string& id) {
    auto& db = scope.db();
    // `column` is one of two literals chosen by the plugin, never client input.
    if (column != "contact_id" && column != "company_id") return;
    const auto rows = db.query("SELECT d.id FROM deals_deals d WHERE d." + column + " = ?", {id});
    if (rows.empty()) return;
    db.execute("UPDATE deals_deals SET " + column + " = NULL, version = version + 1, updated_at = ? WHERE " + column + " = ?",
               {nowIso(), id});
    for (const auto& row : rows) {
        auto deal = findDeal(db, row["id"].asText());
        if (!deal) continue;
        scope.events().publish("deal.updated",
                               {{"id", (*deal)["id"]}, {"deal", *deal}, {"changes", {{column, {{"from", id}, {"to", nullptr}}}}}});
    }
}

}  // namespace tessera::plugins::deals
