#include "workflows/http_delivery.hpp"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstring>
#include <ctime>
#include <memory>
#include <mutex>

#include <curl/curl.h>

#include "core/curl_global.hpp"
#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace tessera::host {
namespace {

constexpr std::size_t kMaxResponseBytes = 64 * 1024;

struct UrlParts {
    std::string scheme, host, port;
};

bool splitUrl(const std::string& url, UrlParts& parts, std::string& error) {
    std::unique_ptr<CURLU, decltype(&curl_url_cleanup)> u(curl_url(), curl_url_cleanup);
    if (!u || curl_url_set(u.get(), CURLUPART_URL, url.c_str(), 0) != CURLUE_OK) {
        error = "not a valid URL";
        return false;
    }
    auto part = [&](CURLUPart which, std::string& out, unsigned flags) {
        char* v = nullptr;
        if (curl_url_get(u.get(), which, &v, flags) != CURLUE_OK || !v) return false;
        out = v;
        curl_free(v);
        return true;
    };
    if (!part(CURLUPART_SCHEME, parts.scheme, 0) || !part(CURLUPART_HOST, parts.host, 0)) {
        error = "the URL needs a scheme and a host";
        return false;
    }
    part(CURLUPART_PORT, parts.port, CURLU_DEFAULT_PORT);
    std::string user;
    if (part(CURLUPART_USER, user, 0) && !user.empty()) {
        error = "credentials in the URL are not allowed; send them as a header";
        return false;
    }
    if (parts.scheme != "http" && parts.scheme != "https") {
        error = "only http and https URLs are allowed";
        return false;
    }
    for (auto& c : parts.host) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (parts.host.size() > 2 && parts.host.front() == '[') parts.host = parts.host.substr(1, parts.host.size() - 2);
    return true;
}

bool privateAddress(const sockaddr* sa) {
    if (sa->sa_family == AF_INET) {
        const auto a = ntohl(reinterpret_cast<const sockaddr_in*>(sa)->sin_addr.s_addr);
        const auto in = [&](std::uint32_t net, int bits) { return (a >> (32 - bits)) == (net >> (32 - bits)); };
        return in(0x00000000, 8) || in(0x0A000000, 8) || in(0x7F000000, 8) || in(0xA9FE0000, 16) ||
               in(0xAC100000, 12) || in(0xC0A80000, 16) || in(0x64400000, 10) || in(0xE0000000, 4) ||
               in(0xF0000000, 4);
    }
    if (sa->sa_family == AF_INET6) {
        const auto* b = reinterpret_cast<const sockaddr_in6*>(sa)->sin6_addr.s6_addr;
        static const unsigned char loopback[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
        static const unsigned char any[16] = {};
        if (!std::memcmp(b, loopback, 16) || !std::memcmp(b, any, 16)) return true;
        if ((b[0] & 0xFE) == 0xFC) return true;                  // unique local
        if (b[0] == 0xFE && (b[1] & 0xC0) == 0x80) return true;  // link-local
        if (b[0] == 0xFF) return true;                           // multicast
        const bool v4mapped = std::all_of(b, b + 10, [](unsigned char c) { return c == 0; }) && b[10] == 0xFF &&
                              b[11] == 0xFF;
        if (v4mapped) {
            sockaddr_in v4{};
            v4.sin_family = AF_INET;
            std::memcpy(&v4.sin_addr, b + 12, 4);
            return privateAddress(reinterpret_cast<const sockaddr*>(&v4));
        }
        return false;
    }
    return true;
}

std::size_t collect(char* data, std::size_t size, std::size_t n, void* out) {
    auto* body = static_cast<std::string*>(out);
    const std::size_t len = size * n;
    if (body->size() < kMaxResponseBytes) body->append(data, std::min(len, kMaxResponseBytes - body->size()));
    return len;
}

}  // namespace

std::string hmacSha256Hex(const std::string& key, const std::string& data) {
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
         data.size(), mac, &len);
    static const char* hex = "0123456789abcdef";
    std::string out;
    for (unsigned i = 0; i < len; ++i) {
        out += hex[mac[i] >> 4];
        out += hex[mac[i] & 15];
    }
    return out;
}

