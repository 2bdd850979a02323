#include "subscriptions.hpp"

#include <tessera/sdk/rest/dates.hpp>
#include <tessera/sdk/rest/ids.hpp>
#include <tessera/sdk/rest/rows.hpp>

#include "access.hpp"
#include "api_support.hpp"
#include "invoices.hpp"
#include "settings.hpp"

namespace tessera::plugins::billing {

using namespace sdk::rest;

namespace {

constexpr const char* kSubscriptionsPath = "/api/v1/billing/subscriptions";

sdk::Json subscriptionToJson(const sdk::Row& r) {
    return {{"id", r["id"].asText()},
            {"customer_id", r["customer_id"].asText()},
            {"owner_id", sdk::rest::textOrNull(r["owner_id"])},
            {"currency", r["currency"].asText()},
            {"cycle", r["cycle"].asText()},
            {"anchor_day", r["anchor_day"].asInt()},
            {"start_date", r["start_date"].asText()},
            {"next_invoice_date", sdk::rest::textOrNull(r["next_invoice_date"])},
            {"status", r["status"].asText()},
            {"cancel_at_period_end", r["cancel_at_period_end"].asBool()},
            {"canceled_at", sdk::rest::textOrNull(r["canceled_at"])},
            {"due_days", r["due_days"].asInt()},
            {"items", sdk::Json::parse(r["items"].asText())},
            {"version", r["version"].asInt()},
            {"created_at", r["created_at"].asText()},
            {"updated_at", r["updated_at"].asText()}};
}

sdk::Json requireSubscription(sdk::Database& db, const std::string& id) {
    auto row = db.queryOne("SELECT * FROM billing_subscriptions WHERE id = ?", {id});
    if (!row) throw sdk::ApiError(404, "subscription_not_found", "no subscription with id " + id);
    return subscriptionToJson(*row);
}

// Bills one period of one subscription, if it is still due. Returns false when there is
// nothing (more) to do for it.
bool billOnePeriod(sdk::TenantScope& scope, const std::string& id, const std::string& today, JobReport& report) {
    auto& db = scope.db();
    return db.transaction([&] {
        const auto sub = requireSubscription(db, id);
        if (sub["status"] != "active" || !sub["next_invoice_date"].is_string()) return false;
        const std::string period = sub["next_invoice_date"];
        if (period > today) return false;
        const auto now = nowIso();
        if (sub["cancel_at_period_end"].get<bool>()) {
            // The paid-for period ended on `period`: end the subscription instead of renewing.
            const auto n = db.execute("UPDATE billing_subscriptions SET status = 'canceled', canceled_at = ?,"
                                      " next_invoice_date = NULL, version = version + 1, updated_at = ?"
                                      " WHERE id = ? AND status = 'active' AND next_invoice_date = ?",
                                      {now, now, id, period});
            if (n == 1) {
                ++report.subscriptions_canceled;
                publish(scope, "subscription.canceled", "subscription", requireSubscription(db, id));
            }
            return false;
        }
        const std::string next = addMonthsAnchored(period, cycleMonths(sub["cycle"]),
                                                   static_cast<int>(sub["anchor_day"].get<std::int64_t>()));
        // The claim: only the transaction that moves next_invoice_date off `period` bills it.
        const auto claimed = db.execute("UPDATE billing_subscriptions SET next_invoice_date = ?, version = version + 1,"
                                        " updated_at = ? WHERE id = ? AND status = 'active' AND next_invoice_date = ?",
                                        {next, now, id, period});
        if (claimed != 1) return false;
        createSubscriptionInvoice(scope, id, sub["customer_id"], sub["currency"], sub["items"], period,
                                  static_cast<int>(sub["due_days"].get<std::int64_t>()));
        ++report.invoices_issued;
        return true;
    });
}

}  // namespace

int cycleMonths(const std::string& cycle) {
    if (cycle == "monthly") return 1;
    if (cycle == "bimonthly") return 2;
    if (cycle == "quarterly") return 3;
    if (cycle == "yearly") return 12;
    return 0;
}

void runSubscriptionBilling(sdk::TenantScope& scope, const std::string& today, JobReport& report) {
    const auto due = scope.db().query("SELECT id FROM billing_subscriptions WHERE status = 'active'"
                                      " AND next_invoice_date <= ? ORDER BY next_invoice_date, id",
                                      {today});
    for (const auto& row : due) {
        const std::string id = row["id"].asText();
        try {
            // One transaction per period, so a failure leaves earlier periods billed.
            for (int guard = 0; guard < 1200 && billOnePeriod(scope, id, today, report); ++guard) {
            }
        } catch (const sdk::UniqueViolation&) {
            // Another host billed this period between our read and our claim: nothing lost.
        } catch (const std::exception& e) {
            scope.log().error("subscription " + id + " could not be billed: " + e.what());
        }
    }
}

void runOverdueNotices(sdk::TenantScope& scope, const std::string& today, JobReport& report) {
    auto& db = scope.db();
    const auto rows = db.query("SELECT id, due_date FROM billing_invoices WHERE kind = 'invoice' AND status = 'open'"
                               " AND due_date < ? AND (overdue_notified_on IS NULL OR overdue_notified_on < ?)",
                               {today, today});
    for (const auto& row : rows) {
        const std::string id = row["id"].asText();
        // The condition on overdue_notified_on makes a second run on the same day (or a
        // concurrent one on another host) a no-op for this invoice.
        const auto n = db.execute("UPDATE billing_invoices SET overdue_since = COALESCE(overdue_since, ?),"
                                  " overdue_notified_on = ? WHERE id = ? AND status = 'open'"
                                  " AND (overdue_notified_on IS NULL OR overdue_notified_on < ?)",
                                  {today, today, id, today});
        if (n != 1) continue;
        ++report.overdue_notices;
        const auto invoice = requireInvoice(db, id);
        publish(scope, "invoice.overdue", "invoice", invoice,
                {{"days_overdue", dayNumber(today) - dayNumber(row["due_date"].asText())}});
    }
}

sdk::Response listSubscriptionsRoute(const sdk::Request& req, sdk::TenantScope& scope) {
    const auto from = ownedFrom(scope, BillingResource::Subscriptions, "billing_subscriptions");
    return listRoute(req, scope.db(), from.from, from.params,
                     {{"status", "status", ColumnKind::Text, false, false},
                      {"owner_id", "owner_id", ColumnKind::Text, false, true},
                      {"customer_id", "customer_id", ColumnKind::Text, false, false},
                      {"cycle", "cycle", ColumnKind::Text, false, false},
                      {"currency", "currency", ColumnKind::Text, false, false},
                      {"next_invoice_date", "next_invoice_date", ColumnKind::Date, true, true}},
                     subscriptionToJson);
}

sdk::Response createSubscriptionRoute(const sdk::Request& req, sdk::TenantScope& scope) {
    const auto body = sdk::parseJsonObject(req);
    auto& db = scope.db();
    FieldErrors errors;
    BodyReader in(body, {"customer_id", "currency", "cycle", "items", "start_date", "anchor_day", "due_days", "owner_id"},
                  errors);
    const auto customer = in.id("customer_id", true);
    in.id("owner_id");
    const auto currency = in.currency("currency", true);
    const auto cycle = in.oneOf("cycle", {"monthly", "bimonthly", "quarterly", "yearly"}, true);
    const auto start = in.date("start_date").value_or(todayUtc());
    const auto anchor = in.integer("anchor_day", 1, 31);
    const auto due_days = in.integer("due_days", 0, 3650);
    if (!in.has("items")) errors.add("items", "is required");
    if (customer) checkCustomer(scope, *customer, errors);
    if (currency && in.has("items")) priceItems(db, body["items"], *currency, errors);
    errors.throwIfAny();
    const int anchor_day = anchor ? static_cast<int>(*anchor) : std::stoi(start.substr(8, 2));
    // The first period starts on the start date moved to the anchor day (never earlier).
    std::string first = addMonthsAnchored(start, 0, anchor_day);
    if (first < start) first = addMonthsAnchored(start, 1, anchor_day);
    const std::string id = newId("sb_"), now = nowIso();
    db.execute("INSERT INTO billing_subscriptions (id, customer_id, owner_id, currency, cycle, anchor_day, start_date,"
               " next_invoice_date, status, due_days, items, created_at, updated_at)"
               " VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'active', ?, ?, ?, ?)",
               {id, *customer, newRecordOwner(scope, body, *customer), *currency, *cycle, anchor_day, start, first,
                due_days ? *due_days : loadSettings(db).default_due_days, body["items"].dump(), now, now});
    auto sub = requireSubscription(db, id);
    publish(scope, "subscription.created", "subscription", sub);
    return createdResponse(sub, kSubscriptionsPath);
}

sdk::Response getSubscriptionRoute(const sdk::Request& req, sdk::TenantScope& scope) {
    return getResponse(req, requireSubscription(scope.db(), req.param("id")));
}

sdk::Response patchSubscriptionRoute(const sdk::Request& req, sdk::TenantScope& scope) {
    const auto body = sdk::parseJsonObject(req);
    auto& db = scope.db();
    const std::string id = req.param("id");
    sdk::Json changes = sdk::Json::object();
    auto sub = db.transaction([&] {
        const auto current = requireSubscription(db, id);
        checkIfMatch(req, current);
        FieldErrors errors;
        BodyReader in(body, {"items", "due_days", "cancel_at_period_end"}, errors);
        const auto due_days = in.integer("due_days", 0, 3650, in.has("due_days"));
        const auto cancel = in.boolean("cancel_at_period_end", in.has("cancel_at_period_end"));
        if (in.isNull("items")) errors.add("items", "must not be null");
        else if (in.has("items")) priceItems(db, body["items"], current["currency"].get<std::string>(), errors);
        errors.throwIfAny();
        if (current["status"] != "active")
            throw sdk::ApiError(409, "subscription_not_active", "a canceled subscription cannot be changed");
        sdk::Json next = current;
        if (in.has("items")) next["items"] = body["items"];
        if (due_days) next["due_days"] = *due_days;
        if (cancel) next["cancel_at_period_end"] = *cancel;
        for (const char* field : {"items", "due_days", "cancel_at_period_end"})
            if (next[field] != current[field]) changes[field] = {{"from", current[field]}, {"to", next[field]}};
        if (changes.empty()) return current;
        // The UPDATE applies to the version read here, so a concurrent change gets 412.
        if (db.execute("UPDATE billing_subscriptions SET items = ?, due_days = ?, cancel_at_period_end = ?,"
                       " version = version + 1, updated_at = ? WHERE id = ? AND version = ?",
                       {next["items"].dump(), next["due_days"].get<std::int64_t>(),
                        next["cancel_at_period_end"].get<bool>(), nowIso(), id, current["version"].get<std::int64_t>()}) != 1)
            throw sdk::ApiError(412, "precondition_failed", "the subscription was changed concurrently; retry");
        return requireSubscription(db, id);
    });
    if (!changes.empty()) publish(scope, "subscription.updated", "subscription", sub, {{"changes", changes}});
    return itemResponse(sub);
}

sdk::Response cancelSubscriptionRoute(const sdk::Request& req, sdk::TenantScope& scope) {
    const auto body = req.body.empty() ? sdk::Json::object() : sdk::parseJsonObject(req);
    FieldErrors errors;
    BodyReader in(body, {"at_period_end"}, errors);
    const bool at_period_end = in.boolean("at_period_end").value_or(true);
    errors.throwIfAny();
    auto& db = scope.db();
    const std::string id = req.param("id");
    auto sub = db.transaction([&] {
        const auto current = requireSubscription(db, id);
        checkIfMatch(req, current);
        if (current["status"] != "active")
            throw sdk::ApiError(409, "subscription_not_active", "the subscription is already canceled");
        const auto now = nowIso();
        if (at_period_end)
            db.execute("UPDATE billing_subscriptions SET cancel_at_period_end = 1, version = version + 1, updated_at = ?"
                       " WHERE id = ?",
                       {now, id});
        else
            db.execute("UPDATE billing_subscriptions SET status = 'canceled', canceled_at = ?, next_invoice_date = NULL,"
                       " version = version + 1, updated_at = ? WHERE id = ?",
                       {now, now, id});
        return requireSubscription(db, id);
    });
    publish(scope, at_period_end ? "subscription.updated" : "subscription.canceled", "subscription", sub);
    return itemResponse(sub);
}

sdk::Response runJobsRoute(const sdk::Request& req, sdk::TenantScope& scope) {
    const auto body = req.body.empty() ? sdk::Json::object() : sdk::parseJsonObject(req);
    FieldErrors errors;
    BodyReader in(body, {"job"}, errors);
    const auto job = in.oneOf("job", {"subscriptions", "overdue", "all"}).value_or("all");
    errors.throwIfAny();
    JobReport report;
    const auto today = todayUtc();
    if (job != "overdue") runSubscriptionBilling(scope, today, report);
    if (job != "subscriptions") runOverdueNotices(scope, today, report);
    return sdk::Response::json({{"job", job},
                                {"invoices_issued", report.invoices_issued},
                                {"subscriptions_canceled", report.subscriptions_canceled},
                                {"overdue_notices", report.overdue_notices}});
}

}  // namespace tessera::plugins::billing
