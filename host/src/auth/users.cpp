#include "auth/users.hpp"

#include <regex>

#include <tessera/sdk/rest/rows.hpp>

#include "core/clock.hpp"
#include "core/ids.hpp"

namespace tessera::host::auth {

std::string emailKey(const std::string& email) {
    std::string s = email;
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
    std::size_t start = 0;
    while (start < s.size() && std::isspace(static_cast<unsigned char>(s[start]))) ++start;
    s = s.substr(start);
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

std::string emailProblem(const std::string& email) {
    static const std::regex re(R"(^[^@\s"'<>;\\]{1,64}@[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+$)");
    if (email.size() > 254 || !std::regex_match(email, re)) return "must be a valid email address";
    return {};
}

std::string createUser(sdk::Database& db, const PasswordHasher& hasher, const NewUser& user) {
    const std::string id = newRecordId("usr_", kAuthIdChars);
    const std::string now = isoNow();
    sdk::Value hash;
    if (user.password) hash = hasher.hash(*user.password);
    try {
        db.execute("INSERT INTO auth_users (id, email, email_key, name, password_hash, role_id, status, "
                   "password_changed_at, password_expires_at, created_at, updated_at) "
                   "VALUES (?, ?, ?, ?, ?, ?, 'active', ?, ?, ?, ?)",
                   {id, emailKey(user.email), emailKey(user.email), user.name, hash, user.role_id,
                    user.password ? sdk::Value(now) : sdk::Value(),
                    user.password_expires_at ? sdk::Value(*user.password_expires_at) : sdk::Value(), now, now});
    } catch (const sdk::UniqueViolation&) {
        throw sdk::ApiError(409, "email_taken", "a user with this email already exists", {{"email", "is already used"}});
    }
    return id;
}

std::optional<sdk::Row> findUserByEmail(sdk::Database& db, const std::string& email) {
    return db.queryOne("SELECT id, email, name, role_id, status, password_hash, password_expires_at, totp_enabled, "
                       "totp_secret, totp_last_step FROM auth_users WHERE email_key = ?",
                       {emailKey(email)});
}

std::optional<sdk::Row> findUserById(sdk::Database& db, const std::string& id) {
    return db.queryOne("SELECT id, email, name, role_id, status, password_hash, totp_enabled, totp_secret, "
                       "totp_pending_secret, totp_last_step FROM auth_users WHERE id = ?",
                       {id});
}

void setPassword(sdk::Database& db, const PasswordHasher& hasher, const std::string& user_id,
                 const std::string& password) {
    const std::string hash = hasher.hash(password);
    const std::string now = isoNow();
    db.transaction([&] {
        db.execute("UPDATE auth_users SET password_hash = ?, password_changed_at = ?, password_expires_at = NULL, "
                   "updated_at = ? WHERE id = ?",
                   {hash, now, now, user_id});
        db.execute("UPDATE auth_sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL", {now, user_id});
        db.execute("UPDATE auth_tokens SET revoked_at = ? WHERE user_id = ? AND kind = 'login' AND revoked_at IS NULL",
                   {now, user_id});
    });
}

std::int64_t countActiveUsers(sdk::Database& db) {
    return (*db.queryOne("SELECT COUNT(*) AS n FROM auth_users WHERE status = 'active'"))["n"].asInt();
}

sdk::Json userJson(const sdk::Row& row) {
    auto text = [&](const char* c) { return sdk::rest::textOrNull(row[c]); };
    return {{"id", text("id")},
            {"email", text("email")},
            {"name", text("name")},
            {"role", text("role_id")},
            {"status", text("status")},
            {"two_factor_enabled", row["totp_enabled"].asBool()},
            {"last_login_at", text("last_login_at")},
            {"created_at", text("created_at")},
            {"updated_at", text("updated_at")}};
}

}  // namespace tessera::host::auth
