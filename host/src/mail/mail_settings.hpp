#pragma once
// Operator settings of outgoing mail: [plugins.mail] in tessera.toml or TESSERA_MAIL_<KEY>.
// Without smtp_url nothing is sent: messages wait in each tenant's outbox (and, with
// auth.development, password-reset links are also logged).

#include <chrono>
#include <string>

#include "config/config.hpp"

namespace tessera::host {

struct MailSettings {
    std::string smtp_url;  // smtp://host:587 (STARTTLS when offered) or smtps://host:465
    std::string username, password;
    bool require_tls = false;                    // refuse to send over a connection without TLS
    std::string from = "Tessera <no-reply@localhost>";  // default sender; a tenant may set its own
    int max_attempts = 8;
    std::chrono::milliseconds backoff{30000};  // first retry delay, doubled each attempt
    std::chrono::milliseconds timeout{20000};
    std::chrono::milliseconds tick{1000};
    std::chrono::seconds full_scan{60};  // how often every tenant's outbox is checked, not only recent ones

    bool enabled() const { return !smtp_url.empty(); }
    // Throws std::runtime_error naming the key of a malformed value.
    static MailSettings load(const Config& config);
};

}  // namespace tessera::host
