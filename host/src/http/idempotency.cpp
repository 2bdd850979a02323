#include "http/idempotency.hpp"

#include <cstdio>

#include "core/clock.hpp"

namespace tessera::host {
namespace {

using sdk::ApiError;
using sdk::Json;

std::string expiredBefore() { return isoIn(-std::chrono::duration_cast<std::chrono::seconds>(kIdempotencyTtl)); }

// FNV-1a 64: stable across processes and builds, unlike std::hash.
std::string fingerprint(const sdk::Request& req) {
    std::uint64_t h = 1469598103934665603ULL;
    auto mix = [&](std::string_view s) {
        for (unsigned char c : s) {
            h ^= c;
            h *= 1099511628211ULL;
        }
        h ^= 0xFF;  // separator, so ("ab","c") differs from ("a","bc")
        h *= 1099511628211ULL;
    };
    mix(sdk::methodName(req.method));
    mix(req.path);
    for (const auto& [k, v] : req.query) {
        mix(k);
        mix(v);
    }
    mix(req.body);
    char buf[24];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
    return buf;
}

bool validKey(const std::string& key) {
    if (key.empty() || key.size() > 255) return false;
    for (unsigned char c : key)
        if (c < 0x21 || c > 0x7E) return false;
    return true;
}

}  // namespace

sdk::Response answerOnce(const sdk::Handler& handler, const sdk::Request& req, sdk::TenantScope& scope) {
    const auto key = req.header("Idempotency-Key");
    if (!key) return handler(req, scope);
    if (!validKey(*key))
        throw ApiError(400, "invalid_idempotency_key", "Idempotency-Key must be 1-255 printable ASCII characters",
                       {{"Idempotency-Key", "1-255 printable ASCII characters"}});
    auto& db = scope.db();
    const std::string print = fingerprint(req);
    const std::string cutoff = expiredBefore();
    if (auto row = db.queryOne("SELECT fingerprint, status, headers, body FROM host_idempotency_keys"
                               " WHERE idem_key = ? AND created_at > ?",
                               {*key, cutoff})) {
        if ((*row)["fingerprint"].asText() != print)
            throw ApiError(422, "idempotency_key_reused", "this Idempotency-Key was used for a different request");
        if ((*row)["status"].asInt() == 0)
            throw ApiError(409, "idempotency_key_in_use",
                           "a request with this Idempotency-Key is still being processed; retry later");
        sdk::Response r;
        r.status = static_cast<int>((*row)["status"].asInt());
        auto headers = sdk::parseJson((*row)["headers"].asText());
        if (headers.is_object())
            for (const auto& [k, v] : headers.items()) r.headers[k] = v.get<std::string>();
        r.headers["Idempotent-Replayed"] = "true";
        r.body = (*row)["body"].asText();
        return r;
    }
    // Reserve the key first (status 0) so that a concurrent retry cannot run the work twice.
    db.execute("DELETE FROM host_idempotency_keys WHERE idem_key = ? AND created_at <= ?", {*key, cutoff});
    try {
        db.execute("INSERT INTO host_idempotency_keys (idem_key, fingerprint, status, headers, body, created_at)"
                   " VALUES (?, ?, 0, '{}', '', ?)",
                   {*key, print, isoNow()});
    } catch (const sdk::UniqueViolation&) {
        throw ApiError(409, "idempotency_key_in_use",
                       "a request with this Idempotency-Key is still being processed; retry later");
    }
    sdk::Response response;
    try {
        response = handler(req, scope);
    } catch (const ApiError& e) {
        response = e.toResponse();  // expected failures are replayed too
    } catch (...) {
        db.execute("DELETE FROM host_idempotency_keys WHERE idem_key = ?", {*key});
        throw;
    }
    if (response.status >= 500) {
        db.execute("DELETE FROM host_idempotency_keys WHERE idem_key = ?", {*key});
        return response;
    }
    Json headers = Json::object();
    for (const auto& [k, v] : response.headers) headers[k] = v;
    db.execute("UPDATE host_idempotency_keys SET status = ?, headers = ?, body = ? WHERE idem_key = ?",
               {response.status, headers.dump(), response.body, *key});
    return response;
}

void purgeIdempotencyKeys(sdk::Database& db) {
    db.execute("DELETE FROM host_idempotency_keys WHERE created_at <= ?", {expiredBefore()});
}

}  // namespace tessera::host
