// GET /api/v1/audit: the tenant's audit log, newest first, filtered and paginated.
#include <regex>

#include <tessera/sdk/rest/errors.hpp>

#include "auth/audit_log.hpp"
#include "auth/auth_routes.hpp"
#include "auth/route_support.hpp"

namespace tessera::host::auth::routes {
namespace {

using sdk::rest::badQuery;

std::string timestampParam(const Request& req, const std::string& name) {
    static const std::regex iso(R"(^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?Z?)?$)");
    const std::string v = *req.queryParam(name);
    if (!std::regex_match(v, iso)) badQuery(name, "must be an ISO 8601 UTC time, e.g. 2026-01-31T12:00:00Z");
    return v;
}

}  // namespace

Response listAudit(AuthService&, const Request& req, TenantScope& scope) {
    AuditQuery q;
    if (auto v = req.queryParam("actor")) {
        if (v->size() > 100) badQuery("actor", "is too long");
        q.actor = *v;
    }
    if (auto v = req.queryParam("action")) {
        if (v->size() > 300) badQuery("action", "is too long");
        q.action = *v;
    }
    if (req.queryParam("since")) q.since = timestampParam(req, "since");
    if (req.queryParam("until")) q.until = timestampParam(req, "until");
    if (auto v = req.queryParam("limit")) {
        static const std::regex num(R"(^[0-9]{1,3}$)");
        if (!std::regex_match(*v, num) || std::stoi(*v) < 1 || std::stoi(*v) > 200)
            badQuery("limit", "must be a whole number from 1 to 200");
        q.limit = std::stoi(*v);
    }
    if (auto v = req.queryParam("cursor")) {
        static const std::regex cursor(R"(^a[0-9]{1,18}$)");
        if (!std::regex_match(*v, cursor)) badQuery("cursor", "is not a cursor this API returned");
        q.before_id = std::stoll(v->substr(1));
    }
    auto [data, next] = queryAudit(scope.db(), q);
    return Response::json({{"data", data}, {"next_cursor", next.empty() ? sdk::Json(nullptr) : sdk::Json(next)}});
}

}  // namespace tessera::host::auth::routes
