#pragma once
/// Storage of deals: the JSON representation, validation, and the write paths (create,
/// update, move, delete) shared by the REST routes, the board, stage deletion and the
/// Lua functions, so every entry point enforces the same rules, records the same stage
/// history and publishes the same events.

#include <optional>
#include <string>

#include <tessera/sdk.hpp>
#include <tessera/sdk/rest/activities.hpp>
#include <tessera/sdk/rest/custom_fields.hpp>

#include "pipelines.hpp"

namespace tessera::plugins::deals {

inline constexpr std::size_t kMaxTitle = 200;

/// Custom fields of deals: definitions in deals_custom_fields (migration 0004), values in
/// deals_deals.custom_fields.
inline const sdk::rest::CustomFieldStore kDealCustomFields{"deals_custom_fields", "", "deals_deals"};

/// Notes and activities on deals (migration 0005). Single items live at
/// /api/v1/deal-activities/{id} because /api/v1/activities belongs to contacts.
/// 404 deal_not_found unless the deal `subject[0]` exists and the caller's role lets it
/// see it (own_records_only of "deals").
void requireVisibleDealSubject(const sdk::Params& subject, sdk::TenantScope& scope);
/// A deal's activities are as visible as the deal; hidden fields of "deal_activities" apply.
inline const sdk::rest::ActivityStore kDealActivities{"deals_activities",
                                                      {"deal_id"},
                                                      "dact_",
                                                      "/api/v1/deal-activities",
                                                      10000,
                                                      "deal_activities",
                                                      requireVisibleDealSubject};

/// Column list for SELECTs producing dealFromRow() input; needs "FROM deals_deals d JOIN
/// deals_stages s ON s.id = d.stage_id" (the stage gives the `rotten` flag).
std::string dealColumns();
inline constexpr const char* kDealFrom = " FROM deals_deals d JOIN deals_stages s ON s.id = d.stage_id";

/// The API representation of one row selected with dealColumns().
sdk::Json dealFromRow(const sdk::Row& row);

/// The deal with `id`, or nullopt / 404 deal_not_found.
std::optional<sdk::Json> findDeal(sdk::Database& db, const std::string& id);
sdk::Json requireDeal(sdk::Database& db, const std::string& id);

/// Validates `body` and inserts a deal at the end of its stage (or at body.position);
/// records its first history entry and publishes deal.created (and deal.won/lost when
/// created closed). Throws ApiError 422 with every problem at once.
sdk::Json createDeal(sdk::TenantScope& scope, const sdk::Json& body);

/// Applies the fields present in `body` to `current`: a changed stage or position moves
/// the card, a changed status closes or reopens the deal. Publishes deal.updated with the
/// changes, plus deal.stage_changed / deal.won / deal.lost as they apply. An unchanged
/// deal is returned as it is. Throws 412 if the deal changed since `current` was read.
sdk::Json updateDeal(sdk::TenantScope& scope, const sdk::Json& current, const sdk::Json& body);

/// Deletes a deal with its history, notes and activities; publishes deal.deleted.
void deleteDeal(sdk::TenantScope& scope, const sdk::Json& current);

/// Moves every deal of `from` to the end of `to` (same pipeline), keeping their order,
/// with a history entry and deal.stage_changed for each. Call inside a transaction.
void relocateStageDeals(sdk::TenantScope& scope, const Stage& from, const Stage& to);

/// Clears contact_id or company_id (`column`) on deals linked to a deleted contact or
/// company, publishing deal.updated for each.
void unlinkDeals(sdk::TenantScope& scope, const std::string& column, const std::string& id);

}  // namespace tessera::plugins::deals
