#pragma once
/// GET /api/v1/pipelines/{id}/board: the kanban view of one pipeline. Every stage with its
/// deal count and amount per currency, and its first page of cards in board order; a
/// stage's next page comes from ?stage_id=<id>&cursor=<its next_cursor>.

#include <tessera/sdk.hpp>

namespace tessera::plugins::deals {

/// Query: limit (cards per stage, default 50), status (open | won | lost | all; default
/// open), owner_id, stage_id, cursor (only with stage_id).
sdk::Response pipelineBoard(const sdk::Request& req, sdk::TenantScope& scope);

}  // namespace tessera::plugins::deals
