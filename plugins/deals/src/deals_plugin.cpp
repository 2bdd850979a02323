// The deals plugin: its whole surface (migrations, permissions, routes, events, Lua
// functions, subscriptions) is declared here, in one place.

#include <tessera/sdk.hpp>
#include <tessera/sdk/migrations.hpp>
#include <tessera/sdk/rest/activities.hpp>
#include <tessera/sdk/rest/custom_fields.hpp>

#include "board.hpp"
#include "deal_list.hpp"
#include "deal_routes.hpp"
#include "deal_store.hpp"
#include "forecast.hpp"
#include "lost_reasons.hpp"
#include "pipelines.hpp"
#include "script_functions.hpp"

namespace tessera::plugins::deals {

using namespace sdk::rest;

class DealsPlugin final : public sdk::Plugin {
public:
    void declare(sdk::Registrar& r) override {
        r.migrations(sdk::embeddedMigrations());

        r.permission("deals.read", "Read deals, pipelines, boards, forecasts, notes and activities");
        r.countsRecords("deals_deals");
        r.permission("deals.write", "Create, update and move deals; add notes and activities");
        r.permission("deals.delete", "Delete deals and their notes and activities");
        r.permission("deals.admin", "Manage pipelines, stages, lost reasons and deal custom fields");

        using M = sdk::Method;
        r.route({.method = M::Get, .path = "/api/v1/pipelines", .permission = "deals.read", .handler = listPipelines});
        r.route({.method = M::Post, .path = "/api/v1/pipelines", .permission = "deals.admin",
                 .handler = createPipeline, .idempotent = true});
        r.route({.method = M::Get, .path = "/api/v1/pipelines/{id}", .permission = "deals.read",
                 .handler = getPipeline});
        r.route({.method = M::Patch, .path = "/api/v1/pipelines/{id}", .permission = "deals.admin",
                 .handler = patchPipeline});
        r.route({.method = M::Delete, .path = "/api/v1/pipelines/{id}", .permission = "deals.admin",
                 .handler = deletePipeline});
        r.route({.method = M::Get, .path = "/api/v1/pipelines/{id}/board", .permission = "deals.read",
                 .handler = pipelineBoard});
        r.route({.method = M::Post, .path = "/api/v1/pipelines/{id}/stages", .permission = "deals.admin",
                 .handler = createStage, .idempotent = true});
        r.route({.method = M::Post, .path = "/api/v1/pipelines/{id}/stages/reorder", .permission = "deals.admin",
                 .handler = reorderStages});
        r.route({.method = M::Patch, .path = "/api/v1/pipelines/{id}/stages/{stage_id}", .permission = "deals.admin",
                 .handler = patchStage});
        r.route({.method = M::Delete, .path = "/api/v1/pipelines/{id}/stages/{stage_id}", .permission = "deals.admin",
                 .handler = deleteStage});

        r.route({.method = M::Get, .path = "/api/v1/lost-reasons", .permission = "deals.read",
                 .handler = listLostReasons});
        r.route({.method = M::Post, .path = "/api/v1/lost-reasons", .permission = "deals.admin",
                 .handler = createLostReason, .idempotent = true});
        r.route({.method = M::Get, .path = "/api/v1/lost-reasons/{id}", .permission = "deals.read",
                 .handler = getLostReason});
        r.route({.method = M::Patch, .path = "/api/v1/lost-reasons/{id}", .permission = "deals.admin",
                 .handler = patchLostReason});
        r.route({.method = M::Delete, .path = "/api/v1/lost-reasons/{id}", .permission = "deals.admin",
                 .handler = deleteLostReason});

        r.route({.method = M::Get, .path = "/api/v1/deals", .permission = "deals.read", .handler = listDeals});
        r.route({.method = M::Post, .path = "/api/v1/deals", .permission = "deals.write",
                 .handler = createDealRoute, .idempotent = true});
        r.route({.method = M::Get, .path = "/api/v1/deals/forecast", .permission = "deals.read",
                 .handler = dealForecast});
        // Custom fields and activities are the SDK helpers, bound to deals' own tables.
        r.route({.method = M::Get, .path = "/api/v1/deals/custom-fields", .permission = "deals.read",
                 .handler = sdk::bindHandler(listCustomFields, kDealCustomFields)});
        r.route({.method = M::Post, .path = "/api/v1/deals/custom-fields", .permission = "deals.admin",
                 .handler = sdk::bindHandler(createCustomField, kDealCustomFields)});
        r.route({.method = M::Delete, .path = "/api/v1/deals/custom-fields/{key}", .permission = "deals.admin",
                 .handler = sdk::bindHandler(deleteCustomField, kDealCustomFields)});
        r.route({.method = M::Get, .path = "/api/v1/deals/{id}", .permission = "deals.read", .handler = getDealRoute});
        r.route({.method = M::Patch, .path = "/api/v1/deals/{id}", .permission = "deals.write",
                 .handler = patchDealRoute});
        r.route({.method = M::Delete, .path = "/api/v1/deals/{id}", .permission = "deals.delete",
                 .handler = deleteDealRoute});
        r.route({.method = M::Get, .path = "/api/v1/deals/{id}/history", .permission = "deals.read",
                 .handler = dealHistoryRoute});

        // The deal must exist and be visible to the caller (404 deal_not_found) before its
        // activities are read or added.
        auto list = [](ActivityFilter which) {
            return [which](const sdk::Request& req, sdk::TenantScope& s) {
                requireVisibleDealSubject({req.param("id")}, s);
                return listActivities(kDealActivities, {req.param("id")}, which, req, s);
            };
        };
        auto create = [](bool note) {
            return [note](const sdk::Request& req, sdk::TenantScope& s) {
                requireVisibleDealSubject({req.param("id")}, s);
                return createActivity(kDealActivities, {req.param("id")}, note, req, s);
            };
        };
        r.route({.method = M::Get, .path = "/api/v1/deals/{id}/notes", .permission = "deals.read",
                 .handler = list(ActivityFilter::Notes)});
        r.route({.method = M::Post, .path = "/api/v1/deals/{id}/notes", .permission = "deals.write",
                 .handler = create(true), .idempotent = true});
        r.route({.method = M::Get, .path = "/api/v1/deals/{id}/activities", .permission = "deals.read",
                 .handler = list(ActivityFilter::Activities)});
        r.route({.method = M::Post, .path = "/api/v1/deals/{id}/activities", .permission = "deals.write",
                 .handler = create(false), .idempotent = true});
        r.route({.method = M::Get, .path = "/api/v1/deals/{id}/timeline", .permission = "deals.read",
                 .handler = list(ActivityFilter::All)});
        r.route({.method = M::Get, .path = "/api/v1/deal-activities/{id}", .permission = "deals.read",
                 .handler = sdk::bindHandler(getActivity, kDealActivities)});
        r.route({.method = M::Patch, .path = "/api/v1/deal-activities/{id}", .permission = "deals.write",
                 .handler = sdk::bindHandler(patchActivity, kDealActivities)});
        r.route({.method = M::Delete, .path = "/api/v1/deal-activities/{id}", .permission = "deals.delete",
                 .handler = sdk::bindHandler(deleteActivity, kDealActivities)});

        for (const char* event :
             {"deal.created", "deal.updated", "deal.deleted", "deal.stage_changed", "deal.won", "deal.lost"})
            r.publishes(event);
        for (const char* point : {"deal.create", "deal.update"}) r.runsBeforeHooks(point);

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
};

}  // namespace tessera::plugins::deals

TESSERA_PLUGIN(tessera::plugins::deals::DealsPlugin)
