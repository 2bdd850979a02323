#include "auth/route_support.hpp"

#include <algorithm>
#include <regex>
#include <vector>

#include "auth/audit_log.hpp"
#include "auth/crypto.hpp"

namespace tessera::host::auth {

const Identity& callerIdentity() {
    const IdentityPtr& id = currentIdentity();
    if (!id) throw sdk::ApiError(401, "authentication_required", "sign in first");
    return *id;
}

void auditEvent(const sdk::Request& req, sdk::TenantScope& scope, const std::string& action, int status,
                const sdk::Json& details, const std::string& actor_name) {
    AuditEntry e;
    const IdentityPtr& id = currentIdentity();
    if (id) {
        const auto p = id->principal();
        e.actor_id = p.id;
        e.actor_kind = p.kind;
        e.actor_name = p.display_name;
        e.credential_id = id->credential_id;
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

void invalidField(const std::string& field, const std::string& problem) {
    throw sdk::ApiError(422, "validation_failed", field + " " + problem, {{field, problem}});
}

std::string requiredString(const sdk::Json& body, const std::string& field, std::size_t max) {
    auto it = body.find(field);
    if (it == body.end() || it->is_null()) invalidField(field, "is required");
    if (!it->is_string()) invalidField(field, "must be a string");
    const auto& s = it->get_ref<const std::string&>();
    if (s.empty()) invalidField(field, "must not be empty");
    if (s.size() > max) invalidField(field, "must be at most " + std::to_string(max) + " characters");
    return s;
}

std::optional<std::string> optionalString(const sdk::Json& body, const std::string& field, std::size_t max) {
    auto it = body.find(field);
    if (it == body.end() || it->is_null()) return std::nullopt;
    return requiredString(body, field, max);
}

void requireGrantable(const std::unordered_set<std::string>& granted, const std::string& field) {
    const Identity& caller = callerIdentity();
    std::vector<std::string> missing;
    for (const auto& p : granted)
        if (!caller.allows(p)) missing.push_back(p);
    if (missing.empty()) return;
    std::sort(missing.begin(), missing.end());
    invalidField(field, "would grant '" + missing.front() + "', which you do not have");
}

bool plausibleId(const std::string& id, const std::string& prefix) {
    if (id.size() != prefix.size() + 16 || id.compare(0, prefix.size(), prefix) != 0) return false;
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
