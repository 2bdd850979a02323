#pragma once
/// Deals for tenant Lua workflows: crm.deals.get / find / create / update / move. Each
/// takes one table and returns the deal (find: {data, next_cursor}) in its REST shape;
/// failures are the same ApiErrors the REST routes answer, so a script sees the same
/// messages a client would.

#include <tessera/sdk.hpp>

namespace tessera::plugins::deals {

/// {id}
sdk::Json scriptGet(const sdk::Json& args, sdk::TenantScope& scope);
/// {filter = {field = value | {op = value}}, q, sort, limit, cursor}: the list of
/// GET /api/v1/deals with the same filters.
sdk::Json scriptFind(const sdk::Json& args, sdk::TenantScope& scope);
/// The body of POST /api/v1/deals.
sdk::Json scriptCreate(const sdk::Json& args, sdk::TenantScope& scope);
/// {id, <fields to change>...}: PATCH /api/v1/deals/{id}.
sdk::Json scriptUpdate(const sdk::Json& args, sdk::TenantScope& scope);
/// {id, stage_id, position}: moves the card (position optional: end of the stage).
sdk::Json scriptMove(const sdk::Json& args, sdk::TenantScope& scope);

}  // namespace tessera::plugins::deals
