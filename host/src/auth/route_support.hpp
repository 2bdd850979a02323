#pragma once
// Helpers shared by the auth module's route handlers.

#include <string>
#include <unordered_set>

#include <tessera/sdk/http.hpp>
#include <tessera/sdk/rest/errors.hpp>
#include <tessera/sdk/scope.hpp>

#include "auth/auth_service.hpp"

namespace tessera::host::auth {

// The caller's identity, admitted by the guard for the request `scope` serves; throws 401
// when the route ran without one.
const Identity& callerIdentity(const sdk::TenantScope& scope);

// Writes a security event to the tenant's audit log, attributed to the caller (or to
// `actor_name` when nobody is signed in, e.g. a failed login).
void auditEvent(const sdk::Request& req, sdk::TenantScope& scope, const std::string& action, int status,
                const sdk::Json& details = sdk::Json::object(), const std::string& actor_name = {});

// Field validation answers like every other module's (422 validation_failed naming the field).
using sdk::rest::invalidField;
using sdk::rest::optionalString;
using sdk::rest::requiredString;
// 422 naming `field` unless the caller holds every permission in `granted`: whoever
// manages roles or users can never hand out more than they have themselves.
void requireGrantable(const sdk::TenantScope& scope, const std::unordered_set<std::string>& granted,
                      const std::string& field);
// Whether `id` has the shape of an id this module issues ("<prefix>_<base32>").
bool plausibleId(const std::string& id, const std::string& prefix);
// Puts a message for `to` in the tenant's mail outbox (and logs it in development mode).
void queueEmail(AuthService& auth, sdk::TenantScope& scope, const std::string& kind, const std::string& to,
                const std::string& subject, const std::string& body);

}  // namespace tessera::host::auth
