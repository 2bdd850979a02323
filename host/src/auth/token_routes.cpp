// API tokens: create (shown once), list, revoke.
#include <regex>

#include "auth/auth_routes.hpp"
#include "auth/crypto.hpp"
#include "auth/route_support.hpp"
#include "auth/tokens.hpp"

namespace tessera::host::auth::routes {

Response listTokens(AuthService&, const Request& req, TenantScope& scope) {
    const Identity& id = callerIdentity(scope);
    sdk::Json data = sdk::Json::array();
    sdk::Rows rows;
    const bool all = id.allows("tokens.manage") && req.queryParam("user_id").has_value();
    if (all) {
        rows = scope.db().query(std::string(kTokenSelect) + " WHERE user_id = ? ORDER BY created_at DESC, id LIMIT 500",
                                {*req.queryParam("user_id")});
    } else {
        rows = scope.db().query(std::string(kTokenSelect) + " WHERE user_id = ? ORDER BY created_at DESC, id LIMIT 500",
                                {id.user_id});
    }
    for (const auto& r : rows) data.push_back(tokenJson(r));
    return Response::json({{"data", data}});
}

Response createToken(AuthService& auth, const Request& req, TenantScope& scope) {
    const Identity& id = callerIdentity(scope);
    const auto body = sdk::parseJsonObject(req);
    TokenRequest t;
    t.user_id = id.user_id;
    t.name = requiredString(body, "name", 100);
    if (auto kind = optionalString(body, "kind", 20)) {
        if (*kind != "personal" && *kind != "service") invalidField("kind", "must be 'personal' or 'service'");
        t.kind = *kind;
    }
    if (auto it = body.find("scopes"); it != body.end() && !it->is_null()) {
        if (!it->is_array() || it->empty() || it->size() > 200) invalidField("scopes", "must be a non-empty list of permissions");
        std::vector<std::string> scopes;
        for (const auto& s : *it) {
            if (!s.is_string() || s.get<std::string>().size() > 100) invalidField("scopes", "must be a list of permission names");
            const std::string name = s.get<std::string>();
            if (!auth.registry().permissionExists(name)) invalidField("scopes", "unknown permission '" + name + "'");
            // A token can never do more than whoever created it.
            if (!id.allows(name)) invalidField("scopes", "you do not have the permission '" + name + "'");
            scopes.push_back(name);
        }
        t.scopes = scopes;
    } else if (id.credential_kind == "token") {
        // A token minted by a scoped token inherits those scopes, not the user's role.
        t.scopes = std::vector<std::string>(id.permissions.begin(), id.permissions.end());
    }
    if (auto it = body.find("expires_in_days"); it != body.end() && !it->is_null()) {
        if (!it->is_number_integer() || it->get<std::int64_t>() < 1 || it->get<std::int64_t>() > 3650)
            invalidField("expires_in_days", "must be a whole number of days from 1 to 3650");
        t.expires_at = isoIn(std::chrono::hours(24 * it->get<std::int64_t>()));
    }
    if (auto it = body.find("expires_at"); it != body.end() && !it->is_null()) {
        if (t.expires_at) invalidField("expires_at", "give expires_at or expires_in_days, not both");
        static const std::regex iso(R"(^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$)");
        if (!it->is_string() || !std::regex_match(it->get<std::string>(), iso))
            invalidField("expires_at", "must be an ISO 8601 UTC time like 2027-01-31T12:00:00Z");
        std::string at = it->get<std::string>();
        if (at.size() == 20) at = at.substr(0, 19) + ".000Z";
        if (at <= isoNow()) invalidField("expires_at", "must be in the future");
        if (at > isoIn(std::chrono::hours(24 * 3650))) invalidField("expires_at", "must be within 10 years");
        t.expires_at = at;
    }
    auto issued = issueToken(scope.db(), t);
    auditEvent(req, scope, "auth.token.created", 201,
               {{"token_id", issued.id}, {"name", t.name}, {"kind", t.kind}, {"scopes", issued.record["scopes"]}});
    sdk::Json out = issued.record;
    out["token"] = issued.secret;
    return Response::json(out, 201);
}

Response revokeToken(AuthService& auth, const Request& req, TenantScope& scope) {
    const Identity& id = callerIdentity(scope);
    const std::string token_id = req.param("id");
    if (!plausibleId(token_id, "tok_")) throw sdk::ApiError(404, "token_not_found", "no such token");
    auto row = scope.db().queryOne("SELECT user_id, revoked_at FROM auth_tokens WHERE id = ?", {token_id});
    if (!row || ((*row)["user_id"].asText() != id.user_id && !id.allows("tokens.manage")))
        throw sdk::ApiError(404, "token_not_found", "no such token");
    scope.db().execute("UPDATE auth_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", {isoNow(), token_id});
    auth.cache().clear();
    auditEvent(req, scope, "auth.token.revoked", 204, {{"token_id", token_id}});
    return Response::empty(204);
}

}  // namespace tessera::host::auth::routes
