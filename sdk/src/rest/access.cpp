#include <tessera/sdk/rest/access.hpp>

namespace tessera::sdk::rest {

Json visible(const AccessRules& rules, Json record) {
    for (const auto& f : rules.hidden_fields) record.erase(f);
    return record;
}

void requireOwned(const AccessRules& rules, const TenantScope& scope, const Json& record, const std::string& singular) {
    if (!rules.own_records_only) return;
    const auto owner = record.find("owner_id");
    if (owner == record.end() || !owner->is_string() || *owner != scope.principal().id)
        throw ApiError(404, singular + "_not_found", "no such " + singular);
}

void checkWrite(const AccessRules& rules, const TenantScope& scope, Json& body, bool creating) {
    for (const auto& [key, value] : body.items())
        if (rules.hidden(key))
            throw ApiError(422, "validation_failed", "the field '" + key + "' is not writable with your role",
                           {{key, "is hidden for your role"}});
    if (!rules.own_records_only) return;
    if (body.contains("owner_id") && body["owner_id"] != scope.principal().id)
        throw ApiError(422, "validation_failed",
                       creating ? "your role can only create records it owns" : "your role cannot give records away",
                       {{"owner_id", "must be your own id"}});
    if (creating) body["owner_id"] = scope.principal().id;
}

void refuseHiddenInQuery(const AccessRules& rules, const std::map<std::string, std::string>& query) {
    for (const auto& [key, value] : query)
        for (const auto& hidden : rules.hidden_fields)
            if (key.find("[" + hidden + "]") != std::string::npos || (key == "sort" && value.find(hidden) != std::string::npos))
                throw ApiError(400, "invalid_query", key + ": the field '" + hidden + "' is hidden for your role",
                               {{key, "names a hidden field"}});
}

std::string ownerCondition(const AccessRules& rules, const TenantScope& scope, const std::string& owner_column,
                           Params& params) {
    if (!rules.own_records_only) return "";
    params.emplace_back(scope.principal().id);
    return owner_column + " = ?";
}

}  // namespace tessera::sdk::rest
