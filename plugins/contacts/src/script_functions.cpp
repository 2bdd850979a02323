#include "script_functions.hpp"

#include "resource.hpp"
#include "resource_routes.hpp"

namespace tessera::plugins::contacts {
namespace {

sdk::Request baseRequest(sdk::TenantScope& scope, sdk::Method method) {
    sdk::Request req;
    req.method = method;
    req.path = "/api/v1/contacts";
    req.tenant = scope.tenant();
    req.principal = scope.principal();
    req.request_id = "workflow";
    return req;
}

// A route's answer as the function's result; error answers become ApiError, which the
// script receives as `nil, message`.
sdk::Json unwrap(const sdk::Response& r) {
    sdk::Json body = sdk::parseJson(r.body);
    if (r.status >= 400) {
        std::string code = "error", message = "request failed";
        sdk::Json fields = sdk::Json::object();
        if (body.is_object() && body.contains("error") && body["error"].is_object()) {
            code = body["error"].value("code", code);
            message = body["error"].value("message", message);
            fields = body["error"].value("fields", fields);
        }
        throw sdk::ApiError(r.status, code, message, fields);
    }
    return body.is_discarded() ? sdk::Json() : body;
}

std::string idArgument(const sdk::Json& v) {
    if (v.is_string() && !v.get<std::string>().empty()) return v.get<std::string>();
    if (v.is_object() && v.contains("id") && v["id"].is_string()) return v["id"].get<std::string>();
    throw sdk::ApiError(422, "validation_failed", "give the contact's id", {{"id", "required"}});
}

std::string scalarText(const sdk::Json& v) {
    if (v.is_string()) return v.get<std::string>();
    if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
    if (v.is_number()) return v.dump();
    throw sdk::ApiError(422, "validation_failed", "filter values must be strings, numbers or booleans");
}

}  // namespace

sdk::Json scriptGetContact(const sdk::Json& args, sdk::TenantScope& scope) {
    auto req = baseRequest(scope, sdk::Method::Get);
    req.path_params["id"] = idArgument(args);
    req.path += "/" + req.path_params["id"];
    try {
        return unwrap(getRecordRoute(contactSpec(), req, scope));
    } catch (const sdk::ApiError& e) {
        if (e.status() == 404) return nullptr;
        throw;
    }
}

sdk::Json scriptFindContacts(const sdk::Json& args, sdk::TenantScope& scope) {
    auto req = baseRequest(scope, sdk::Method::Get);
    if (args.is_string()) {
        req.query["q"] = args.get<std::string>();
    } else if (args.is_object()) {
        for (const auto& [k, v] : args.items()) {
            if (k == "q" || k == "limit" || k == "sort") {
                req.query[k] = scalarText(v);
            } else if (v.is_object()) {  // {tags = {contains = "vip"}} -> filter[tags][contains]=vip
                for (const auto& [op, value] : v.items()) req.query["filter[" + k + "][" + op + "]"] = scalarText(value);
            } else {
                req.query["filter[" + k + "][eq]"] = scalarText(v);
            }
        }
    } else if (!args.is_null()) {
        throw sdk::ApiError(422, "validation_failed", "crm.contacts.find takes a search text or a table of filters");
    }
    auto page = unwrap(listRecords(contactSpec(), req, scope));
    return page.is_object() && page.contains("data") ? page["data"] : sdk::Json::array();
}

sdk::Json scriptCreateContact(const sdk::Json& args, sdk::TenantScope& scope) {
    if (!args.is_object()) throw sdk::ApiError(422, "validation_failed", "crm.contacts.create takes a table of fields");
    auto req = baseRequest(scope, sdk::Method::Post);
    req.body = args.dump();
    req.headers["Content-Type"] = "application/json";
    return unwrap(createRecordRoute(contactSpec(), req, scope));
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
    auto req = baseRequest(scope, sdk::Method::Patch);
    req.path_params["id"] = id;
    req.path += "/" + id;
    req.body = fields.dump();
    req.headers["Content-Type"] = "application/json";
    return unwrap(patchRecordRoute(contactSpec(), req, scope));
}

}  // namespace tessera::plugins::contacts
