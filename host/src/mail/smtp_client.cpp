#include "mail/smtp_client.hpp"

#include <cstring>
#include <memory>

#include <curl/curl.h>

#include "core/curl_global.hpp"

namespace tessera::host {
namespace {

struct Upload {
    const std::string& data;
    std::size_t offset = 0;
};

std::size_t readChunk(char* buffer, std::size_t size, std::size_t count, void* user) {
    auto* up = static_cast<Upload*>(user);
    const std::size_t n = std::min(size * count, up->data.size() - up->offset);
    std::memcpy(buffer, up->data.data() + up->offset, n);
    up->offset += n;
    return n;
}

}  // namespace

SmtpResult sendSmtp(const MailSettings& settings, const std::string& envelope_from, const std::string& to,
                    const std::string& message) {
    SmtpResult result;
    curlGlobalInit();
    std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
    if (!curl) {
        result.error = "cannot initialise libcurl";
        return result;
    }
    curl_slist* recipients = curl_slist_append(nullptr, ("<" + to + ">").c_str());
    std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> guard(recipients, curl_slist_free_all);
    Upload upload{message};
    char error[CURL_ERROR_SIZE] = {0};
    CURL* c = curl.get();
    curl_easy_setopt(c, CURLOPT_URL, settings.smtp_url.c_str());
    curl_easy_setopt(c, CURLOPT_MAIL_FROM, ("<" + envelope_from + ">").c_str());
    curl_easy_setopt(c, CURLOPT_MAIL_RCPT, recipients);
    curl_easy_setopt(c, CURLOPT_READFUNCTION, readChunk);
    curl_easy_setopt(c, CURLOPT_READDATA, &upload);
    curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(c, CURLOPT_USE_SSL, settings.require_tls ? CURLUSESSL_ALL : CURLUSESSL_TRY);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(settings.timeout.count()));
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
    if (!settings.username.empty()) {
        curl_easy_setopt(c, CURLOPT_USERNAME, settings.username.c_str());
        curl_easy_setopt(c, CURLOPT_PASSWORD, settings.password.c_str());
    }
    const CURLcode code = curl_easy_perform(c);
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &result.reply_code);
    if (code == CURLE_OK) {
        result.sent = true;
        return result;
    }
    result.error = error[0] ? error : curl_easy_strerror(code);
    if (result.reply_code) result.error += " (SMTP " + std::to_string(result.reply_code) + ")";
    // 5xx is the server's final answer for this message; 4xx and network trouble may pass.
    result.retryable = !(result.reply_code >= 500 && result.reply_code < 600);
    return result;
}

}  // namespace tessera::host
