#pragma once
/// GET /api/v1/deals/forecast: revenue outlook and pipeline health for a date range.
///
/// - months[].currencies[]: per month and currency, open deals by expected close date
///   (count, amount, weighted amount = round(Σ amount × stage probability / 100), half
///   up, summed before rounding), and deals won and lost by their closing date.
/// - stages[]: for deals created in the range, how many reached each stage, how many of
///   those went on to a later stage or were won (conversion_rate = advanced / reached)
///   and how many were won (win_rate = won / reached).
/// - cycle_time: deals won in the range, mean days from creation to winning.
/// Amounts in different currencies are never added together.

#include <tessera/sdk.hpp>

namespace tessera::plugins::deals {

/// Query: from, to (YYYY-MM-DD or YYYY-MM; default: this month and the next 11),
/// owner_id, pipeline_id.
sdk::Response dealForecast(const sdk::Request& req, sdk::TenantScope& scope);

}  // namespace tessera::plugins::deals
