#pragma once
/// The tenant-managed list of reasons a deal is lost for ("Price", "Chose a competitor").
/// A reason in use cannot be deleted (409); deactivate it instead, which keeps it on past
/// deals and in reports but stops offering it.

#include <tessera/sdk.hpp>

namespace tessera::plugins::deals {

/// GET /api/v1/lost-reasons[?active=true|false]
sdk::Response listLostReasons(const sdk::Request& req, sdk::TenantScope& scope);
/// POST /api/v1/lost-reasons {"name","active"}: 409 duplicate_name for an existing name
/// (case-insensitive).
sdk::Response createLostReason(const sdk::Request& req, sdk::TenantScope& scope);
/// GET /api/v1/lost-reasons/{id}
sdk::Response getLostReason(const sdk::Request& req, sdk::TenantScope& scope);
/// PATCH /api/v1/lost-reasons/{id} {"name","active"}; honours If-Match.
sdk::Response patchLostReason(const sdk::Request& req, sdk::TenantScope& scope);
/// DELETE /api/v1/lost-reasons/{id}: 409 lost_reason_in_use while a deal names it.
sdk::Response deleteLostReason(const sdk::Request& req, sdk::TenantScope& scope);

}  // namespace tessera::plugins::deals
