#pragma once
// Secrets a tenant's database keeps for the host, sealed with the master key and bound to
// the tenant and the column they belong to (see core/secret_box.hpp). Every reader and
// writer of such a column goes through here, so the binding is spelled one way.

#include <string>
#include <string_view>

namespace tessera::host {

// Where a sealed value lives; part of its additional authenticated data.
namespace secret_columns {
inline constexpr std::string_view kTotpSecret = "auth_users.totp_secret";
inline constexpr std::string_view kTotpPendingSecret = "auth_users.totp_pending_secret";
inline constexpr std::string_view kWebhookSecret = "tessera_settings.workflows.webhook_secret";
}  // namespace secret_columns

// The stored form of `plaintext` for `column` of `tenant`.
std::string sealTenantSecret(const std::string& tenant, std::string_view column, std::string_view plaintext);
// The plaintext of a stored value. Values without a version prefix were written before
// secrets were encrypted and are returned as they are (the next write seals them).
// A sealed value that does not open (wrong master key, altered or moved value) is logged
// with the tenant, the column and the reason, and answered as ApiError 503
// `secret_unreadable`: an operator must fix the key; the client sees no detail.
std::string openTenantSecret(const std::string& tenant, std::string_view column, const std::string& stored);
// Whether `stored` still needs sealing.
bool isPlaintextSecret(const std::string& stored);

}  // namespace tessera::host
