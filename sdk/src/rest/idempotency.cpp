#include <tessera/sdk/rest/idempotency.hpp>

#include <cstdio>

#include <tessera/sdk/rest/dates.hpp>

namespace tessera::sdk::rest {
namespace {

// FNV-1a 64: stable across processes and builds, unlike std::hash.
std::string fingerprint(const Request& req) {
    std::uint64_t h = 1469598103934665603ULL;
    auto mix = [&](std::string_view s) {
        for (unsigned char c : s) {
            h ^= c;
            h *= 1099511628211ULL;
        }
        h ^= 0xFF;  // separator, so ("ab","c") differs from ("a","bc")
        h *= 1099511628211ULL;
    };
    mix(methodName(req.method));
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

Handler idempotent(std::string table, Handler inner) {
    return [table = std::move(table), inner = std::move(inner)](const Request& req, TenantScope& scope) -> Response {
        const auto key = req.header("Idempotency-Key");
        if (!key) return inner(req, scope);
        if (!validKey(*key))
            throw ApiError(400, "invalid_idempotency_key", "Idempotency-Key must be 1-255 printable ASCII characters",
                                {{"Idempotency-Key", "1-255 printable ASCII characters"}});
        auto& db = scope.db();
        const std::string print = fingerprint(req);
        const std::string cutoff = isoSecondsAgo(kIdempotencyTtlSeconds);
        if (auto row = db.queryOne("SELECT fingerprint, status, headers, body FROM " + table +
                                   " WHERE idem_key = ? AND created_at > ?",
                                   {*key, cutoff})) {
            if ((*row)["fingerprint"].asText() != print)
                throw ApiError(422, "idempotency_key_reused",
                                    "this Idempotency-Key was used for a different request");
            if ((*row)["status"].asInt() == 0)
                throw ApiError(409, "idempotency_key_in_use",
                                    "a request with this Idempotency-Key is still being processed; retry later");
            Response r;
            r.status = static_cast<int>((*row)["status"].asInt());
            auto headers = parseJson((*row)["headers"].asText());
            if (headers.is_object())
                for (const auto& [k, v] : headers.items()) r.headers[k] = v.get<std::string>();
            r.headers["Idempotent-Replayed"] = "true";
            r.body = (*row)["body"].asText();
            return r;
        }
        // Reserve the key first (status 0) so that a concurrent retry cannot run the work twice.
        db.execute("DELETE FROM " + table + " WHERE idem_key = ? AND created_at <= ?", {*key, cutoff});
        try {
            db.execute("INSERT INTO " + table + " (idem_key, fingerprint, status, headers, body, created_at)"
                       " VALUES (?, ?, 0, '{}', '', ?)",
                       {*key, print, nowIso()});
        } catch (const UniqueViolation&) {
            throw ApiError(409, "idempotency_key_in_use",
                                "a request with this Idempotency-Key is still being processed; retry later");
        }
        Response response;
        try {
            response = inner(req, scope);
        } catch (const ApiError& e) {
            response = e.toResponse();  // expected failures are replayed too
        } catch (...) {
            db.execute("DELETE FROM " + table + " WHERE idem_key = ?", {*key});
            throw;
        }
        if (response.status >= 500) {
            db.execute("DELETE FROM " + table + " WHERE idem_key = ?", {*key});
            return response;
        }
        Json headers = Json::object();
        for (const auto& [k, v] : response.headers) headers[k] = v;
        db.execute("UPDATE " + table + " SET status = ?, headers = ?, body = ? WHERE idem_key = ?",
                   {response.status, headers.dump(), response.body, *key});
        return response;
    };
}

void purgeIdempotencyKeys(Database& db, const std::string& table) {
    db.execute("DELETE FROM " + table + " WHERE created_at <= ?", {isoSecondsAgo(kIdempotencyTtlSeconds)});
}

}  // namespace tessera::sdk::rest
