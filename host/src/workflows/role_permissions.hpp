#pragma once
// Which permissions the role a workflow runs as holds. Each crm.* plugin function's
// declared permission is checked against it. The answer comes from identity and roles
// (host/src/auth/permissions.hpp): the built-in roles owner, admin, member and readonly,
// compiled against the permissions plugins declared. Custom roles are not yet offered
// to workflows (they live in the auth tables; see docs/lua.md).

#include <map>
#include <mutex>
#include <string>
#include <unordered_set>

namespace tessera::host {

class Registry;
struct TenantRecord;

class RolePermissions {
public:
    virtual ~RolePermissions() = default;
    virtual bool known(const TenantRecord& tenant, const std::string& role) const = 0;
    virtual bool allows(const TenantRecord& tenant, const std::string& role, const std::string& permission) const = 0;
};

class BuiltinRolePermissions final : public RolePermissions {
public:
    explicit BuiltinRolePermissions(const Registry& registry) : registry_(registry) {}
    bool known(const TenantRecord& tenant, const std::string& role) const override;
    bool allows(const TenantRecord& tenant, const std::string& role, const std::string& permission) const override;

private:
    const Registry& registry_;
    mutable std::mutex mutex_;
    mutable std::map<std::string, std::unordered_set<std::string>> compiled_;
};

}  // namespace tessera::host
