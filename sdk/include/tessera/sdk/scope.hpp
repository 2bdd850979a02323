#pragma once
/// TenantScope: everything a handler, subscriber or job may touch for one tenant.

#include <memory>
#include <set>
#include <string>
#include <typeinfo>

#include <tessera/sdk/database.hpp>
#include <tessera/sdk/events.hpp>
#include <tessera/sdk/http.hpp>
#include <tessera/sdk/logger.hpp>

namespace tessera::sdk {

/// What the caller's role allows on one resource (e.g. "contacts"), beyond the route's
/// permission. Plugins apply it to every query and response of that resource.
struct AccessRules {
    /// Only records whose owner is the principal are visible and writable: add
    /// `owner_id = principal().id` to every query of the resource.
    bool own_records_only = false;
    /// Fields to leave out of responses and to refuse in writes (422 naming the field).
    std::set<std::string> hidden_fields;

    bool hidden(const std::string& field) const { return hidden_fields.count(field) > 0; }
};

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
    /// Who the call acts for: the request's user or token, or a system identity for jobs.
    virtual const Principal& principal() const = 0;
    /// The caller's access rules for `resource` (the plugin's collection name).
    virtual AccessRules access(const std::string& resource) const = 0;
    /// Runs the tenant's synchronous "before" hooks (Lua workflows) for `event`, e.g.
    /// "contact.create" or "contact.update", on the record about to be written. Hooks
    /// may change `record`; a hook that rejects the write throws ApiError 422 with its
    /// message. Call it inside the write, before the row is stored.
    virtual void beforeWrite(const std::string& event, Json& record) = 0;

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
