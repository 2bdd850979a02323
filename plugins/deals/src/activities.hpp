#pragma once
/// Notes and activities (calls, meetings, tasks) on a deal, and the timeline that merges
/// them newest first. The same representation and rules as the contacts plugin's
/// activities; items live at /api/v1/deal-activities/{id} because /api/v1/activities
/// belongs to contacts.

#include <tessera/sdk.hpp>

namespace tessera::plugins::deals {

/// Which activities a deal listing returns.
enum class ActivityFilter { Notes, Activities, All };

/// GET /api/v1/deals/{id}/notes | activities | timeline: {"data":[...],"next_cursor":...}.
sdk::Response listActivities(ActivityFilter which, const sdk::Request& req, sdk::TenantScope& scope);
/// POST /api/v1/deals/{id}/notes ({"body","occurred_at"}) or /activities ({"kind","title",
/// "body","occurred_at","due_at","done"}).
sdk::Response createActivity(bool note, const sdk::Request& req, sdk::TenantScope& scope);
/// GET /api/v1/deal-activities/{id}
sdk::Response getActivity(const sdk::Request& req, sdk::TenantScope& scope);
/// PATCH /api/v1/deal-activities/{id}: title, body, occurred_at, due_at, done; honours If-Match.
sdk::Response patchActivity(const sdk::Request& req, sdk::TenantScope& scope);
/// DELETE /api/v1/deal-activities/{id}; honours If-Match.
sdk::Response deleteActivity(const sdk::Request& req, sdk::TenantScope& scope);

}  // namespace tessera::plugins::deals
