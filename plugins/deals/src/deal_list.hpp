#pragma once
/// GET /api/v1/deals: filters, title search, sort and keyset cursor pagination, as
/// docs/api.md describes for every list. Every value reaches the database as a bound
/// parameter; only column expressions from a fixed table are spliced into SQL.

#include <tessera/sdk.hpp>

namespace tessera::plugins::deals {

/// {"data":[deal...],"next_cursor":...}. Throws 400 invalid_query naming the parameter.
sdk::Response listDeals(const sdk::Request& req, sdk::TenantScope& scope);

}  // namespace tessera::plugins::deals
