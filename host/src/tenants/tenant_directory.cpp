#include "tenants/tenant_directory.hpp"

#include <mutex>
#include <regex>

#include "core/clock.hpp"

namespace tessera::host {
namespace {

// Unknown slugs are cached as absent too, so probing random names costs no queries;
// the cache is bounded so that such probing cannot grow it without limit.
constexpr std::size_t kMaxCached = 20000;

}  // namespace

// By hand, not std::regex: it runs on every request.
bool TenantDirectory::validSlug(const std::string& slug) {
    if (slug.size() < 2 || slug.size() > 63 || slug.front() == '-' || slug.back() == '-') return false;
    for (char c : slug)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
    return true;
}

std::int64_t TenantDirectory::readVersion(SqlDatabase& db) {
    auto row = db.queryOne("SELECT value FROM control_state WHERE key = 'version'");
    return row ? (*row)["value"].asInt() : 0;
}

void TenantDirectory::bumpVersion(SqlDatabase& db) {
    db.execute("UPDATE control_state SET value = value + 1 WHERE key = 'version'");
}

std::optional<TenantRecord> TenantDirectory::load(SqlDatabase& db, const std::string& column, const std::string& value) {
    std::optional<sdk::Row> row;
    if (column == "slug") {
        row = db.queryOne("SELECT id, slug, name, status, created_at FROM tenants WHERE slug = ?", {value});
    } else {
        row = db.queryOne("SELECT t.id, t.slug, t.name, t.status, t.created_at FROM tenants t "
                          "JOIN tenant_domains d ON d.tenant_id = t.id WHERE d.domain = ?", {value});
    }
    if (!row) return std::nullopt;
    TenantRecord r;
    r.id = (*row)["id"].asInt();
    r.slug = (*row)["slug"].asText();
    r.name = (*row)["name"].asText();
    r.status = (*row)["status"].asText();
    r.created_at = (*row)["created_at"].asText();
    for (const auto& p : db.query("SELECT plugin FROM tenant_plugins WHERE tenant_id = ? AND enabled = 1", {r.id}))
        r.enabled_plugins.insert(p["plugin"].asText());
    for (const auto& d : db.query("SELECT domain FROM tenant_domains WHERE tenant_id = ? ORDER BY domain", {r.id}))
        r.domains.push_back(d["domain"].asText());
    return r;
}

std::shared_ptr<const TenantRecord> TenantDirectory::cached(
    std::unordered_map<std::string, std::shared_ptr<const TenantRecord>>& cache, const std::string& column,
    const std::string& key) {
    {
        std::shared_lock lock(mutex_);
        if (auto it = cache.find(key); it != cache.end()) return it->second;
    }
    std::shared_ptr<const TenantRecord> rec;
    {
        auto lease = pool_.acquireControl();
        if (auto r = load(lease.db(), column, key)) rec = std::make_shared<const TenantRecord>(std::move(*r));
    }
    std::unique_lock lock(mutex_);
    if (cache.size() >= kMaxCached) cache.clear();
    cache[key] = rec;
    return rec;
}

std::shared_ptr<const TenantRecord> TenantDirectory::bySlug(const std::string& slug) {
    return cached(by_slug_, "slug", slug);
}

std::shared_ptr<const TenantRecord> TenantDirectory::byDomain(const std::string& domain) {
    return cached(by_domain_, "domain", domain);
}

std::vector<TenantRecord> TenantDirectory::list() {
    auto lease = pool_.acquireControl();
    std::vector<TenantRecord> out;
    for (const auto& row : lease.db().query("SELECT slug FROM tenants ORDER BY slug"))
        if (auto r = load(lease.db(), "slug", row["slug"].asText())) out.push_back(std::move(*r));
    return out;
}

TenantRecord TenantDirectory::insert(const std::string& slug, const std::string& name,
                                     const std::vector<std::string>& plugins) {
    if (!validSlug(slug))
        throw TenantError(TenantError::Kind::Invalid,
                          "tenant slug '" + slug + "' is invalid: use 2-63 lowercase letters, digits and inner hyphens");
    if (name.size() > 200) throw TenantError(TenantError::Kind::Invalid, "tenant name is longer than 200 characters");
    auto lease = pool_.acquireControl();
    auto& db = lease.db();
    std::optional<TenantRecord> created;
    db.transaction([&] {
        if (db.queryOne("SELECT 1 FROM tenants WHERE slug = ?", {slug}))
            throw TenantError(TenantError::Kind::Conflict, "tenant '" + slug + "' already exists");
        const std::string now = isoNow();
        db.execute("INSERT INTO tenants (slug, name, status, created_at, updated_at) VALUES (?, ?, 'active', ?, ?)",
                   {slug, name.empty() ? slug : name, now, now});
        const auto id = (*db.queryOne("SELECT id FROM tenants WHERE slug = ?", {slug}))["id"].asInt();
        for (const auto& p : plugins)
            db.execute("INSERT INTO tenant_plugins (tenant_id, plugin, enabled, changed_at) VALUES (?, ?, 1, ?)",
                       {id, p, now});
        bumpVersion(db);
        created = load(db, "slug", slug);
    });
    invalidate();
    return *created;
}

void TenantDirectory::setStatus(const std::string& slug, const std::string& status) {
    auto lease = pool_.acquireControl();
    auto& db = lease.db();
    db.transaction([&] {
        if (db.execute("UPDATE tenants SET status = ?, updated_at = ? WHERE slug = ?", {status, isoNow(), slug}) == 0)
            throw TenantError(TenantError::Kind::NotFound, "no tenant '" + slug + "'");
        bumpVersion(db);
    });
    invalidate();
}

void TenantDirectory::remove(const std::string& slug) {
    auto lease = pool_.acquireControl();
    auto& db = lease.db();
    db.transaction([&] {
        if (db.execute("DELETE FROM tenants WHERE slug = ?", {slug}) == 0)
            throw TenantError(TenantError::Kind::NotFound, "no tenant '" + slug + "'");
        bumpVersion(db);
    });
    invalidate();
}

void TenantDirectory::setPlugin(const std::string& slug, const std::string& plugin, bool enabled) {
    auto lease = pool_.acquireControl();
    auto& db = lease.db();
    db.transaction([&] {
        auto row = db.queryOne("SELECT id FROM tenants WHERE slug = ?", {slug});
        if (!row) throw TenantError(TenantError::Kind::NotFound, "no tenant '" + slug + "'");
        const auto id = (*row)["id"].asInt();
        const std::string now = isoNow();
        if (db.execute("UPDATE tenant_plugins SET enabled = ?, changed_at = ? WHERE tenant_id = ? AND plugin = ?",
                       {enabled, now, id, plugin}) == 0)
            db.execute("INSERT INTO tenant_plugins (tenant_id, plugin, enabled, changed_at) VALUES (?, ?, ?, ?)",
                       {id, plugin, enabled, now});
        bumpVersion(db);
    });
    invalidate();
}

void TenantDirectory::addDomain(const std::string& slug, const std::string& domain) {
    static const std::regex re(R"(^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$)");
    if (!std::regex_match(domain, re))
        throw TenantError(TenantError::Kind::Invalid, "'" + domain + "' is not a valid domain name");
    auto lease = pool_.acquireControl();
    auto& db = lease.db();
    db.transaction([&] {
        auto row = db.queryOne("SELECT id FROM tenants WHERE slug = ?", {slug});
        if (!row) throw TenantError(TenantError::Kind::NotFound, "no tenant '" + slug + "'");
        if (db.queryOne("SELECT 1 FROM tenant_domains WHERE domain = ?", {domain}))
            throw TenantError(TenantError::Kind::Conflict, "domain '" + domain + "' is already mapped");
        db.execute("INSERT INTO tenant_domains (domain, tenant_id) VALUES (?, ?)", {domain, (*row)["id"].asInt()});
        bumpVersion(db);
    });
    invalidate();
}

void TenantDirectory::refreshIfChanged() {
    std::int64_t current;
    {
        auto lease = pool_.acquireControl();
        current = readVersion(lease.db());
    }
    std::unique_lock lock(mutex_);
    if (current != version_) {
        by_slug_.clear();
        by_domain_.clear();
        version_ = current;
    }
}

void TenantDirectory::invalidate() {
    std::unique_lock lock(mutex_);
    by_slug_.clear();
    by_domain_.clear();
}

}  // namespace tessera::host
