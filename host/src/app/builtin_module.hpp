#pragma once
// A feature of the host itself (identity, audit, workflows) that exposes routes,
// permissions, events and tenant tables. It declares them through the same Registrar
// as a plugin, so the router, permission checks and conventions treat both alike, but
// it is compiled into the host and always enabled for every tenant.

#include <tessera/sdk/registrar.hpp>

namespace tessera::host {

class BuiltinModule {
public:
    virtual ~BuiltinModule() = default;
    // The module id: the owner of its routes and permissions ("auth", "workflows").
    virtual const char* id() const = 0;
    virtual void declare(sdk::Registrar& registrar) = 0;
};

}  // namespace tessera::host
