#pragma once
// The built-in "mail" module: /api/v1/mail (the tenant's outgoing messages and their
// delivery state, retry of failed ones), /api/v1/mail/templates (Mustache bodies used by
// crm.email.send{template=...}) and /api/v1/mail/settings (the tenant's own sender, so
// a white-label tenant's mail comes from its brand). Permission: mail.manage.

#include "app/builtin_module.hpp"

namespace tessera::host {

class MailModule final : public BuiltinModule {
public:
    const char* id() const override { return "mail"; }
    void declare(sdk::Registrar& registrar) override;
};

}  // namespace tessera::host
