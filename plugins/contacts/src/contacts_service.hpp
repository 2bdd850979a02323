#pragma once
/// The implementation of tessera::services::ContactsService offered to other plugins.

#include <tessera/services/contacts.hpp>

namespace tessera::plugins::contacts {

class ContactsServiceImpl final : public services::ContactsService {
public:
    std::optional<sdk::Json> get(sdk::TenantScope& scope, const std::string& id) override;
    std::optional<sdk::Json> findByEmail(sdk::TenantScope& scope, const std::string& email) override;
    sdk::Json create(sdk::TenantScope& scope, const sdk::Json& fields) override;
    std::optional<sdk::Json> getCompany(sdk::TenantScope& scope, const std::string& id) override;
};

}  // namespace tessera::plugins::contacts
