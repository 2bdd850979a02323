#include "auth/usage_meter.hpp"


namespace tessera::host::auth {

std::int64_t UsageMeter::records(const sdk::TenantInfo& tenant, const std::string& plugin,
                                 const std::set<std::string>& tables) {
    const auto key = std::make_pair(tenant.id, plugin);
    {
        std::lock_guard lock(mutex_);
        if (auto it = records_.find(key); it != records_.end() && fresh(it->second)) return it->second.value;
    }
    std::int64_t total = 0;
    {
        auto lease = pool_.acquire(tenant.slug);
        // Table names come from declare(), checked to be plain identifiers there.
        for (const auto& t : tables) total += (*lease.db().queryOne("SELECT COUNT(*) AS n FROM " + t))["n"].asInt();
    }
    std::lock_guard lock(mutex_);
    records_[key] = {total, std::chrono::steady_clock::now()};
    return total;
}

void UsageMeter::recordCreated(const sdk::TenantInfo& tenant, const std::string& plugin) {
    std::lock_guard lock(mutex_);
    if (auto it = records_.find(std::make_pair(tenant.id, plugin)); it != records_.end()) ++it->second.value;
}

std::int64_t UsageMeter::storageBytes(const sdk::TenantInfo& tenant) {
    {
        std::lock_guard lock(mutex_);
        if (auto it = storage_.find(tenant.id); it != storage_.end() && fresh(it->second)) return it->second.value;
    }
    std::int64_t bytes = 0;
    {
        auto lease = pool_.acquire(tenant.slug);
        auto& db = lease.db();
        const char* sql =
            db.engine() == sdk::Engine::Sqlite
                ? "SELECT (SELECT page_count FROM pragma_page_count()) * (SELECT page_size FROM pragma_page_size()) AS n"
                : "SELECT CAST(COALESCE(SUM(pg_total_relation_size(c.oid)), 0) AS BIGINT) AS n FROM pg_class c "
                  "JOIN pg_namespace s ON s.oid = c.relnamespace WHERE s.nspname = current_schema() AND c.relkind IN ('r', 'm')";
        bytes = (*db.queryOne(sql))["n"].asInt();
    }
    std::lock_guard lock(mutex_);
    storage_[tenant.id] = {bytes, std::chrono::steady_clock::now()};
    return bytes;
}

}  // namespace tessera::host::auth
