#pragma once
// The per-tenant append-only audit log: every state-changing request and every security
// event, with who, what, which record, when, from where and the changed fields (values
// of secret-looking fields masked).

#include <map>
#include <optional>
#include <string>

#include <tessera/sdk/database.hpp>
#include <tessera/sdk/http.hpp>

namespace tessera::host::auth {

struct AuditEntry {
    std::string actor_id;
    std::string actor_kind;  // user, token, anonymous, system
    std::string actor_name;
    std::string credential_id;
    std::string action;  // "POST /api/v1/contacts" or an event ("auth.login.succeeded")
    std::string method;
    std::string route;
    int status = 0;
    sdk::Json record = sdk::Json::object();          // path params
    sdk::Json changed_fields = sdk::Json::object();  // masked body keys
    std::string client_address;
    std::string request_id;

    // Attributes the entry to `who`, signed in with `credential` (a tok_ or ses_ id).
    void setActor(const sdk::Principal& who, const std::string& credential) {
        actor_id = who.id;
        actor_kind = who.kind;
        actor_name = who.display_name;
        credential_id = credential;
    }
};

void writeAudit(sdk::Database& db, const AuditEntry& entry);

// The body's top-level keys with values; secrets become "***" and long values are cut.
sdk::Json maskedFields(const std::string& body);
bool secretLooking(const std::string& key);

struct AuditQuery {
    std::optional<std::string> actor;
    std::optional<std::string> action;  // exact, or a prefix ending in '*'
    std::optional<std::string> since, until;
    std::optional<std::int64_t> before_id;  // cursor
    int limit = 50;
};

// Newest first. Returns the page and the cursor of the next one (empty at the end).
std::pair<sdk::Json, std::string> queryAudit(sdk::Database& db, const AuditQuery& q);

}  // namespace tessera::host::auth
