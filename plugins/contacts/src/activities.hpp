#pragma once
/// Notes and activities (calls, meetings, tasks) attached to a contact or a company, and
/// the timeline that merges them, newest first. Notes are activities of kind "note", so
/// the timeline is one ordered, paginated query.

#include <tessera/sdk.hpp>

#include "resource.hpp"

namespace tessera::plugins::contacts {

/// Which activities a subject listing returns.
enum class ActivityFilter { Notes, Activities, All };

/// GET /api/v1/<plural>/{id}/notes | activities | timeline: {"data":[...],"next_cursor":...}.
sdk::Response listActivities(const ResourceSpec& subject, ActivityFilter which, const sdk::Request& req,
                             sdk::TenantScope& scope);
/// POST /api/v1/<plural>/{id}/notes ({"body"}) or /activities ({"kind","title","body",
/// "occurred_at","due_at","done"}).
sdk::Response createActivity(const ResourceSpec& subject, bool note, const sdk::Request& req, sdk::TenantScope& scope);
/// GET /api/v1/activities/{id}
sdk::Response getActivity(const sdk::Request& req, sdk::TenantScope& scope);
/// PATCH /api/v1/activities/{id}: title, body, occurred_at, due_at, done; honours If-Match.
sdk::Response patchActivity(const sdk::Request& req, sdk::TenantScope& scope);
/// DELETE /api/v1/activities/{id}; honours If-Match.
sdk::Response deleteActivity(const sdk::Request& req, sdk::TenantScope& scope);

}  // namespace tessera::plugins::contacts
