// The contacts plugin: its whole surface (migrations, permissions, routes, events,
// service) is declared here, in one place.

#include <chrono>
#include <fstream>
#include <iterator>
#include <memory>

#include <tessera/sdk.hpp>
#include <tessera/sdk/migrations.hpp>
#include <tessera/sdk/rest/activities.hpp>
#include <tessera/sdk/rest/custom_fields.hpp>

#include "contacts_service.hpp"
#include "csv.hpp"
#include "records.hpp"
#include "resource_routes.hpp"
#include "script_functions.hpp"

namespace tessera::plugins::contacts {

using namespace sdk::rest;

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

        // Contacts and companies share their handlers, bound to the collection's spec
        // (resource.hpp); custom fields and activities are the SDK's, on contacts' tables.
        using M = sdk::Method;
        const ResourceSpec& contacts = contactSpec();
        const ResourceSpec& companies = companySpec();
        r.route({.method = M::Get, .path = "/api/v1/contacts", .permission = "contacts.read",
                 .handler = sdk::bindHandler(listRecords, std::cref(contacts))});
        r.route({.method = M::Post, .path = "/api/v1/contacts", .permission = "contacts.write",
                 .handler = sdk::bindHandler(createRecordRoute, std::cref(contacts)), .idempotent = true});
        r.route({.method = M::Get, .path = "/api/v1/contacts/{id}", .permission = "contacts.read",
                 .handler = sdk::bindHandler(getRecordRoute, std::cref(contacts))});
        r.route({.method = M::Patch, .path = "/api/v1/contacts/{id}", .permission = "contacts.write",
                 .handler = sdk::bindHandler(patchRecordRoute, std::cref(contacts))});
        r.route({.method = M::Delete, .path = "/api/v1/contacts/{id}", .permission = "contacts.delete",
                 .handler = sdk::bindHandler(deleteRecordRoute, std::cref(contacts))});
        r.route({.method = M::Get, .path = "/api/v1/contacts/export", .permission = "contacts.export",
                 .handler = sdk::bindHandler(exportCsv, std::cref(contacts))});
        r.route({.method = M::Post, .path = "/api/v1/contacts/import", .permission = "contacts.import",
                 .handler = sdk::bindHandler(importCsv, std::cref(contacts)), .idempotent = true});
        r.route({.method = M::Get, .path = "/api/v1/contacts/{id}/notes", .permission = "contacts.read",
                 .handler = sdk::bindHandler(listRecordNotes, std::cref(contacts))});
        r.route({.method = M::Post, .path = "/api/v1/contacts/{id}/notes", .permission = "contacts.write",
                 .handler = sdk::bindHandler(addRecordNote, std::cref(contacts)), .idempotent = true});
        r.route({.method = M::Get, .path = "/api/v1/contacts/{id}/activities", .permission = "contacts.read",
                 .handler = sdk::bindHandler(listRecordActivities, std::cref(contacts))});
        r.route({.method = M::Post, .path = "/api/v1/contacts/{id}/activities", .permission = "contacts.write",
                 .handler = sdk::bindHandler(addRecordActivity, std::cref(contacts)), .idempotent = true});
        r.route({.method = M::Get, .path = "/api/v1/contacts/{id}/timeline", .permission = "contacts.read",
                 .handler = sdk::bindHandler(recordTimeline, std::cref(contacts))});
        r.route({.method = M::Get, .path = "/api/v1/contacts/custom-fields", .permission = "contacts.read",
                 .handler = sdk::bindHandler(listCustomFields, contacts.customFields())});
        r.route({.method = M::Post, .path = "/api/v1/contacts/custom-fields", .permission = "contacts.admin",
                 .handler = sdk::bindHandler(createCustomField, contacts.customFields())});
        r.route({.method = M::Delete, .path = "/api/v1/contacts/custom-fields/{key}", .permission = "contacts.admin",
                 .handler = sdk::bindHandler(deleteCustomField, contacts.customFields())});

