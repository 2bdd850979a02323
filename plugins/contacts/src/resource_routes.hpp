#pragma once
/// The collection routes shared by contacts and companies, bound to one of them:
/// GET/POST /api/v1/<plural>, GET/PATCH/DELETE /api/v1/<plural>/{id}, and the notes and
/// activities under /api/v1/<plural>/{id}.

#include <tessera/sdk.hpp>

#include "resource.hpp"

namespace tessera::plugins::contacts {

/// GET list: filters, search, sort and cursor pagination; {"data":[...],"next_cursor":...}.
sdk::Response listRecords(const ResourceSpec& spec, const sdk::Request& req, sdk::TenantScope& scope);
/// POST: 201 with the record and its ETag. For contacts, `?upsert=email` updates the
/// contact with the same email instead of answering 409 (200 then).
sdk::Response createRecordRoute(const ResourceSpec& spec, const sdk::Request& req, sdk::TenantScope& scope);
/// GET one, with its ETag.
sdk::Response getRecordRoute(const ResourceSpec& spec, const sdk::Request& req, sdk::TenantScope& scope);
/// PATCH: changes only the given fields; honours If-Match.
sdk::Response patchRecordRoute(const ResourceSpec& spec, const sdk::Request& req, sdk::TenantScope& scope);
/// DELETE: 204; honours If-Match.
sdk::Response deleteRecordRoute(const ResourceSpec& spec, const sdk::Request& req, sdk::TenantScope& scope);

/// Under a record: 404 "<singular>_not_found" unless the record exists and the caller's
/// role may see it, then the SDK's activity routes on contacts' activity table.
/// GET {id}/notes, {id}/activities, {id}/timeline (both); POST {id}/notes, {id}/activities.
sdk::Response listRecordNotes(const ResourceSpec& spec, const sdk::Request& req, sdk::TenantScope& scope);
sdk::Response listRecordActivities(const ResourceSpec& spec, const sdk::Request& req, sdk::TenantScope& scope);
sdk::Response recordTimeline(const ResourceSpec& spec, const sdk::Request& req, sdk::TenantScope& scope);
sdk::Response addRecordNote(const ResourceSpec& spec, const sdk::Request& req, sdk::TenantScope& scope);
sdk::Response addRecordActivity(const ResourceSpec& spec, const sdk::Request& req, sdk::TenantScope& scope);

}  // namespace tessera::plugins::contacts
