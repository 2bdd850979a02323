#pragma once
/// Subscriptions: a customer billed for the same items every cycle. The billing job
/// issues each period's invoice exactly once, even across restarts and with several
/// hosts: a period is claimed by moving next_invoice_date with a conditional UPDATE in
/// the same transaction that creates the invoice, and the invoices table refuses a
/// second invoice for the same (subscription, period).

#include <string>

#include <tessera/sdk.hpp>

namespace tessera::plugins::billing {

/// What one run of the billing jobs did.
struct JobReport {
    int invoices_issued = 0;
    int subscriptions_canceled = 0;
    int overdue_notices = 0;
};

/// Months in a billing cycle ("monthly" 1, "bimonthly" 2, "quarterly" 3, "yearly" 12), 0 if unknown.
int cycleMonths(const std::string& cycle);

/// Issues the invoices of every active subscription whose next_invoice_date is on or
/// before `today` (catching up missed periods one by one) and ends the subscriptions
/// cancelled at period end whose period is over.
void runSubscriptionBilling(sdk::TenantScope& scope, const std::string& today, JobReport& report);

/// Marks open invoices past their due date overdue and publishes invoice.overdue (with
/// days_overdue) at most once per invoice per day.
void runOverdueNotices(sdk::TenantScope& scope, const std::string& today, JobReport& report);

sdk::Response listSubscriptionsRoute(const sdk::Request& req, sdk::TenantScope& scope);
/// POST: customer_id, currency, cycle, items (invoice lines), start_date, anchor_day, due_days.
sdk::Response createSubscriptionRoute(const sdk::Request& req, sdk::TenantScope& scope);
sdk::Response getSubscriptionRoute(const sdk::Request& req, sdk::TenantScope& scope);
/// PATCH /{id}: items (change plan, quantities or prices from the next invoice on),
/// due_days, cancel_at_period_end (true schedules the end, false withdraws it). Only an
/// active subscription changes (409 otherwise); honours If-Match; 422 names each field.
/// Publishes subscription.updated with the changes.
sdk::Response patchSubscriptionRoute(const sdk::Request& req, sdk::TenantScope& scope);
/// POST /{id}/cancel: {"at_period_end": true} (default) or false to end it now.
sdk::Response cancelSubscriptionRoute(const sdk::Request& req, sdk::TenantScope& scope);
/// POST /api/v1/billing/jobs/run {"job": "subscriptions" | "overdue" | "all"}: runs the
/// scheduled jobs now for this tenant and reports what they did.
sdk::Response runJobsRoute(const sdk::Request& req, sdk::TenantScope& scope);

}  // namespace tessera::plugins::billing
