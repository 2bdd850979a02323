#include "mail/mail_sender.hpp"

#include <spdlog/spdlog.h>

#include "core/clock.hpp"
#include "core/executor.hpp"
#include "db/connection_pool.hpp"
#include "mail/mail_message.hpp"
#include "mail/smtp_client.hpp"
#include "tenants/tenant_directory.hpp"
#include "tenants/tenant_service.hpp"

namespace tessera::host {
namespace {

constexpr int kBatch = 50;

std::string tenantSender(sdk::Database& db, const std::string& fallback) {
    auto row = db.queryOne("SELECT value FROM tessera_settings WHERE key = 'mail.from'");
    return row ? (*row)["value"].asText() : fallback;
}

}  // namespace

MailSender::MailSender(MailSettings settings, MailOutbox& outbox, TenantDirectory& directory, TenantService& tenants,
                       ConnectionPool& pool)
    : settings_(std::move(settings)), outbox_(outbox), directory_(directory), tenants_(tenants), pool_(pool) {}

void MailSender::start(Executor& executor) {
    if (!settings_.enabled()) {
        spdlog::info("mail: no mail.smtp_url configured; messages stay queued in each tenant's outbox");
        return;
    }
    executor.every(settings_.tick, [this] { poll(); });
}

void MailSender::poll() {
    if (polling_.exchange(true)) return;
    try {
        std::set<std::string> slugs;
        const auto now = std::chrono::steady_clock::now();
        {
            std::lock_guard lock(mutex_);
            slugs = waiting_;
        }
        for (auto& s : outbox_.recentlyQueued()) slugs.insert(s);
        if (now - last_full_scan_ >= settings_.full_scan) {
            last_full_scan_ = now;
            for (const auto& t : directory_.list())
                if (t.active()) slugs.insert(t.slug);
        }
        for (const auto& slug : slugs) {
            auto tenant = directory_.bySlug(slug);
            bool waiting = false;
            if (tenant && tenant->active()) {
                try {
                    waiting = drainTenant(*tenant);
                } catch (const std::exception& e) {
                    spdlog::warn("[mail tenant={}] {}", slug, e.what());
                    waiting = true;
                }
            }
            std::lock_guard lock(mutex_);
            if (waiting) waiting_.insert(slug);
            else waiting_.erase(slug);
        }
    } catch (const std::exception& e) {
        spdlog::warn("[mail] {}", e.what());
    }
    polling_ = false;
}

bool MailSender::drainTenant(const TenantRecord& tenant) {
    tenants_.ensureMigrated(tenant);
    std::vector<std::string> due;
    {
        auto lease = pool_.acquire(tenant.slug);
        auto& db = lease.db();
        bool first_look = false;
        {
            std::lock_guard lock(mutex_);
            first_look = recovered_.insert(tenant.slug).second;
        }
        // A send cut off by the last stop goes out again: at least once beats never.
        if (first_look) db.execute("UPDATE mail_outbox SET status = 'pending' WHERE status = 'sending'");
        for (const auto& row : db.query("SELECT id FROM mail_outbox WHERE status = 'pending' AND next_attempt_at <= ? "
                                        "ORDER BY next_attempt_at LIMIT " + std::to_string(kBatch),
                                        {isoNow()}))
            if (db.execute("UPDATE mail_outbox SET status = 'sending' WHERE id = ? AND status = 'pending'",
                           {row["id"].asText()}) == 1)
                due.push_back(row["id"].asText());
    }
    for (const auto& id : due) deliver(tenant, id);
    auto lease = pool_.acquire(tenant.slug);
    return lease.db().queryOne("SELECT 1 FROM mail_outbox WHERE status = 'pending' LIMIT 1").has_value();
}

void MailSender::deliver(const TenantRecord& tenant, const std::string& id) {
    ComposedMail mail;
    mail.message_id = id + "." + tenant.slug + "@tessera";
    std::int64_t attempts = 0;
    std::string problem;
    {
        auto lease = pool_.acquire(tenant.slug);
        auto& db = lease.db();
        auto row = db.queryOne("SELECT to_address, subject, body, template, data, attempts FROM mail_outbox WHERE id = ?",
                               {id});
        if (!row) return;
        attempts = (*row)["attempts"].asInt() + 1;
        mail.from = tenantSender(db, settings_.from);
        mail.to = (*row)["to_address"].asText();
        mail.subject = (*row)["subject"].asText();
        if (!(*row)["template"].isNull()) {
            const std::string name = (*row)["template"].asText();
            auto tmpl = db.queryOne("SELECT body FROM mail_templates WHERE name = ?", {name});
            sdk::Json data = sdk::parseJson((*row)["data"].asText());
            if (!data.is_object()) data = sdk::Json::object();
            if (!tmpl) {
                problem = "no mail template '" + name + "'";
            } else {
                try {
                    mail.subject = renderTemplate(mail.subject, data);
                    mail.body = renderTemplate((*tmpl)["body"].asText(), data);
                } catch (const std::invalid_argument& e) {
                    problem = "template '" + name + "': " + e.what();
                }
            }
        } else {
            mail.body = (*row)["body"].asText();
        }
    }
    SmtpResult result;
    if (problem.empty()) {
        result = sendSmtp(settings_, envelopeAddress(mail.from), mail.to, composeMessage(mail));
    } else {
        result.retryable = false;
        result.error = problem;
    }
    const bool final = result.sent || !result.retryable || attempts >= settings_.max_attempts;
    const std::string status = result.sent ? "sent" : final ? "failed" : "pending";
    const auto next = std::chrono::system_clock::now() + settings_.backoff * (1LL << std::min<std::int64_t>(attempts - 1, 20));
    auto lease = pool_.acquire(tenant.slug);
    lease.db().execute(
        "UPDATE mail_outbox SET status = ?, attempts = ?, next_attempt_at = ?, last_error = ?, sent_at = ? WHERE id = ?",
        {status, attempts, isoTime(next), result.error.empty() ? sdk::Value() : sdk::Value(result.error),
         result.sent ? sdk::Value(isoNow()) : sdk::Value(), id});
    if (!result.sent && final)
        spdlog::warn("[mail tenant={}] {} to {} failed after {} attempt(s): {}", tenant.slug, id, mail.to, attempts,
                     result.error);
}

}  // namespace tessera::host
