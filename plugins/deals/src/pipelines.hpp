#pragma once
/// Pipelines and their ordered stages.
///
/// A pipeline is read and versioned as one item with its stages: every stage change
/// bumps the pipeline's version, so its ETag (and If-Match on stage routes) covers the
/// whole stage list a board is drawn from.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <tessera/sdk.hpp>

namespace tessera::plugins::deals {

inline constexpr std::size_t kMaxPipelines = 100;
inline constexpr std::size_t kMaxStagesPerPipeline = 50;

struct Stage {
    std::string id;
    std::string pipeline_id;
    std::string name;
    std::int64_t position = 0;
    std::int64_t probability = 0;  ///< Win probability in percent, 0-100.
    std::optional<std::int64_t> rotten_after_days;

    sdk::Json toJson() const;
};

/// The stage with `id`, or nullopt.
std::optional<Stage> findStage(sdk::Database& db, const std::string& id);

/// The stages of a pipeline in board order.
std::vector<Stage> stagesOf(sdk::Database& db, const std::string& pipeline_id);

/// The pipeline with its stages, or nullopt / 404 pipeline_not_found.
std::optional<sdk::Json> findPipeline(sdk::Database& db, const std::string& id);
sdk::Json requirePipeline(sdk::Database& db, const std::string& id);

/// The first pipeline (lowest position), for deals created without one.
std::optional<std::string> defaultPipelineId(sdk::Database& db);

/// GET /api/v1/pipelines: every pipeline with its stages (at most kMaxPipelines).
sdk::Response listPipelines(const sdk::Request& req, sdk::TenantScope& scope);
/// POST /api/v1/pipelines {"name", "stages": [{"name","probability","rotten_after_days"}]}
sdk::Response createPipeline(const sdk::Request& req, sdk::TenantScope& scope);
/// GET /api/v1/pipelines/{id}
sdk::Response getPipeline(const sdk::Request& req, sdk::TenantScope& scope);
/// PATCH /api/v1/pipelines/{id} {"name"}; honours If-Match.
sdk::Response patchPipeline(const sdk::Request& req, sdk::TenantScope& scope);
/// DELETE /api/v1/pipelines/{id}: 409 pipeline_has_deals while it holds deals.
sdk::Response deletePipeline(const sdk::Request& req, sdk::TenantScope& scope);
/// POST /api/v1/pipelines/{id}/stages {"name","probability","rotten_after_days","position"}
sdk::Response createStage(const sdk::Request& req, sdk::TenantScope& scope);
/// PATCH /api/v1/pipelines/{id}/stages/{stage_id} {"name","probability","rotten_after_days"}
sdk::Response patchStage(const sdk::Request& req, sdk::TenantScope& scope);
/// DELETE /api/v1/pipelines/{id}/stages/{stage_id}[?move_to=<stage_id>]: a stage holding
/// deals needs move_to (409 stage_has_deals otherwise); its deals move there first.
sdk::Response deleteStage(const sdk::Request& req, sdk::TenantScope& scope);
/// POST /api/v1/pipelines/{id}/stages/reorder {"stage_ids": [every stage id, new order]}
sdk::Response reorderStages(const sdk::Request& req, sdk::TenantScope& scope);

}  // namespace tessera::plugins::deals
