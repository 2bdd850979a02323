#include "auth/tokens.hpp"

#include <tessera/sdk/rest/rows.hpp>

#include "auth/crypto.hpp"
#include "core/ids.hpp"

namespace tessera::host::auth {

IssuedToken issueToken(sdk::Database& db, const TokenRequest& request) {
    IssuedToken out;
    out.id = newRecordId("tok_", kAuthIdChars);
    out.secret = randomSecret(kTokenPrefix, 32);
    const std::string now = isoNow();
    sdk::Value scopes;
    if (request.scopes) scopes = sdk::Json(*request.scopes).dump();
    db.execute("INSERT INTO auth_tokens (id, token_hash, user_id, name, kind, scopes, created_at, expires_at) "
               "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
               {out.id, sha256Hex(out.secret), request.user_id, request.name, request.kind, scopes, now,
                sdk::Value(request.expires_at)});
    out.record = tokenJson(*db.queryOne(std::string(kTokenSelect) + " WHERE id = ?", {out.id}));
    return out;
}

sdk::Json tokenJson(const sdk::Row& row) {
    auto text = [&](const char* c) { return sdk::rest::textOrNull(row[c]); };
    sdk::Json scopes = nullptr;
    if (!row["scopes"].isNull()) scopes = sdk::parseJson(row["scopes"].asText());
    if (scopes.is_discarded()) scopes = nullptr;
    return {{"id", text("id")},           {"user_id", text("user_id")},       {"name", text("name")},
            {"kind", text("kind")},       {"scopes", scopes},                 {"created_at", text("created_at")},
            {"expires_at", text("expires_at")}, {"last_used_at", text("last_used_at")},
            {"revoked_at", text("revoked_at")}};
}

}  // namespace tessera::host::auth
