#pragma once
// Sending one outbox request of crm.http.request: URL and address checks (the tenant's
// allowlist; no loopback, private, link-local or multicast addresses unless the operator
// allows them; the checked address is pinned so DNS cannot swap it afterwards), the
// HMAC-SHA256 signature and the request itself (libcurl, no redirects, bounded body).

#include <chrono>
#include <string>
#include <vector>

#include <tessera/sdk/http.hpp>

namespace tessera::host {

struct OutgoingRequest {
    std::string id, method, url, body;
    sdk::Json headers = sdk::Json::object();
};

struct DeliveryResult {
    bool sent = false;      // a response arrived
    bool retryable = true;  // worth another attempt (network error, 5xx, 429)
    long status = 0;
    std::string body;
    std::string error;
};

// "" when `url` may be requested by a tenant with `allowlist` ("api.example.com",
// "*.example.com"), else the reason. Checks the form only (no DNS).
std::string checkRequestUrl(const std::string& url, const std::vector<std::string>& allowlist);

// Resolves, checks the addresses and sends. Never throws.
DeliveryResult deliver(const OutgoingRequest& request, const std::string& secret, std::chrono::milliseconds timeout,
                       bool allow_private_network);

// Lowercase hex HMAC-SHA256 of `data` with `key`.
std::string hmacSha256Hex(const std::string& key, const std::string& data);

}  // namespace tessera::host
