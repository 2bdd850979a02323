#include "mail/mail_settings.hpp"

#include <stdexcept>

#include "config/settings_section.hpp"

namespace tessera::host {

MailSettings MailSettings::load(const Config& config) {
    const SettingsSection in(config, "mail");
    MailSettings s;
    s.smtp_url = in.text("smtp_url").value_or("");
    if (!s.smtp_url.empty() && s.smtp_url.rfind("smtp://", 0) != 0 && s.smtp_url.rfind("smtps://", 0) != 0)
        throw std::runtime_error("mail.smtp_url must start with smtp:// or smtps://, not '" + s.smtp_url + "'");
    s.username = in.text("username").value_or("");
    s.password = in.text("password").value_or("");
    s.require_tls = in.flag("require_tls", s.require_tls);
    s.from = in.text("from").value_or(s.from);
    s.max_attempts = static_cast<int>(in.number("max_attempts", s.max_attempts, 1, 100));
    s.backoff = std::chrono::milliseconds(in.number("backoff_ms", s.backoff.count(), 10, 24LL * 3600 * 1000));
    s.timeout = std::chrono::milliseconds(in.number("timeout_ms", s.timeout.count(), 100, 600000));
    s.tick = std::chrono::milliseconds(in.number("tick_ms", s.tick.count(), 50, 600000));
    s.full_scan = std::chrono::seconds(in.number("full_scan_s", s.full_scan.count(), 1, 86400));
    return s;
}

}  // namespace tessera::host
