#pragma once
// The built-in "auth" module: the permissions of identity and access and every route
// under /api/v1/auth, /api/v1/tokens, /api/v1/roles, /api/v1/users and /api/v1/audit.

#include "app/builtin_module.hpp"
#include "auth/auth_service.hpp"

namespace tessera::host::auth {

class AuthModule final : public BuiltinModule {
public:
    explicit AuthModule(AuthService& auth) : auth_(auth) {}
    const char* id() const override { return kAuthModule; }
    void declare(sdk::Registrar& registrar) override;

private:
    AuthService& auth_;
};

}  // namespace tessera::host::auth
