#include "auth/permissions.hpp"

#include <regex>

namespace tessera::host::auth {
namespace {

bool ownedByAuth(const Registry& registry, const std::string& permission) {
    auto it = registry.permissions().find(permission);
    return it != registry.permissions().end() && it->second.first == kAuthModule;
}

std::string lastSegment(const std::string& name) {
    const auto dot = name.rfind('.');
    return dot == std::string::npos ? name : name.substr(dot + 1);
}

bool matches(const std::string& pattern, const std::string& name, const Registry& registry) {
    if (pattern == "*") return true;
    if (pattern == name) return true;
    if (ownedByAuth(registry, name)) return false;
    if (pattern.size() > 2 && pattern.compare(pattern.size() - 2, 2, ".*") == 0)
        return name.rfind(pattern.substr(0, pattern.size() - 1), 0) == 0;
    if (pattern.size() > 2 && pattern.compare(0, 2, "*.") == 0) {
        const std::string suffix = pattern.substr(1);
        return name.size() > suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0;
    }
    return false;
}

}  // namespace

bool isBuiltinRole(const std::string& id) {
    return id == "owner" || id == "admin" || id == "member" || id == "readonly";
}

std::unordered_set<std::string> builtinRolePermissions(const std::string& role, const Registry& registry) {
    static const std::set<std::string> member_actions = {"read", "write", "create", "update", "delete", "import", "export"};
    std::unordered_set<std::string> out;
    for (const auto& [name, owner_desc] : registry.permissions()) {
        const bool auth = owner_desc.first == kAuthModule;
        bool grant = false;
        if (role == "owner") grant = true;
        else if (role == "admin") grant = name != "roles.manage";
        else if (role == "member") grant = auth ? name == "users.read" : member_actions.count(lastSegment(name)) > 0;
        else if (role == "readonly") grant = !auth && lastSegment(name) == "read";
        if (grant) out.insert(name);
    }
    return out;
}

std::unordered_set<std::string> compilePatterns(const std::vector<std::string>& patterns, const Registry& registry) {
    std::unordered_set<std::string> out;
    for (const auto& [name, owner_desc] : registry.permissions())
        for (const auto& p : patterns)
            if (matches(p, name, registry)) {
                out.insert(name);
                break;
            }
    return out;
}

std::string patternProblem(const std::string& pattern, const Registry& registry) {
    static const std::regex shape(R"(^(\*|\*\.[a-z][a-z0-9_]*|[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*(\.\*)?)$)");
    if (pattern.size() > 100 || !std::regex_match(pattern, shape))
        return "'" + pattern.substr(0, 100) + "' is not a permission name or pattern";
    if (pattern.find('*') == std::string::npos && !registry.permissionExists(pattern))
        return "unknown permission '" + pattern + "'";
    return {};
}

std::map<std::string, sdk::AccessRules> parseAccess(const sdk::Json& json) {
    std::map<std::string, sdk::AccessRules> out;
    if (!json.is_object()) return out;
    for (const auto& [resource, rules] : json.items()) {
        sdk::AccessRules r;
        if (rules.contains("own_records_only") && rules["own_records_only"].is_boolean())
            r.own_records_only = rules["own_records_only"].get<bool>();
        if (rules.contains("hidden_fields") && rules["hidden_fields"].is_array())
            for (const auto& f : rules["hidden_fields"])
                if (f.is_string()) r.hidden_fields.insert(f.get<std::string>());
        out[resource] = std::move(r);
    }
    return out;
}

sdk::Json accessToJson(const std::map<std::string, sdk::AccessRules>& access) {
    sdk::Json out = sdk::Json::object();
    for (const auto& [resource, r] : access)
        out[resource] = {{"own_records_only", r.own_records_only}, {"hidden_fields", r.hidden_fields}};
    return out;
}

void validateAccess(const sdk::Json& json) {
    static const std::regex name(R"(^[a-z][a-z0-9_]{0,62}$)");
    if (!json.is_object())
        throw sdk::ApiError(422, "validation_failed", "the role is invalid", {{"access", "must be an object"}});
    for (const auto& [resource, rules] : json.items()) {
        const std::string field = "access." + resource.substr(0, 64);
        if (!std::regex_match(resource, name))
            throw sdk::ApiError(422, "validation_failed", "the role is invalid", {{field, "is not a resource name"}});
        if (!rules.is_object())
            throw sdk::ApiError(422, "validation_failed", "the role is invalid", {{field, "must be an object"}});
        for (const auto& [key, value] : rules.items()) {
            if (key == "own_records_only") {
                if (!value.is_boolean())
                    throw sdk::ApiError(422, "validation_failed", "the role is invalid",
                                        {{field + ".own_records_only", "must be true or false"}});
            } else if (key == "hidden_fields") {
                bool ok = value.is_array() && value.size() <= 100;
                if (ok)
                    for (const auto& f : value) ok = ok && f.is_string() && std::regex_match(f.get<std::string>(), name);
                if (!ok)
                    throw sdk::ApiError(422, "validation_failed", "the role is invalid",
                                        {{field + ".hidden_fields", "must be a list of field names"}});
            } else {
                throw sdk::ApiError(422, "validation_failed", "the role is invalid",
                                    {{field + "." + key.substr(0, 64), "is not a known option"}});
            }
        }
    }
}

}  // namespace tessera::host::auth
