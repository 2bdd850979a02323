#pragma once
// API tokens: random 256-bit bearer secrets, shown once and stored as SHA-256 hashes.

#include <optional>
#include <string>
#include <vector>

#include <tessera/sdk/database.hpp>
#include <tessera/sdk/http.hpp>

namespace tessera::host::auth {

inline constexpr const char* kTokenPrefix = "tsk_";

struct IssuedToken {
    std::string id;
    std::string secret;  // the only time it exists in clear
    sdk::Json record;
};

struct TokenRequest {
    std::string user_id;
    std::string name;
    std::string kind = "personal";  // personal, service, login
    std::optional<std::vector<std::string>> scopes;  // none: the owner's permissions
    std::optional<std::string> expires_at;
};

IssuedToken issueToken(sdk::Database& db, const TokenRequest& request);
inline constexpr const char* kTokenSelect =
    "SELECT id, user_id, name, kind, scopes, created_at, expires_at, last_used_at, revoked_at FROM auth_tokens";
sdk::Json tokenJson(const sdk::Row& row);

}  // namespace tessera::host::auth
