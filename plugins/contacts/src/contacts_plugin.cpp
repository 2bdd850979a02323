// The contacts plugin: its whole surface (migrations, permissions, routes, events,
// service) is declared here, in one place.

#include <fstream>
#include <iterator>
#include <memory>

#include <tessera/sdk.hpp>
#include <tessera/sdk/migrations.hpp>
#include <tessera/sdk/rest/activities.hpp>
#include <tessera/sdk/rest/custom_fields.hpp>
#include <tessera/sdk/rest/idempotency.hpp>

#include "contacts_service.hpp"
#include "csv.hpp"
#include "resource_routes.hpp"
#include "script_functions.hpp"

namespace tessera::plugins::contacts {

using namespace sdk::rest;

// Created by migrations/0004_create_idempotency_keys.sql.
constexpr const char* kIdempotencyTable = "contacts_idempotency_keys";

class ContactsPlugin final : public sdk::Plugin {
public:
    void declare(sdk::Registrar& r) override {
        r.migrations(sdk::embeddedMigrations());

        r.permission("contacts.read", "Read contacts, companies, notes and activities");
        r.countsRecords("contacts_contacts");
        r.countsRecords("contacts_companies");
        r.permission("contacts.write", "Create and update contacts, companies, notes and activities");
        r.permission("contacts.delete", "Delete contacts, companies, notes and activities");
        r.permission("contacts.admin", "Define and remove custom fields of contacts and companies");
        r.permission("contacts.import", "Import contacts and companies from CSV");
        r.permission("contacts.export", "Export contacts and companies as CSV");

        declareCollection(r, contactSpec());
        declareCollection(r, companySpec());

        using M = sdk::Method;
        auto items = [](auto fn) {
            return [fn](const sdk::Request& req, sdk::TenantScope& s) { return fn(kActivities, req, s); };
        };
        r.route({M::Get, "/api/v1/activities/{id}", "contacts.read", items(getActivity)});
        r.route({M::Patch, "/api/v1/activities/{id}", "contacts.write", items(patchActivity)});
        r.route({M::Delete, "/api/v1/activities/{id}", "contacts.delete", items(deleteActivity)});

        for (const char* event : {"contact.created", "contact.updated", "contact.deleted", "company.created",
                                  "company.updated", "company.deleted"})
            r.publishes(event);
        for (const char* point : {"contact.create", "contact.update", "company.create", "company.update"})
            r.runsBeforeHooks(point);

        r.provide<services::ContactsService>(service_);

        r.command({"import", "Import contacts (or --collection companies) from a CSV file, with progress",
                   "FILE.csv [--collection contacts|companies] [--mode all|partial]", importCommand});

        // Lua workflows: crm.contacts.get/find/create/update, with the same rules as the API.
        r.scriptFunction("contacts.get", "contacts.read", scriptGetContact);
        r.scriptFunction("contacts.find", "contacts.read", scriptFindContacts);
        r.scriptFunction("contacts.create", "contacts.write", scriptCreateContact);
        r.scriptFunction("contacts.update", "contacts.write", scriptUpdateContact);
    }

    void start(sdk::HostContext& host) override {
        host.everyTenant("purge idempotency keys", std::chrono::hours(1),
                         [](sdk::TenantScope& scope) { purgeIdempotencyKeys(scope.db(), kIdempotencyTable); });
    }

private:
    // `tessera contacts import FILE ...`: the route's import, without the body limit.
    static void importCommand(const sdk::CommandArgs& args, sdk::TenantScope& scope, sdk::Progress& progress,
                              std::ostream& out) {
        if (args.positional.size() != 1) throw sdk::ApiError(400, "usage", "name exactly one CSV file");
        const std::string collection = args.options.count("collection") ? args.options.at("collection") : "contacts";
        if (collection != "contacts" && collection != "companies")
            throw sdk::ApiError(400, "usage", "--collection must be contacts or companies");
        const std::string mode = args.options.count("mode") ? args.options.at("mode") : "all";
        if (mode != "all" && mode != "partial") throw sdk::ApiError(400, "usage", "--mode must be all or partial");
        for (const auto& [key, value] : args.options)
            if (key != "collection" && key != "mode") throw sdk::ApiError(400, "usage", "unknown option --" + key);
        std::ifstream in(args.positional[0], std::ios::binary);
        if (!in) throw sdk::ApiError(400, "usage", "cannot read " + args.positional[0]);
        const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        const auto outcome = importCsvText(collection == "contacts" ? contactSpec() : companySpec(), scope, text,
                                           mode == "partial", &progress);
        for (const auto& e : outcome.errors) out << "row " << e["row"].dump() << ": " << e["fields"].dump() << "\n";
        if (!outcome.committed)
            throw sdk::ApiError(422, "validation_failed",
                                std::to_string(outcome.failed) + " of " + std::to_string(outcome.rows) +
                                    " rows are not valid; nothing was imported");
        out << "imported " << outcome.imported << " of " << outcome.rows << " rows into " << collection;
        if (outcome.failed) out << " (" << outcome.failed << " rows skipped)";
        out << "\n";
    }

