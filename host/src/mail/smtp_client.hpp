#pragma once
// One SMTP submission through libcurl (STARTTLS when the server offers it, or required
// by the operator; smtps:// for implicit TLS). Never throws.

#include <string>

#include "mail/mail_settings.hpp"

namespace tessera::host {

struct SmtpResult {
    bool sent = false;
    bool retryable = true;  // false when the server refused for good (5xx)
    long reply_code = 0;    // the server's last SMTP reply
    std::string error;
};

SmtpResult sendSmtp(const MailSettings& settings, const std::string& envelope_from, const std::string& to,
                    const std::string& message);

}  // namespace tessera::host
