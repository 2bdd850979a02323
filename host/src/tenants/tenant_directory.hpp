#pragma once
// The tenants known to the control database, with a read-mostly cache for the request
// path: resolving a tenant costs no database round trip once it has been seen.
// Other processes (the CLI) change tenants too; they bump control_state.version and
// refreshIfChanged() drops the cache when it moves.

#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include <tessera/sdk/http.hpp>

#include "db/connection_pool.hpp"

namespace tessera::host {

struct TenantRecord {
    std::int64_t id = 0;
    std::string slug;
    std::string name;
    std::string status;  // "active" or "disabled"
    std::string created_at;
    std::set<std::string> enabled_plugins;
    std::vector<std::string> domains;

    bool active() const { return status == "active"; }
    bool pluginEnabled(const std::string& id) const { return enabled_plugins.count(id) > 0; }
    sdk::TenantInfo info() const { return {id, slug, name}; }
};

// An expected refusal of a tenant operation (exists, unknown, invalid); the CLI prints
// it and the HTTP layer maps it to 4xx.
class TenantError : public std::runtime_error {
public:
    enum class Kind { Invalid, NotFound, Conflict };
    TenantError(Kind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
    Kind kind() const { return kind_; }

private:
    Kind kind_;
};

class TenantDirectory {
public:
    explicit TenantDirectory(ConnectionPool& pool) : pool_(pool) {}

    // "acme", "acme-2": lowercase letters, digits and inner hyphens, 2-63 characters.
    static bool validSlug(const std::string& slug);

    std::shared_ptr<const TenantRecord> bySlug(const std::string& slug);
    std::shared_ptr<const TenantRecord> byDomain(const std::string& domain);
    std::vector<TenantRecord> list();

    TenantRecord insert(const std::string& slug, const std::string& name, const std::vector<std::string>& plugins);
    void setStatus(const std::string& slug, const std::string& status);
    void remove(const std::string& slug);
    void setPlugin(const std::string& slug, const std::string& plugin, bool enabled);
    void addDomain(const std::string& slug, const std::string& domain);

    // Drops cached entries if another process changed the control database.
    void refreshIfChanged();
    void invalidate();

private:
    // A cache hit, or one query and the result cached (absent ones too).
    std::shared_ptr<const TenantRecord> cached(std::unordered_map<std::string, std::shared_ptr<const TenantRecord>>& cache,
                                               const std::string& column, const std::string& key);
    std::optional<TenantRecord> load(SqlDatabase& db, const std::string& where_column, const std::string& value);
    void bumpVersion(SqlDatabase& db);
    std::int64_t readVersion(SqlDatabase& db);

    ConnectionPool& pool_;
    std::shared_mutex mutex_;
    std::unordered_map<std::string, std::shared_ptr<const TenantRecord>> by_slug_;  // null: known absent
    std::unordered_map<std::string, std::shared_ptr<const TenantRecord>> by_domain_;
    std::int64_t version_ = -1;
};

}  // namespace tessera::host