    // The same routes for contacts and companies, from their specs.
    static void declareCollection(sdk::Registrar& r, const ResourceSpec& spec) {
        using M = sdk::Method;
        const std::string base = "/api/v1/" + spec.plural;
        auto bind = [&spec](auto fn) {
            return [&spec, fn](const sdk::Request& req, sdk::TenantScope& scope) { return fn(spec, req, scope); };
        };
        auto once = [](sdk::Handler h) { return idempotent(kIdempotencyTable, std::move(h)); };
        r.route({M::Get, base, "contacts.read", bind(listRecords)});
        r.route({M::Post, base, "contacts.write", once(bind(createRecordRoute))});
        r.route({M::Get, base + "/{id}", "contacts.read", bind(getRecordRoute)});
        r.route({M::Patch, base + "/{id}", "contacts.write", bind(patchRecordRoute)});
        r.route({M::Delete, base + "/{id}", "contacts.delete", bind(deleteRecordRoute)});

        r.route({M::Get, base + "/export", "contacts.export", bind(exportCsv)});
        r.route({M::Post, base + "/import", "contacts.import", once(bind(importCsv))});

        // Custom fields, notes and activities are the SDK helpers bound to contacts' tables.
        auto fields = [store = spec.customFields()](auto fn) {
            return [store, fn](const sdk::Request& req, sdk::TenantScope& s) { return fn(store, req, s); };
        };
        r.route({M::Get, base + "/custom-fields", "contacts.read", fields(listCustomFields)});
        r.route({M::Post, base + "/custom-fields", "contacts.admin", fields(createCustomField)});
        r.route({M::Delete, base + "/custom-fields/{key}", "contacts.admin", fields(deleteCustomField)});

        // The record must exist and be visible to the caller before its activities are.
        auto list = [&spec](ActivityFilter which) {
            return [&spec, which](const sdk::Request& req, sdk::TenantScope& s) {
                requireVisibleRecord(spec, req.param("id"), s);
                return listActivities(kActivities, {spec.singular, req.param("id")}, which, req, s);
            };
        };
        auto create = [&spec, once](bool note) {
            return once([&spec, note](const sdk::Request& req, sdk::TenantScope& s) {
                requireVisibleRecord(spec, req.param("id"), s);
                return createActivity(kActivities, {spec.singular, req.param("id")}, note, req, s);
            });
        };
        r.route({M::Get, base + "/{id}/notes", "contacts.read", list(ActivityFilter::Notes)});
        r.route({M::Post, base + "/{id}/notes", "contacts.write", create(true)});
        r.route({M::Get, base + "/{id}/activities", "contacts.read", list(ActivityFilter::Activities)});
        r.route({M::Post, base + "/{id}/activities", "contacts.write", create(false)});
        r.route({M::Get, base + "/{id}/timeline", "contacts.read", list(ActivityFilter::All)});
    }

    std::shared_ptr<ContactsServiceImpl> service_ = std::make_shared<ContactsServiceImpl>();
};

}  // namespace tessera::plugins::contacts

TESSERA_PLUGIN(tessera::plugins::contacts::ContactsPlugin, "contacts", "1.0.0")
