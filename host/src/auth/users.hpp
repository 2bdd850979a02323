#pragma once
// Users of one tenant: creation (by the CLI for the first Owner and by the users API),
// lookup by email, password changes, and their API representation.

#include <optional>
#include <string>

#include <tessera/sdk/database.hpp>
#include <tessera/sdk/http.hpp>

#include "auth/password_hasher.hpp"

namespace tessera::host::auth {

// Lowercased and trimmed; the unique key of a user in a tenant.
std::string emailKey(const std::string& email);
// Empty when acceptable, else what is wrong.
std::string emailProblem(const std::string& email);

struct NewUser {
    std::string email;
    std::string name;
    std::string role_id;
    std::optional<std::string> password;  // none: the user sets one through a reset link
    // Set when an operator chose the password: it is one-time, stops working at this
    // time, and its sign-ins can only replace it.
    std::optional<std::string> password_expires_at;
};

// Inserts the user; returns its id. Throws sdk::ApiError 409 email_taken.
std::string createUser(sdk::Database& db, const PasswordHasher& hasher, const NewUser& user);
std::optional<sdk::Row> findUserByEmail(sdk::Database& db, const std::string& email);
std::optional<sdk::Row> findUserById(sdk::Database& db, const std::string& id);
// Sets a new password and revokes every session of the user (a changed password must
// end sessions an attacker may hold).
void setPassword(sdk::Database& db, const PasswordHasher& hasher, const std::string& user_id,
                 const std::string& password);
std::int64_t countActiveUsers(sdk::Database& db);
sdk::Json userJson(const sdk::Row& row);
// Columns userJson() needs.
inline constexpr const char* kUserSelect =
    "SELECT id, email, name, role_id, status, totp_enabled, last_login_at, created_at, updated_at FROM auth_users";

}  // namespace tessera::host::auth
