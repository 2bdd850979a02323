#pragma once
/// TenantScope: everything a handler, subscriber or job may touch for one tenant.

#include <memory>
#include <string>
#include <typeinfo>

#include <tessera/sdk/database.hpp>
#include <tessera/sdk/events.hpp>
#include <tessera/sdk/http.hpp>
#include <tessera/sdk/logger.hpp>

namespace tessera::sdk {

/// Created by the host for one request, event delivery or job, for one tenant, and
/// valid only during that call. The database is opened lazily on first use.
class TenantScope {
public:
    virtual ~TenantScope() = default;

    virtual const TenantInfo& tenant() const = 0;
    /// The tenant's database. Throws if the database cannot be reached.
    virtual Database& db() = 0;
    /// Logger stamped with plugin, tenant and request id.
    virtual Logger& log() = 0;
    virtual EventPublisher& events() = 0;

    /// A service another plugin provides (see Registrar::provide), or nullptr when that
    /// plugin is not loaded or not enabled for this tenant. `I` must declare
    /// `static constexpr const char* kServiceName`.
    template <class I>
    I* service() {
        return static_cast<I*>(findService(I::kServiceName, typeid(I).name()));
    }

protected:
    /// Returns the service object if `name` exists and was registered with the same
    /// interface type name, else nullptr.
    virtual void* findService(const std::string& name, const char* type_name) = 0;
};

}  // namespace tessera::sdk
