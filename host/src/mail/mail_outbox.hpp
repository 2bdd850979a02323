#pragma once
// The host's outbox for e-mail. Auth (password resets, invitations) and workflows
// (crm.email.send) queue messages here inside their own transactions, so a message
// exists exactly when the change that caused it committed; the MailSender delivers
// them later, with retries, and never while a request waits.

#include <chrono>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include <tessera/sdk/database.hpp>
#include <tessera/sdk/http.hpp>

namespace tessera::host {

struct OutgoingMail {
    std::string kind = "email";  // what queued it: "password_reset", "invitation", "workflow"
    std::string to;
    std::string subject;
    std::string body;           // either a body...
    std::string template_name;  // ...or a tenant template rendered with `data`
    sdk::Json data = sdk::Json::object();
    std::string source;  // e.g. "workflow:wf_..." or "auth"
};

// "" when `to` is one plain address and `subject` one line, else what is wrong. Header
// injection is refused here, before anything is stored.
std::string mailProblem(const OutgoingMail& mail);

class MailOutbox {
public:
    // Stores the message in the tenant database `db` and returns its id ("mail_...");
    // throws std::invalid_argument with mailProblem() for a malformed one.
    std::string enqueue(sdk::Database& db, const std::string& tenant_slug, const OutgoingMail& mail);

    // Tenants that queued mail since the sender last looked, so it need not poll every
    // tenant database each tick. A tenant stays listed for a short grace period because
    // the queuing transaction may commit after the sender's first look.
    std::vector<std::string> recentlyQueued();

    static constexpr std::chrono::seconds kCommitGrace{5};

private:
    std::mutex mutex_;
    std::unordered_map<std::string, std::chrono::steady_clock::time_point> queued_;
};

}  // namespace tessera::host
