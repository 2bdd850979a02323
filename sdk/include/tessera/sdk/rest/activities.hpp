#pragma once
/// Notes and activities (calls, meetings, tasks with due date and done flag) attached to a
/// record, and the timeline that merges them newest first (docs/api.md). Notes are
/// activities of kind "note", so a timeline is one ordered, keyset-paginated query. Part
/// of tessera_sdk_rest.
///
/// The plugin owns the table (in its migrations) and chooses the columns that name the
/// subject, e.g. (subject_type, subject_id) for a table serving several collections or
/// (deal_id) for one. Besides those, the table has: id, kind, title, body, occurred_at,
/// due_at, done, created_by, version, created_at, updated_at, and an index on
/// (<subject columns>, occurred_at, id).

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include <tessera/sdk/registrar.hpp>

namespace tessera::sdk::rest {

/// Where a plugin keeps its activities. Names are chosen by the plugin, never clients.
struct ActivityStore {
    std::string table;                         ///< e.g. "deals_activities".
    std::vector<std::string> subject_columns;  ///< e.g. {"deal_id"}; returned in every item.
    std::string id_prefix;                     ///< e.g. "dact_".
    std::string item_path;                     ///< Collection of single items, e.g. "/api/v1/deal-activities".
    std::size_t max_body = 10000;              ///< Characters of `body`.
    /// The access-rules resource of the activities themselves (TenantScope::access), e.g.
    /// "activities": a role's hidden fields of it are left out of every activity returned
    /// and refused in writes. Empty: no field is hidden.
    std::string resource;
    /// Throws ApiError 404 when the caller may not see the subject whose column values are
    /// `subject` (e.g. a contact owned by someone else under own_records_only). The item
    /// routes call it with the activity's own subject and answer 404 activity_not_found,
    /// so an activity is exactly as visible as its record. Empty: every subject is visible.
    std::function<void(const Params& subject, TenantScope& scope)> require_subject;
};

/// Which activities a subject listing returns.
enum class ActivityFilter { Notes, Activities, All };

/// GET <subject>/notes | activities | timeline for the subject whose column values are
/// `subject` (in subject_columns order; the caller has checked the subject exists and is
/// visible, answering the subject's own 404 otherwise): {"data":[...],"next_cursor":...},
/// newest first. Accepts limit and cursor.
Response listActivities(const ActivityStore& store, const Params& subject, ActivityFilter which, const Request& req,
                        TenantScope& scope);

/// POST <subject>/notes ({"body","occurred_at"}) or <subject>/activities ({"kind","title",
/// "body","occurred_at","due_at","done"}): 201 with ETag and Location, 422 naming fields.
Response createActivity(const ActivityStore& store, const Params& subject, bool note, const Request& req,
                        TenantScope& scope);

/// GET <item_path>/{id} (304 on a matching If-None-Match), 404 activity_not_found.
Response getActivity(const ActivityStore& store, const Request& req, TenantScope& scope);
/// PATCH <item_path>/{id}: title, body, occurred_at, due_at, done; honours If-Match.
Response patchActivity(const ActivityStore& store, const Request& req, TenantScope& scope);
/// DELETE <item_path>/{id}; honours If-Match.
Response deleteActivity(const ActivityStore& store, const Request& req, TenantScope& scope);

/// Deletes every activity of a subject (when the subject itself is deleted).
void deleteSubjectActivities(Database& db, const ActivityStore& store, const Params& subject);

}  // namespace tessera::sdk::rest
