#include "tenants/plugin_secrets.hpp"

#include "core/secret_box.hpp"
#include "core/tenant_secrets.hpp"

namespace tessera::host {

PluginSecrets::PluginSecrets(std::string tenant, std::string_view plugin)
    : tenant_(std::move(tenant)), plugin_(plugin) {}

std::string PluginSecrets::where(std::string_view column) const {
    std::string place = "plugins.";
    place.append(plugin_).append(".").append(column);
    return place;
}

std::string PluginSecrets::seal(std::string_view column, std::string_view plaintext) {
    return sealTenantSecret(tenant_, where(column), plaintext);
}

std::string PluginSecrets::open(std::string_view column, const std::string& stored) {
    return openTenantSecret(tenant_, where(column), stored);
}

bool PluginSecrets::isSealed(const std::string& stored) const { return SecretBox::isSealed(stored); }

}  // namespace tessera::host
