#pragma once
// The sdk::Secrets a scope hands to its plugin: the master-key sealing of
// core/tenant_secrets.hpp, bound to the scope's tenant and plugin.

#include <string>
#include <string_view>

#include <tessera/sdk/secrets.hpp>

namespace tessera::host {

class PluginSecrets final : public sdk::Secrets {
public:
    PluginSecrets(std::string tenant, std::string_view plugin);

    std::string seal(std::string_view column, std::string_view plaintext) override;
    std::string open(std::string_view column, const std::string& stored) override;
    bool isSealed(const std::string& stored) const override;

private:
    // Where a plugin's value lives, as the sealing binds it: "plugins.<id>.<column>", apart
    // from the host's own columns and from every other plugin's.
    std::string where(std::string_view column) const;

    // Kept as given (short enough for no allocation per scope); the place is built per call.
    std::string tenant_;
    std::string plugin_;
};

}  // namespace tessera::host
