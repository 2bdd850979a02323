#pragma once
/// The collection routes shared by contacts and companies, bound to one of them:
/// GET/POST /api/v1/<plural>, GET/PATCH/DELETE /api/v1/<plural>/{id}, and the notes and
/// activities under /api/v1/<plural>/{id}.

#include <functional>
#include <map>
#include <string>

#include <tessera/sdk.hpp>

#include "resource.hpp"

namespace tessera::plugins::contacts {

/// The operations behind the routes, under the caller's role (own records only, hidden
/// fields), for the routes and for callers without a request (crm.contacts.* script
/// functions). Records are in their API representation; failures are ApiError.
/// The record with `id`; 404 "<singular>_not_found" when it does not exist or is not the caller's to see.
sdk::Json getVisibleRecord(const ResourceSpec& spec, sdk::TenantScope& scope, const std::string& id);
/// The first page of the list `query` selects (filter[...], q, sort, limit as the GET list takes them).
sdk::Json findVisibleRecords(const ResourceSpec& spec, const std::map<std::string, std::string>& query,
                             sdk::TenantScope& scope);
/// Creates a record from `body`: 422 naming each field, 409 DuplicateEmail.
sdk::Json createVisibleRecord(const ResourceSpec& spec, sdk::TenantScope& scope, sdk::Json body);
/// Changes the given fields of record `id`; `precondition` sees the current record first
/// (the route's If-Match).
sdk::Json updateVisibleRecord(const ResourceSpec& spec, sdk::TenantScope& scope, const std::string& id, sdk::Json body,
                              const std::function<void(const sdk::Json& current)>& precondition = {});

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
