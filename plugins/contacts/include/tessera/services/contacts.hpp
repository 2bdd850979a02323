#pragma once
/// The `contacts` service: how other plugins (deals, billing, webforms) look up and create
/// contacts without touching the contacts tables.
///
/// Use it from a handler or job of your plugin:
///
///     #include <tessera/services/contacts.hpp>
///     if (auto* contacts = scope.service<tessera::services::ContactsService>()) {
///         auto found = contacts->findByEmail(scope, "ana@example.com");
///     }
///
/// `scope.service<>()` returns nullptr when the contacts plugin is not loaded or not
/// enabled for the tenant. Link your plugin against `tessera_contacts_api` (CMake target)
/// for the include path, and add "contacts" to the "depends" of your plugin.json.
///
/// Contacts are returned in their REST representation (the JSON of GET
/// /api/v1/contacts/{id}), so there is one documented shape for every consumer.

#include <optional>
#include <string>

#include <tessera/sdk.hpp>

namespace tessera::services {

class ContactsService {
public:
    static constexpr const char* kServiceName = "contacts";

    virtual ~ContactsService() = default;

    /// The contact with `id` in the scope's tenant, or nullopt.
    virtual std::optional<sdk::Json> get(sdk::TenantScope& scope, const std::string& id) = 0;

    /// The contact whose email equals `email` (case-insensitive), or nullopt.
    virtual std::optional<sdk::Json> findByEmail(sdk::TenantScope& scope, const std::string& email) = 0;

    /// Creates a contact from the same JSON object POST /api/v1/contacts accepts and
    /// returns it. Throws sdk::ApiError: 422 validation_failed (with per-field errors) or
    /// 409 duplicate_email (fields.email names the existing contact; use findByEmail
    /// first for get-or-create). Thread-safe; call it only during the scope's call.
    virtual sdk::Json create(sdk::TenantScope& scope, const sdk::Json& fields) = 0;

    /// The company with `id` in the scope's tenant (REST representation of GET
    /// /api/v1/companies/{id}), or nullopt. Added after create(): existing slots keep
    /// their place in the vtable.
    virtual std::optional<sdk::Json> getCompany(sdk::TenantScope& scope, const std::string& id) = 0;
};

}  // namespace tessera::services
