#pragma once
/// GET /api/v1/deals: filters, title search, sort and keyset cursor pagination, as
/// docs/api.md describes for every list. Every value reaches the database as a bound
/// parameter; only column expressions from a fixed table are spliced into SQL.

#include <map>
#include <string>

#include <tessera/sdk.hpp>

namespace tessera::plugins::deals {

/// {"data":[deal...],"next_cursor":...} for list parameters (filter[...], q, sort, limit,
/// cursor) under the caller's role. Throws 400 invalid_query naming the parameter. The
/// route's query, or a script's filters (crm.deals.find).
sdk::Json findDeals(const std::map<std::string, std::string>& parameters, sdk::TenantScope& scope);
/// GET /api/v1/deals.
sdk::Response listDeals(const sdk::Request& req, sdk::TenantScope& scope);

}  // namespace tessera::plugins::deals
