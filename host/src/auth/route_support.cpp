#include "auth/route_support.hpp"

#include <algorithm>
#include <regex>
#include <vector>

#include "auth/audit_log.hpp"
#include "auth/crypto.hpp"
#include "core/ids.hpp"
#include "tenants/tenant_scope.hpp"

namespace tessera::host::auth {

namespace {

// The identity the guard admitted for the request `scope` serves (the scope keeps it
// alive for the whole call), or null.
const Identity* admitted(const sdk::TenantScope& scope) {
    const auto* host = dynamic_cast<const HostScope*>(&scope);
    return host ? static_cast<const Identity*>(host->caller().get()) : nullptr;
}

}  // namespace

const Identity& callerIdentity(const sdk::TenantScope& scope) {
    if (const Identity* id = admitted(scope)) return *id;
    throw sdk::ApiError(401, "authentication_required", "sign in first");
}

void auditEvent(const sdk::Request& req, sdk::TenantScope& scope, const std::string& action, int status,
                const sdk::Json& details, const std::string& actor_name) {
    AuditEntry e;
    const Identity* id = admitted(scope);
    if (id) {
        e.setActor(id->principal(), id->credential_id);
    } else {
        e.actor_kind = "anonymous";
        e.actor_name = actor_name;
    }
    e.action = action;
    e.method = sdk::methodName(req.method);
    e.route = req.path;
    e.status = status;
    for (const auto& [k, v] : req.path_params) e.record[k] = v.substr(0, 200);
    e.changed_fields = details;
    e.client_address = req.client_address;
    e.request_id = req.request_id;
    writeAudit(scope.db(), e);
}

void requireGrantable(const sdk::TenantScope& scope, const std::unordered_set<std::string>& granted,
                      const std::string& field) {
    const Identity& caller = callerIdentity(scope);
    std::vector<std::string> missing;
    for (const auto& p : granted)
        if (!caller.allows(p)) missing.push_back(p);
    if (missing.empty()) return;
    std::sort(missing.begin(), missing.end());
    invalidField(field, "would grant '" + missing.front() + "', which you do not have");
}

bool plausibleId(const std::string& id, const std::string& prefix) {
    if (id.size() != prefix.size() + kAuthIdChars || id.compare(0, prefix.size(), prefix) != 0) return false;
    for (std::size_t i = prefix.size(); i < id.size(); ++i)
        if (!(std::islower(static_cast<unsigned char>(id[i])) || std::isdigit(static_cast<unsigned char>(id[i]))))
            return false;
    return true;
}

void queueEmail(AuthService& auth, sdk::TenantScope& scope, const std::string& kind, const std::string& to,
                const std::string& subject, const std::string& body) {
    OutgoingMail mail;
    mail.kind = kind;
    mail.to = to;
    mail.subject = subject;
    mail.body = body;
    mail.source = "auth";
    auth.mail().enqueue(scope.db(), scope.tenant().slug, mail);
    // Development only: lets a developer without a mail server follow the link.
    if (auth.settings().development) scope.log().info("outbox email to " + to + ": " + subject + "\n" + body);
}

}  // namespace tessera::host::auth