        r.route({.method = M::Get, .path = "/api/v1/companies", .permission = "contacts.read",
                 .handler = sdk::bindHandler(listRecords, std::cref(companies))});
        r.route({.method = M::Post, .path = "/api/v1/companies", .permission = "contacts.write",
                 .handler = sdk::bindHandler(createRecordRoute, std::cref(companies)), .idempotent = true});
        r.route({.method = M::Get, .path = "/api/v1/companies/{id}", .permission = "contacts.read",
                 .handler = sdk::bindHandler(getRecordRoute, std::cref(companies))});
        r.route({.method = M::Patch, .path = "/api/v1/companies/{id}", .permission = "contacts.write",
                 .handler = sdk::bindHandler(patchRecordRoute, std::cref(companies))});
        r.route({.method = M::Delete, .path = "/api/v1/companies/{id}", .permission = "contacts.delete",
                 .handler = sdk::bindHandler(deleteRecordRoute, std::cref(companies))});
        r.route({.method = M::Get, .path = "/api/v1/companies/export", .permission = "contacts.export",
                 .handler = sdk::bindHandler(exportCsv, std::cref(companies))});
        r.route({.method = M::Post, .path = "/api/v1/companies/import", .permission = "contacts.import",
                 .handler = sdk::bindHandler(importCsv, std::cref(companies)), .idempotent = true});
        r.route({.method = M::Get, .path = "/api/v1/companies/{id}/notes", .permission = "contacts.read",
                 .handler = sdk::bindHandler(listRecordNotes, std::cref(companies))});
        r.route({.method = M::Post, .path = "/api/v1/companies/{id}/notes", .permission = "contacts.write",
                 .handler = sdk::bindHandler(addRecordNote, std::cref(companies)), .idempotent = true});
        r.route({.method = M::Get, .path = "/api/v1/companies/{id}/activities", .permission = "contacts.read",
                 .handler = sdk::bindHandler(listRecordActivities, std::cref(companies))});
        r.route({.method = M::Post, .path = "/api/v1/companies/{id}/activities", .permission = "contacts.write",
                 .handler = sdk::bindHandler(addRecordActivity, std::cref(companies)), .idempotent = true});
        r.route({.method = M::Get, .path = "/api/v1/companies/{id}/timeline", .permission = "contacts.read",
                 .handler = sdk::bindHandler(recordTimeline, std::cref(companies))});
        r.route({.method = M::Get, .path = "/api/v1/companies/custom-fields", .permission = "contacts.read",
                 .handler = sdk::bindHandler(listCustomFields, companies.customFields())});
        r.route({.method = M::Post, .path = "/api/v1/companies/custom-fields", .permission = "contacts.admin",
                 .handler = sdk::bindHandler(createCustomField, companies.customFields())});
        r.route({.method = M::Delete, .path = "/api/v1/companies/custom-fields/{key}", .permission = "contacts.admin",
                 .handler = sdk::bindHandler(deleteCustomField, companies.customFields())});

        r.route({.method = M::Get, .path = "/api/v1/activities/{id}", .permission = "contacts.read",
                 .handler = sdk::bindHandler(getActivity, kActivities)});
        r.route({.method = M::Patch, .path = "/api/v1/activities/{id}", .permission = "contacts.write",
                 .handler = sdk::bindHandler(patchActivity, kActivities)});
        r.route({.method = M::Delete, .path = "/api/v1/activities/{id}", .permission = "contacts.delete",
                 .handler = sdk::bindHandler(deleteActivity, kActivities)});

        for (const char* event : {"contact.created", "contact.updated", "contact.deleted", "company.created",
                                  "company.updated", "company.deleted"})
            r.publishes(event);
        for (const char* point : {"contact.create", "contact.update", "company.create", "company.update"})
            r.runsBeforeHooks(point);

        r.provide<services::ContactsService>(service_);

        r.command({"import", "Import contacts (or --collection companies) from a CSV file, with progress",
                   "FILE.csv [--collection contacts|companies] [--mode all|partial]", importCommand});
        r.command({"refresh-search", "Rewrite the search keys an older release folded differently (also runs by itself)",
                   "", refreshSearchCommand});

        // Lua workflows: crm.contacts.get/find/create/update, with the same rules as the API.
        r.scriptFunction("contacts.get", "contacts.read", scriptGetContact);
        r.scriptFunction("contacts.find", "contacts.read", scriptFindContacts);
        r.scriptFunction("contacts.create", "contacts.write", scriptCreateContact);
        r.scriptFunction("contacts.update", "contacts.write", scriptUpdateContact);
    }

    void start(sdk::HostContext& host) override {
        // Rows written by an older release are found again within minutes of an upgrade;
        // once none is left this costs one indexed query per table and tenant.
        host.everyTenant("refresh search keys", std::chrono::minutes(10), [](sdk::TenantScope& scope) {
            refreshSearchKeys(scope.db(), contactSpec());
            refreshSearchKeys(scope.db(), companySpec());
        });
    }

private:
    // `tessera contacts refresh-search --tenant T`: what start()'s job does, now.
    static void refreshSearchCommand(const sdk::CommandArgs& args, sdk::TenantScope& scope, sdk::Progress&,
                                     std::ostream& out) {
        if (!args.positional.empty() || !args.options.empty())
            throw sdk::ApiError(400, "usage", "refresh-search takes no arguments besides --tenant");
        const auto contacts = refreshSearchKeys(scope.db(), contactSpec());
        const auto companies = refreshSearchKeys(scope.db(), companySpec());
        out << "refreshed the search keys of " << contacts << " contacts and " << companies << " companies\n";
    }

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

    std::shared_ptr<ContactsServiceImpl> service_ = std::make_shared<ContactsServiceImpl>();
};

}  // namespace tessera::plugins::contacts

TESSERA_PLUGIN(tessera::plugins::contacts::ContactsPlugin)
