#pragma once
// Browser sessions: a random id in an HttpOnly SameSite=Lax cookie (stored hashed) and a
// synchronizer CSRF token that state-changing requests made with the cookie must echo
// in X-CSRF-Token. The CSRF token travels in response bodies (login, /auth/me), not in a
// cookie: a response carries one Set-Cookie header, and it belongs to the session.

#include <chrono>
#include <optional>
#include <string>

#include <tessera/sdk/database.hpp>
#include <tessera/sdk/http.hpp>

namespace tessera::host::auth {

inline constexpr const char* kSessionCookie = "tessera_session";
inline constexpr const char* kCsrfHeader = "X-CSRF-Token";

struct NewSession {
    std::string id;
    std::string secret;  // cookie value
    std::string csrf_token;
    std::string expires_at;
};

NewSession createSession(sdk::Database& db, const std::string& user_id, const std::string& client_address,
                         std::chrono::seconds lifetime);
void revokeSession(sdk::Database& db, const std::string& session_id);

// The value of cookie `name` in a Cookie header, if present. Tolerates malformed input.
std::optional<std::string> cookieValue(const std::string& cookie_header, const std::string& name);
// Whether the request reached us over TLS (directly or through a proxy that says so).
bool overTls(const sdk::Headers& headers);
// The Set-Cookie value for a new session, and for clearing it.
std::string sessionCookie(const NewSession& s, bool secure, std::chrono::seconds lifetime);
std::string clearedSessionCookie(bool secure);

}  // namespace tessera::host::auth
