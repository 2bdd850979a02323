#pragma once
/// Reports: revenue by month, receivables aging and monthly recurring revenue. Amounts are
/// grouped by currency; they are never added across currencies.

#include <tessera/sdk.hpp>

namespace tessera::plugins::billing {

/// GET /reports/revenue?from=YYYY-MM&to=YYYY-MM: payments received per month.
sdk::Response revenueReportRoute(const sdk::Request& req, sdk::TenantScope& scope);
/// GET /reports/aging?as_of=YYYY-MM-DD: outstanding amounts by days past due.
sdk::Response agingReportRoute(const sdk::Request& req, sdk::TenantScope& scope);
/// GET /reports/mrr: active subscriptions normalised to one month (net of tax).
sdk::Response mrrReportRoute(const sdk::Request& req, sdk::TenantScope& scope);

}  // namespace tessera::plugins::billing
