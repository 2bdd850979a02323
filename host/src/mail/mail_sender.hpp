#pragma once
// Delivers each tenant's mail_outbox over SMTP. Runs on the host's worker pool from a
// timer: tenants that queued mail recently (MailOutbox::recentlyQueued) or still have
// messages waiting for a retry are drained every tick; every tenant is scanned at
// `full_scan` intervals so mail queued by another process or before a restart goes out
// too. One poll at a time; no database connection is held while talking to SMTP.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <set>
#include <string>

#include "mail/mail_outbox.hpp"
#include "mail/mail_settings.hpp"

namespace tessera::host {

class ConnectionPool;
class Executor;
class TenantDirectory;
class TenantService;
struct TenantRecord;

class MailSender {
public:
    MailSender(MailSettings settings, MailOutbox& outbox, TenantDirectory& directory, TenantService& tenants,
               ConnectionPool& pool);

    // Starts the timer (nothing when no smtp_url is configured).
    void start(Executor& executor);

private:
    void poll();
    // Sends what is due; true when messages remain waiting for a retry.
    bool drainTenant(const TenantRecord& tenant);
    void deliver(const TenantRecord& tenant, const std::string& id);

    MailSettings settings_;
    MailOutbox& outbox_;
    TenantDirectory& directory_;
    TenantService& tenants_;
    ConnectionPool& pool_;
    std::atomic<bool> polling_{false};
    std::mutex mutex_;
    std::set<std::string> waiting_;    // tenants with retries pending
    std::set<std::string> recovered_;  // tenants whose interrupted sends were reset
    std::chrono::steady_clock::time_point last_full_scan_{};
};

}  // namespace tessera::host
