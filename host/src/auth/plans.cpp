#include "auth/plans.hpp"

#include <regex>
#include <stdexcept>

#include "auth/crypto.hpp"

namespace tessera::host::auth {
namespace {

Plan fromRow(const sdk::Row& r) {
    Plan p;
    p.id = r["id"].asText();
    p.name = r["name"].asText();
    p.max_users = r["max_users"].asInt();
    p.requests_per_minute = r["requests_per_minute"].asInt();
    p.max_records_per_plugin = r["max_records_per_plugin"].asInt();
    p.max_storage_mb = r["max_storage_mb"].asInt();
    p.max_scripts = r["max_scripts"].asInt();
    p.script_instructions = r["script_instructions"].asInt();
    p.script_memory_mb = r["script_memory_mb"].asInt();
    p.script_wall_ms = r["script_wall_ms"].asInt();
    return p;
}

constexpr const char* kColumns =
    "SELECT id, name, max_users, requests_per_minute, max_records_per_plugin, max_storage_mb, max_scripts, "
    "script_instructions, script_memory_mb, script_wall_ms FROM plans";

}  // namespace

std::optional<Plan> PlanBook::load(SqlDatabase& db, const std::string& plan_id) {
    auto row = db.queryOne(std::string(kColumns) + " WHERE id = ?", {plan_id});
    if (!row) return std::nullopt;
    return fromRow(*row);
}

Plan PlanBook::forTenant(std::int64_t tenant_id) {
    const auto now = std::chrono::steady_clock::now();
    {
        std::lock_guard lock(mutex_);
        if (auto it = cache_.find(tenant_id); it != cache_.end() && now - it->second.loaded < kRefresh)
            return it->second.plan;
    }
    Plan plan;
    {
        auto lease = pool_.acquireControl();
        auto assigned = lease.db().queryOne("SELECT plan_id FROM tenant_plans WHERE tenant_id = ?", {tenant_id});
        auto loaded = load(lease.db(), assigned ? (*assigned)["plan_id"].asText() : default_plan_);
        if (!loaded) loaded = load(lease.db(), "enterprise");
        if (loaded) plan = *loaded;
        else plan.id = plan.name = "unlimited";
    }
    std::lock_guard lock(mutex_);
    if (cache_.size() > 100000) cache_.clear();
    cache_[tenant_id] = Cached{plan, now};
    return plan;
}

std::vector<Plan> PlanBook::all() {
    auto lease = pool_.acquireControl();
    std::vector<Plan> out;
    for (const auto& r : lease.db().query(std::string(kColumns) + " ORDER BY requests_per_minute = 0, requests_per_minute"))
        out.push_back(fromRow(r));
    return out;
}

bool PlanBook::exists(const std::string& plan_id) {
    auto lease = pool_.acquireControl();
    return load(lease.db(), plan_id).has_value();
}

std::optional<Plan> PlanBook::find(const std::string& plan_id) {
    auto lease = pool_.acquireControl();
    return load(lease.db(), plan_id);
}

void PlanBook::save(const Plan& p) {
    static const std::regex id_shape("^[a-z0-9][a-z0-9-]{0,39}$");
    if (!std::regex_match(p.id, id_shape))
        throw std::invalid_argument("plan id '" + p.id + "' must be 1-40 lowercase letters, digits and hyphens");
    if (p.name.empty() || p.name.size() > 60) throw std::invalid_argument("plan name must be 1-60 characters");
    for (auto v : {p.max_users, p.requests_per_minute, p.max_records_per_plugin, p.max_storage_mb, p.max_scripts,
                   p.script_instructions, p.script_memory_mb, p.script_wall_ms})
        if (v < 0) throw std::invalid_argument("plan limits must be 0 (unlimited) or more");
    if (p.script_instructions > 0 && p.script_instructions < 1000)
        throw std::invalid_argument("--script-instructions must be 0 or at least 1000");
    auto lease = pool_.acquireControl();
    auto& db = lease.db();
    const sdk::Params values = {p.name, p.max_users, p.requests_per_minute, p.max_records_per_plugin, p.max_storage_mb,
                                p.max_scripts, p.script_instructions, p.script_memory_mb, p.script_wall_ms, p.id};
    db.transaction([&] {
        if (db.execute("UPDATE plans SET name = ?, max_users = ?, requests_per_minute = ?, max_records_per_plugin = ?, "
                       "max_storage_mb = ?, max_scripts = ?, script_instructions = ?, script_memory_mb = ?, "
                       "script_wall_ms = ? WHERE id = ?",
                       values) == 0)
            db.execute("INSERT INTO plans (name, max_users, requests_per_minute, max_records_per_plugin, max_storage_mb, "
                       "max_scripts, script_instructions, script_memory_mb, script_wall_ms, id) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       values);
    });
    std::lock_guard lock(mutex_);
    cache_.clear();
}

void PlanBook::assign(std::int64_t tenant_id, const std::string& plan_id) {
    auto lease = pool_.acquireControl();
    auto& db = lease.db();
    if (!load(db, plan_id)) throw std::invalid_argument("no plan '" + plan_id + "'");
    db.transaction([&] {
        const std::string now = isoNow();
        if (db.execute("UPDATE tenant_plans SET plan_id = ?, changed_at = ? WHERE tenant_id = ?", {plan_id, now, tenant_id}) == 0)
            db.execute("INSERT INTO tenant_plans (tenant_id, plan_id, changed_at) VALUES (?, ?, ?)",
                       {tenant_id, plan_id, now});
    });
    std::lock_guard lock(mutex_);
    cache_.erase(tenant_id);
}

}  // namespace tessera::host::auth
