#include "script_functions.hpp"

#include <map>
#include <string>

#include "resource.hpp"
#include "resource_routes.hpp"

namespace tessera::plugins::contacts {
namespace {

std::string idArgument(const sdk::Json& v) {
    if (v.is_string() && !v.get<std::string>().empty()) return v.get<std::string>();
    if (v.is_object() && v.contains("id") && v["id"].is_string()) return v["id"].get<std::string>();
    throw sdk::ApiError(422, "validation_failed", "give the contact's id", {{"id", "is required"}});
}

std::string scalarText(const sdk::Json& v) {
    if (v.is_string()) return v.get<std::string>();
    if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
    if (v.is_number()) return v.dump();
    throw sdk::ApiError(422, "validation_failed", "filter values must be strings, numbers or booleans");
}

}  // namespace

sdk::Json scriptGetContact(const sdk::Json& args, sdk::TenantScope& scope) {
    try {
        return getVisibleRecord(contactSpec(), scope, idArgument(args));
    } catch (const sdk::ApiError& e) {
        if (e.status() == 404) return nullptr;
        throw;
    }
}

sdk::Json scriptFindContacts(const sdk::Json& args, sdk::TenantScope& scope) {
    // The list parameters of GET /api/v1/contacts, from a search text or a table of filters.
    std::map<std::string, std::string> query;
    if (args.is_string()) {
        query["q"] = args.get<std::string>();
    } else if (args.is_object()) {
        for (const auto& [k, v] : args.items()) {
            if (k == "q" || k == "limit" || k == "sort") {
                query[k] = scalarText(v);
            } else if (v.is_object()) {  // {tags = {contains = "vip"}} -> filter[tags][contains]=vip
                for (const auto& [op, value] : v.items()) query["filter[" + k + "][" + op + "]"] = scalarText(value);
            } else {
                query["filter[" + k + "][eq]"] = scalarText(v);
            }
        }
    } else if (!args.is_null()) {
        throw sdk::ApiError(422, "validation_failed", "crm.contacts.find takes a search text or a table of filters");
    }
    return findVisibleRecords(contactSpec(), query, scope);
}

sdk::Json scriptCreateContact(const sdk::Json& args, sdk::TenantScope& scope) {
    if (!args.is_object()) throw sdk::ApiError(422, "validation_failed", "crm.contacts.create takes a table of fields");
    return createVisibleRecord(contactSpec(), scope, args);
}

sdk::Json scriptUpdateContact(const sdk::Json& args, sdk::TenantScope& scope) {
    std::string id;
    sdk::Json fields;
    if (args.is_array() && args.size() == 2) {
        id = idArgument(args[0]);
        fields = args[1];
    } else if (args.is_object() && args.contains("id")) {
        id = idArgument(args);
        fields = args;
        fields.erase("id");
    } else {
        throw sdk::ApiError(422, "validation_failed", "use crm.contacts.update(id, {field = value})");
    }
    if (!fields.is_object()) throw sdk::ApiError(422, "validation_failed", "the fields must be a table");
    return updateVisibleRecord(contactSpec(), scope, id, std::move(fields));
}

}  // namespace tessera::plugins::contacts
