#include "auth/sessions.hpp"

#include "auth/crypto.hpp"
#include "core/ids.hpp"

namespace tessera::host::auth {

NewSession createSession(sdk::Database& db, const std::string& user_id, const std::string& client_address,
                         std::chrono::seconds lifetime) {
    NewSession s;
    s.id = newRecordId("ses_", kAuthIdChars);
    s.secret = randomSecret("", 32);
    s.csrf_token = randomSecret("", 24);
    s.expires_at = isoIn(lifetime);
    db.execute("INSERT INTO auth_sessions (id, session_hash, user_id, csrf_token, client_address, created_at, "
               "expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
               {s.id, sha256Hex(s.secret), user_id, s.csrf_token, client_address.substr(0, 64), isoNow(),
                s.expires_at});
    return s;
}

void revokeSession(sdk::Database& db, const std::string& session_id) {
    db.execute("UPDATE auth_sessions SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", {isoNow(), session_id});
}

std::optional<std::string> cookieValue(const std::string& header, const std::string& name) {
    std::size_t pos = 0;
    while (pos < header.size()) {
        auto end = header.find(';', pos);
        if (end == std::string::npos) end = header.size();
        std::string part = header.substr(pos, end - pos);
        pos = end + 1;
        const auto first = part.find_first_not_of(' ');
        if (first == std::string::npos) continue;
        part = part.substr(first);
        const auto eq = part.find('=');
        if (eq == std::string::npos) continue;
        if (part.compare(0, eq, name) == 0 && eq == name.size()) {
            std::string value = part.substr(eq + 1);
            while (!value.empty() && value.back() == ' ') value.pop_back();
            return value;
        }
    }
    return std::nullopt;
}

bool overTls(const sdk::Headers& headers) {
    auto it = headers.find("X-Forwarded-Proto");
    if (it == headers.end()) return false;
    std::string v = it->second;
    for (auto& c : v) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return v.rfind("https", 0) == 0;
}

std::string sessionCookie(const NewSession& s, bool secure, std::chrono::seconds lifetime) {
    return std::string(kSessionCookie) + "=" + s.secret + "; Path=/; Max-Age=" + std::to_string(lifetime.count()) +
           "; HttpOnly; SameSite=Lax" + (secure ? "; Secure" : "");
}

std::string clearedSessionCookie(bool secure) {
    return std::string(kSessionCookie) + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax" + (secure ? "; Secure" : "");
}

}  // namespace tessera::host::auth
