// The deals plugin: its whole surface (migrations, permissions, routes, events, Lua
// functions, subscriptions) is declared here, in one place.

#include <tessera/sdk.hpp>
#include <tessera/sdk/migrations.hpp>
#include <tessera/sdk/rest/activities.hpp>
#include <tessera/sdk/rest/custom_fields.hpp>
#include <tessera/sdk/rest/idempotency.hpp>

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

// Created by migrations/0006_create_idempotency_keys.sql.
constexpr const char* kIdempotencyTable = "deals_idempotency_keys";

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
        auto once = [](sdk::Handler h) { return idempotent(kIdempotencyTable, std::move(h)); };
        // Custom fields and activities are the SDK helpers, bound to deals' own tables.
        auto fields = [](auto fn) {
            return [fn](const sdk::Request& req, sdk::TenantScope& s) { return fn(kDealCustomFields, req, s); };
        };
        auto items = [](auto fn) {
            return [fn](const sdk::Request& req, sdk::TenantScope& s) { return fn(kDealActivities, req, s); };
        };
        r.route({M::Get, "/api/v1/pipelines", "deals.read", listPipelines});
        r.route({M::Post, "/api/v1/pipelines", "deals.admin", once(createPipeline)});
        r.route({M::Get, "/api/v1/pipelines/{id}", "deals.read", getPipeline});
        r.route({M::Patch, "/api/v1/pipelines/{id}", "deals.admin", patchPipeline});
        r.route({M::Delete, "/api/v1/pipelines/{id}", "deals.admin", deletePipeline});
        r.route({M::Get, "/api/v1/pipelines/{id}/board", "deals.read", pipelineBoard});
        r.route({M::Post, "/api/v1/pipelines/{id}/stages", "deals.admin", once(createStage)});
        r.route({M::Post, "/api/v1/pipelines/{id}/stages/reorder", "deals.admin", reorderStages});
        r.route({M::Patch, "/api/v1/pipelines/{id}/stages/{stage_id}", "deals.admin", patchStage});
        r.route({M::Delete, "/api/v1/pipelines/{id}/stages/{stage_id}", "deals.admin", deleteStage});

        r.route({M::Get, "/api/v1/lost-reasons", "deals.read", listLostReasons});
        r.route({M::Post, "/api/v1/lost-reasons", "deals.admin", once(createLostReason)});
        r.route({M::Get, "/api/v1/lost-reasons/{id}", "deals.read", getLostReason});
        r.route({M::Patch, "/api/v1/lost-reasons/{id}", "deals.admin", patchLostReason});
        r.route({M::Delete, "/api/v1/lost-reasons/{id}", "deals.admin", deleteLostReason});

        r.route({M::Get, "/api/v1/deals", "deals.read", listDeals});
        r.route({M::Post, "/api/v1/deals", "deals.write", once(createDealRoute)});
        r.route({M::Get, "/api/v1/deals/forecast", "deals.read", dealForecast});
        r.route({M::Get, "/api/v1/deals/custom-fields", "deals.read", fields(listCustomFields)});
        r.route({M::Post, "/api/v1/deals/custom-fields", "deals.admin", fields(createCustomField)});
        r.route({M::Delete, "/api/v1/deals/custom-fields/{key}", "deals.admin", fields(deleteCustomField)});
        r.route({M::Get, "/api/v1/deals/{id}", "deals.read", getDealRoute});
        r.route({M::Patch, "/api/v1/deals/{id}", "deals.write", patchDealRoute});
        r.route({M::Delete, "/api/v1/deals/{id}", "deals.delete", deleteDealRoute});
        r.route({M::Get, "/api/v1/deals/{id}/history", "deals.read", dealHistoryRoute});

        // The deal must exist and be visible to the caller (404 deal_not_found) before its
        // activities are read or added.
        auto list = [](ActivityFilter which) {
            return [which](const sdk::Request& req, sdk::TenantScope& s) {
                requireVisibleDealSubject({req.param("id")}, s);
                return listActivities(kDealActivities, {req.param("id")}, which, req, s);
            };
        };
        auto create = [once](bool note) {
            return once([note](const sdk::Request& req, sdk::TenantScope& s) {
                requireVisibleDealSubject({req.param("id")}, s);
                return createActivity(kDealActivities, {req.param("id")}, note, req, s);
            });
        };
        r.route({M::Get, "/api/v1/deals/{id}/notes", "deals.read", list(ActivityFilter::Notes)});
        r.route({M::Post, "/api/v1/deals/{id}/notes", "deals.write", create(true)});
        r.route({M::Get, "/api/v1/deals/{id}/activities", "deals.read", list(ActivityFilter::Activities)});
        r.route({M::Post, "/api/v1/deals/{id}/activities", "deals.write", create(false)});
        r.route({M::Get, "/api/v1/deals/{id}/timeline", "deals.read", list(ActivityFilter::All)});
        r.route({M::Get, "/api/v1/deal-activities/{id}", "deals.read", items(getActivity)});
        r.route({M::Patch, "/api/v1/deal-activities/{id}", "deals.write", items(patchActivity)});
        r.route({M::Delete, "/api/v1/deal-activities/{id}", "deals.delete", items(deleteActivity)});

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

    void start(sdk::HostContext& host) override {
        host.everyTenant("purge idempotency keys", std::chrono::hours(1),
                         [](sdk::TenantScope& scope) { purgeIdempotencyKeys(scope.db(), kIdempotencyTable); });
    }
};

}  // namespace tessera::plugins::deals

TESSERA_PLUGIN(tessera::plugins::deals::DealsPlugin, "deals", "1.0.0")
