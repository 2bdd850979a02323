#pragma once
// The parts of identity and access shared by the guard, the access policy, the auth
// routes and the CLI. One per host process.

#include <memory>

#include "auth/auth_settings.hpp"
#include "auth/credential_cache.hpp"
#include "auth/identity.hpp"
#include "auth/login_throttle.hpp"
#include "auth/password_hasher.hpp"
#include "auth/plans.hpp"
#include "auth/rate_limiter.hpp"
#include "auth/usage_meter.hpp"
#include "db/connection_pool.hpp"
#include "mail/mail_outbox.hpp"
#include "plugins/registry.hpp"

namespace tessera::host::auth {

class AuthService {
public:
    AuthService(AuthSettings settings, ConnectionPool& pool, const Registry& registry, MailOutbox& mail)
        : settings_(std::move(settings)), hasher_(settings_), store_(registry),
          cache_(settings_.credential_cache_ttl, 50000), throttle_(pool), plans_(pool, settings_.default_plan),
          usage_(pool, settings_.usage_cache_ttl), pool_(pool), mail_(mail) {}

    const AuthSettings& settings() const { return settings_; }
    const PasswordHasher& hasher() const { return hasher_; }
    const IdentityStore& store() const { return store_; }
    CredentialCache& cache() { return cache_; }
    LoginThrottle& throttle() { return throttle_; }
    RateLimiter& limiter() { return limiter_; }
    PlanBook& plans() { return plans_; }
    UsageMeter& usage() { return usage_; }
    ConnectionPool& pool() { return pool_; }
    MailOutbox& mail() { return mail_; }
    const Registry& registry() const { return store_.registry(); }

private:
    AuthSettings settings_;
    PasswordHasher hasher_;
    IdentityStore store_;
    CredentialCache cache_;
    LoginThrottle throttle_;
    RateLimiter limiter_;
    PlanBook plans_;
    UsageMeter usage_;
    ConnectionPool& pool_;
    MailOutbox& mail_;
};


}  // namespace tessera::host::auth
