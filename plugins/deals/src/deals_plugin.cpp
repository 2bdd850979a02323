// The deals plugin: its whole surface (migrations, permissions, routes, events, Lua
// functions, subscriptions) is declared here, in one place.

#include <tessera/sdk.hpp>
#include <tessera/sdk/migrations.hpp>

#include "activities.hpp"
#include "board.hpp"
#include "custom_fields.hpp"
#include "deal_list.hpp"
#include "deal_routes.hpp"
#include "deal_store.hpp"
#include "forecast.hpp"
#include "idempotency.hpp"
#include "lost_reasons.hpp"
#include "pipelines.hpp"
#include "script_functions.hpp"

namespace tessera::plugins::deals {

class DealsPlugin final : public sdk::Plugin {
public:
    void declare(sdk::Registrar& r) override {
        r.migrations(sdk::embeddedMigrations());

        r.permission("deals.read", "Read deals, pipelines, boards, forecasts, notes and activities");
        r.permission("deals.write", "Create, update and move deals; add notes and activities");
        r.permission("deals.delete", "Delete deals and their notes and activities");
        r.permission("deals.admin", "Manage pipelines, stages, lost reasons and deal custom fields");

        using M = sdk::Method;
        r.route({M::Get, "/api/v1/pipelines", "deals.read", listPipelines});
        r.route({M::Post, "/api/v1/pipelines", "deals.admin", idempotent(createPipeline)});
        r.route({M::Get, "/api/v1/pipelines/{id}", "deals.read", getPipeline});
        r.route({M::Patch, "/api/v1/pipelines/{id}", "deals.admin", patchPipeline});
        r.route({M::Delete, "/api/v1/pipelines/{id}", "deals.admin", deletePipeline});
        r.route({M::Get, "/api/v1/pipelines/{id}/board", "deals.read", pipelineBoard});
        r.route({M::Post, "/api/v1/pipelines/{id}/stages", "deals.admin", idempotent(createStage)});
        r.route({M::Post, "/api/v1/pipelines/{id}/stages/reorder", "deals.admin", reorderStages});
        r.route({M::Patch, "/api/v1/pipelines/{id}/stages/{stage_id}", "deals.admin", patchStage});
        r.route({M::Delete, "/api/v1/pipelines/{id}/stages/{stage_id}", "deals.admin", deleteStage});

        r.route({M::Get, "/api/v1/lost-reasons", "deals.read", listLostReasons});
        r.route({M::Post, "/api/v1/lost-reasons", "deals.admin", idempotent(createLostReason)});
        r.route({M::Get, "/api/v1/lost-reasons/{id}", "deals.read", getLostReason});
        r.route({M::Patch, "/api/v1/lost-reasons/{id}", "deals.admin", patchLostReason});
        r.route({M::Delete, "/api/v1/lost-reasons/{id}", "deals.admin", deleteLostReason});

        r.route({M::Get, "/api/v1/deals", "deals.read", listDeals});
        r.route({M::Post, "/api/v1/deals", "deals.write", idempotent(createDealRoute)});
        r.route({M::Get, "/api/v1/deals/forecast", "deals.read", dealForecast});
        r.route({M::Get, "/api/v1/deals/custom-fields", "deals.read", listCustomFields});
        r.route({M::Post, "/api/v1/deals/custom-fields", "deals.admin", createCustomField});
        r.route({M::Delete, "/api/v1/deals/custom-fields/{key}", "deals.admin", deleteCustomField});
        r.route({M::Get, "/api/v1/deals/{id}", "deals.read", getDealRoute});
        r.route({M::Patch, "/api/v1/deals/{id}", "deals.write", patchDealRoute});
        r.route({M::Delete, "/api/v1/deals/{id}", "deals.delete", deleteDealRoute});
        r.route({M::Get, "/api/v1/deals/{id}/history", "deals.read", dealHistoryRoute});

        auto list = [](ActivityFilter which) {
            return [which](const sdk::Request& req, sdk::TenantScope& s) { return listActivities(which, req, s); };
        };
        auto create = [](bool note) {
            return idempotent([note](const sdk::Request& req, sdk::TenantScope& s) { return createActivity(note, req, s); });
        };
        r.route({M::Get, "/api/v1/deals/{id}/notes", "deals.read", list(ActivityFilter::Notes)});
        r.route({M::Post, "/api/v1/deals/{id}/notes", "deals.write", create(true)});
        r.route({M::Get, "/api/v1/deals/{id}/activities", "deals.read", list(ActivityFilter::Activities)});
        r.route({M::Post, "/api/v1/deals/{id}/activities", "deals.write", create(false)});
        r.route({M::Get, "/api/v1/deals/{id}/timeline", "deals.read", list(ActivityFilter::All)});
        r.route({M::Get, "/api/v1/deal-activities/{id}", "deals.read", getActivity});
        r.route({M::Patch, "/api/v1/deal-activities/{id}", "deals.write", patchActivity});
        r.route({M::Delete, "/api/v1/deal-activities/{id}", "deals.delete", deleteActivity});

        for (const char* event :
             {"deal.created", "deal.updated", "deal.deleted", "deal.stage_changed", "deal.won", "deal.lost"})
            r.publishes(event);

        r.scriptFunction("deals.get", "deals.read", scriptGet);
        r.scriptFunction("deals.find", "deals.read", scriptFind);
        r.scriptFunction("deals.create", "deals.write", scriptCreate);
        r.scriptFunction("deals.update", "deals.write", scriptUpdate);
        r.scriptFunction("deals.move", "deals.write", scriptMove);

        // A deleted contact or company leaves no dangling link on deals.
        r.subscribe("contact.deleted", [](const sdk::Event& e, sdk::TenantScope& s) {
            if (e.payload.contains("id") && e.payload["id"].is_string())
                unlinkDeals(s, "contact_id", e.payload["id"].get<std::string>());
        });
        r.subscribe("company.deleted", [](const sdk::Event& e, sdk::TenantScope& s) {
            if (e.payload.contains("id") && e.payload["id"].is_string())
                unlinkDeals(s, "company_id", e.payload["id"].get<std::string>());
        });
    }

    void start(sdk::HostContext& host) override {
        host.everyTenant("purge idempotency keys", std::chrono::hours(1),
                         [](sdk::TenantScope& scope) { purgeIdempotencyKeys(scope.db()); });
    }
};

}  // namespace tessera::plugins::deals

TESSERA_PLUGIN(tessera::plugins::deals::DealsPlugin, "deals", "1.0.0")
