#pragma once
/// The deal routes: POST /api/v1/deals, GET/PATCH/DELETE /api/v1/deals/{id} and the stage
/// history GET /api/v1/deals/{id}/history.

#include <tessera/sdk.hpp>

namespace tessera::plugins::deals {

/// POST: 201 with the deal, its ETag and Location.
sdk::Response createDealRoute(const sdk::Request& req, sdk::TenantScope& scope);
/// GET one, with its ETag (304 for a matching If-None-Match).
sdk::Response getDealRoute(const sdk::Request& req, sdk::TenantScope& scope);
/// PATCH: changes only the given fields (moving a card = stage_id and/or position);
/// honours If-Match.
sdk::Response patchDealRoute(const sdk::Request& req, sdk::TenantScope& scope);
/// DELETE: 204; honours If-Match.
sdk::Response deleteDealRoute(const sdk::Request& req, sdk::TenantScope& scope);
/// GET history: stage entries and status changes, oldest first, cursor-paginated.
sdk::Response dealHistoryRoute(const sdk::Request& req, sdk::TenantScope& scope);

/// The deal `id` if the caller's role lets it see the deal (docs/security.md); 404
/// deal_not_found otherwise. Not yet stripped of hidden fields.
sdk::Json requireVisibleDeal(const sdk::AccessRules& rules, sdk::TenantScope& scope, const std::string& id);

}  // namespace tessera::plugins::deals
