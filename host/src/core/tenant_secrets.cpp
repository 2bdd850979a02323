#include "core/tenant_secrets.hpp"

#include <spdlog/spdlog.h>

#include <tessera/sdk/http.hpp>

#include "core/master_key.hpp"

namespace tessera::host {
namespace {

// Slugs are [a-z0-9-] and columns are fixed names, so "/" cannot make two bindings equal.
std::string binding(const std::string& tenant, std::string_view column) {
    return "tessera/" + tenant + "/" + std::string(column);
}

}  // namespace

std::string sealTenantSecret(const std::string& tenant, std::string_view column, std::string_view plaintext) {
    return masterSecretBox().seal(plaintext, binding(tenant, column));
}

std::string openTenantSecret(const std::string& tenant, std::string_view column, const std::string& stored) {
    if (isPlaintextSecret(stored)) return stored;
    try {
        return masterSecretBox().open(stored, binding(tenant, column));
    } catch (const SecretUnreadable& e) {
        spdlog::error("[secrets tenant={}] cannot open {}: {} (is this host using the master key that sealed it? "
                      "see docs/security.md)",
                      tenant, column, e.what());
        throw sdk::ApiError(503, "secret_unreadable",
                            "the server cannot read a stored secret; an administrator must check its master key");
    }
}

bool isPlaintextSecret(const std::string& stored) { return !stored.empty() && !SecretBox::isSealed(stored); }

}  // namespace tessera::host