std::string checkRequestUrl(const std::string& url, const std::vector<std::string>& allowlist) {
    if (url.size() > 2048) return "the URL is longer than 2048 characters";
    UrlParts parts;
    std::string error;
    if (!splitUrl(url, parts, error)) return error;
    for (const auto& pattern : allowlist) {
        if (pattern == parts.host) return "";
        if (pattern.rfind("*.", 0) == 0) {
            const std::string suffix = pattern.substr(1);
            if (parts.host.size() > suffix.size() &&
                parts.host.compare(parts.host.size() - suffix.size(), suffix.size(), suffix) == 0)
                return "";
        }
    }
    return "host '" + parts.host + "' is not on this tenant's HTTP allowlist";
}

DeliveryResult deliver(const OutgoingRequest& r, const std::string& secret, std::chrono::milliseconds timeout,
                       bool allow_private_network) {
    curlGlobalInit();
    DeliveryResult result;
    UrlParts parts;
    if (!splitUrl(r.url, parts, result.error)) {
        result.retryable = false;
        return result;
    }
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    if (getaddrinfo(parts.host.c_str(), parts.port.c_str(), &hints, &found) != 0 || !found) {
        result.error = "cannot resolve host '" + parts.host + "'";
        return result;
    }
    std::string pinned;
    for (addrinfo* a = found; a; a = a->ai_next) {
        if (!allow_private_network && privateAddress(a->ai_addr)) {
            pinned.clear();
            result.error = "host '" + parts.host + "' resolves to a loopback or private address";
            break;
        }
        if (pinned.empty()) {
            char buf[INET6_ADDRSTRLEN] = {};
            const void* addr = a->ai_family == AF_INET
                                   ? static_cast<const void*>(&reinterpret_cast<sockaddr_in*>(a->ai_addr)->sin_addr)
                                   : static_cast<const void*>(&reinterpret_cast<sockaddr_in6*>(a->ai_addr)->sin6_addr);
            inet_ntop(a->ai_family, addr, buf, sizeof buf);
            pinned = a->ai_family == AF_INET6 ? "[" + std::string(buf) + "]" : std::string(buf);
        }
    }
    freeaddrinfo(found);
    if (pinned.empty()) {
        result.retryable = false;
        if (result.error.empty()) result.error = "host '" + parts.host + "' has no usable address";
        return result;
    }

    std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
    if (!curl) {
        result.error = "cannot create an HTTP client";
        return result;
    }
    curl_slist* headers = nullptr;
    const std::string timestamp = std::to_string(std::time(nullptr));
    for (const auto& [k, v] : r.headers.items())
        if (v.is_string()) headers = curl_slist_append(headers, (k + ": " + v.get<std::string>()).c_str());
    headers = curl_slist_append(headers, ("X-Tessera-Delivery: " + r.id).c_str());
    headers = curl_slist_append(headers, ("X-Tessera-Timestamp: " + timestamp).c_str());
    headers = curl_slist_append(
        headers, ("X-Tessera-Signature: sha256=" + hmacSha256Hex(secret, timestamp + "." + r.body)).c_str());
    curl_slist* resolve = curl_slist_append(nullptr, (parts.host + ":" + parts.port + ":" + pinned).c_str());

    CURL* c = curl.get();
    curl_easy_setopt(c, CURLOPT_URL, r.url.c_str());
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, r.method.c_str());
    if (!r.body.empty() || r.method == "POST" || r.method == "PUT" || r.method == "PATCH") {
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, r.body.c_str());
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, static_cast<long>(r.body.size()));
    }
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(c, CURLOPT_RESOLVE, resolve);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(std::min<long long>(timeout.count(), 5000)));
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &result.body);
    curl_easy_setopt(c, CURLOPT_USERAGENT, "Tessera-Workflows/1");
    const CURLcode rc = curl_easy_perform(c);
    curl_slist_free_all(headers);
    curl_slist_free_all(resolve);
    if (rc != CURLE_OK) {
        result.error = curl_easy_strerror(rc);
        return result;
    }
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &result.status);
    result.sent = true;
    result.retryable = result.status >= 500 || result.status == 429;
    if (result.status >= 400) result.error = "HTTP " + std::to_string(result.status);
    return result;
}

}  // namespace tessera::host
