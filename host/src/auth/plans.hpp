#pragma once
// Plans (Starter, Professional, Business, Enterprise) and each tenant's assignment, in
// the control database. The request path reads a tenant's limits from memory; entries
// are reloaded at most every few seconds, so a plan change (CLI) applies within that.

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "db/connection_pool.hpp"

namespace tessera::host::auth {

struct Plan {
    std::string id;
    std::string name;
    // 0 means unlimited.
    std::int64_t max_users = 0;
    std::int64_t requests_per_minute = 0;
    std::int64_t max_records_per_plugin = 0;
    std::int64_t max_storage_mb = 0;
    std::int64_t max_scripts = 0;
    // One workflow run's limits; 0 leaves the operator's default.
    std::int64_t script_instructions = 0;
    std::int64_t script_memory_mb = 0;
    std::int64_t script_wall_ms = 0;
};

class PlanBook {
public:
    PlanBook(ConnectionPool& pool, std::string default_plan) : pool_(pool), default_plan_(std::move(default_plan)) {}

    // The tenant's plan (the default plan when none is assigned), from memory when fresh.
    Plan forTenant(std::int64_t tenant_id);
    std::vector<Plan> all();
    bool exists(const std::string& plan_id);
    std::optional<Plan> find(const std::string& plan_id);
    // Creates or replaces the plan `plan.id`; throws std::invalid_argument for a bad id or
    // name, or a limit below 0, naming it.
    void save(const Plan& plan);
    // Assigns `plan_id` to the tenant; throws std::invalid_argument naming the plan.
    void assign(std::int64_t tenant_id, const std::string& plan_id);

    static constexpr std::chrono::seconds kRefresh{2};

private:
    std::optional<Plan> load(SqlDatabase& db, const std::string& plan_id);

    struct Cached {
        Plan plan;
        std::chrono::steady_clock::time_point loaded;
    };
    ConnectionPool& pool_;
    std::string default_plan_;
    std::mutex mutex_;
    std::unordered_map<std::int64_t, Cached> cache_;
};

}  // namespace tessera::host::auth
