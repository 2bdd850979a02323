#pragma once
/// Secrets a plugin must be able to read back, stored sealed with the host's master key
/// (docs/security.md): a payment gateway's webhook signing key, a remote service's API
/// key. The host provides this service to every plugin:
///
///     auto& secrets = *scope.service<tessera::sdk::Secrets>();
///     db.execute("INSERT INTO my_keys (secret) VALUES (?)", {secrets.seal("my_keys.secret", key)});
///     const std::string key = secrets.open("my_keys.secret", row["secret"].asText());
///
/// A sealed value opens only for the tenant, the plugin and the `column` it was sealed
/// for, so a value copied into another tenant, plugin or column is useless. Values a
/// person only has to prove (passwords, API tokens) are hashed, not sealed: use this for
/// values the plugin itself must use.

#include <string>
#include <string_view>

namespace tessera::sdk {

class Secrets {
public:
    static constexpr const char* kServiceName = "tessera.secrets";
    virtual ~Secrets() = default;

    /// The stored form of `plaintext` (text, safe in any column), for `column`: a name the
    /// plugin chooses for where the value lives, e.g. "billing_webhook_secrets.secret".
    virtual std::string seal(std::string_view column, std::string_view plaintext) = 0;
    /// The plaintext of a value `seal` made for the same column, tenant and plugin. A value
    /// stored before the plugin sealed it (see isSealed) is returned as it is. A value that
    /// does not open (another master key, altered, moved) throws ApiError 503
    /// `secret_unreadable`; the host logs why.
    virtual std::string open(std::string_view column, const std::string& stored) = 0;
    /// Whether `stored` is a sealed value: false for plaintext written before sealing,
    /// which the plugin should seal when it next can.
    virtual bool isSealed(const std::string& stored) const = 0;
};

}  // namespace tessera::sdk
