#include "mail/mail_outbox.hpp"

#include <stdexcept>

#include "core/clock.hpp"
#include "core/ids.hpp"

namespace tessera::host {

std::string mailProblem(const OutgoingMail& mail) {
    const auto& to = mail.to;
    const auto at = to.find('@');
    if (to.empty() || to.size() > 254 || at == std::string::npos || at == 0 || at + 1 == to.size() ||
        to.find('@', at + 1) != std::string::npos || to.find_first_of(" \t\r\n,;<>\"()") != std::string::npos)
        return "'to' must be one e-mail address";
    if (mail.subject.empty() || mail.subject.size() > 200 || mail.subject.find_first_of("\r\n") != std::string::npos)
        return "'subject' must be one line of 1-200 characters";
    if (mail.body.empty() == mail.template_name.empty()) return "give either 'body' or 'template'";
    if (mail.body.size() > 1024 * 1024) return "'body' must be at most 1 MiB";
    if (mail.template_name.size() > 100) return "'template' must be a template name";
    if (!mail.data.is_object()) return "'data' must be a table";
    return "";
}

std::string MailOutbox::enqueue(sdk::Database& db, const std::string& tenant_slug, const OutgoingMail& mail) {
    if (auto problem = mailProblem(mail); !problem.empty()) throw std::invalid_argument(problem);
    const std::string id = newRecordId("mail_");
    const std::string now = isoNow();
    db.execute(
        "INSERT INTO mail_outbox (id, kind, to_address, subject, body, template, data, source, status, attempts, "
        "next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?)",
        {id, mail.kind, mail.to, mail.subject, mail.body.empty() ? sdk::Value() : sdk::Value(mail.body),
         mail.template_name.empty() ? sdk::Value() : sdk::Value(mail.template_name),
         mail.data.dump(-1, ' ', false, sdk::Json::error_handler_t::replace), mail.source, now, now});
    std::lock_guard lock(mutex_);
    queued_[tenant_slug] = std::chrono::steady_clock::now();
    return id;
}

std::vector<std::string> MailOutbox::recentlyQueued() {
    std::lock_guard lock(mutex_);
    std::vector<std::string> out;
    const auto now = std::chrono::steady_clock::now();
    for (auto it = queued_.begin(); it != queued_.end();) {
        out.push_back(it->first);
        if (now - it->second > kCommitGrace) it = queued_.erase(it);
        else ++it;
    }
    return out;
}

}  // namespace tessera::host
