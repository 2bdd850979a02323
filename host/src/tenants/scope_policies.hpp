#pragma once
// The decisions a scope delegates: what a principal may see of a resource (identity
// and roles), and what runs before a write (tenant workflows). The host installs
// implementations; without one, nothing is restricted and no hook runs.

#include <memory>
#include <string>

#include <tessera/sdk/http.hpp>
#include <tessera/sdk/scope.hpp>

namespace tessera::host {

struct TenantRecord;

class AccessPolicy {
public:
    virtual ~AccessPolicy() = default;
    // `caller`: what the request guard learned about the principal, when in a request.
    virtual sdk::AccessRules rules(const TenantRecord& tenant, const sdk::Principal& principal,
                                   const std::shared_ptr<const void>& caller, const std::string& resource) const = 0;
};

class WriteHooks {
public:
    virtual ~WriteHooks() = default;
    // May change `record`; throws sdk::ApiError(422) to refuse the write.
    virtual void before(const TenantRecord& tenant, const sdk::Principal& principal, const std::string& event,
                        sdk::Json& record) = 0;
};

}  // namespace tessera::host
