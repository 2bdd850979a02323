#include "db/connection_pool.hpp"

#include <filesystem>

#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

namespace tessera::host {

namespace fs = std::filesystem;

struct ConnectionPool::Connection {
    std::unique_ptr<soci::session> session;
    std::unique_ptr<SqlDatabase> db;
    std::string tenant;  // tenant it currently serves ("" for control)
    std::list<Connection*>::iterator lru_pos;
    bool idle = false;
};

namespace {
constexpr const char* kControlSchema = "tessera";

std::string quoteIdent(const std::string& name) { return "\"" + name + "\""; }

struct BoundConnection {
    const ConnectionPool* pool = nullptr;
    ConnectionPool::Lease* lease = nullptr;
};
thread_local BoundConnection t_bound;
}  // namespace

std::string ConnectionPool::schemaName(const std::string& slug) {
    std::string s = "tenant_" + slug;
    for (auto& c : s)
        if (c == '-') c = '_';
    return s;
}

ConnectionPool::ConnectionPool(DatabaseUrl url, Limits limits) : url_(std::move(url)), limits_(limits) {
    if (url_.engine == sdk::Engine::Sqlite) {
        fs::create_directories(fs::path(url_.sqlite_dir) / "tenants");
    }
    control_ = open("");
    if (url_.engine == sdk::Engine::Postgres) {
        control_->db->executeScript(std::string("CREATE SCHEMA IF NOT EXISTS ") + kControlSchema +
                                    "; SET search_path TO " + kControlSchema);
    }
}

ConnectionPool::~ConnectionPool() = default;

std::string ConnectionPool::tenantFile(const std::string& slug) const {
    return (fs::path(url_.sqlite_dir) / "tenants" / (slug + ".db")).string();
}

std::unique_ptr<ConnectionPool::Connection> ConnectionPool::open(const std::string& slug) {
    auto c = std::make_unique<Connection>();
    c->tenant = slug;
    if (url_.engine == sdk::Engine::Sqlite) {
        const std::string file = slug.empty() ? (fs::path(url_.sqlite_dir) / "control.db").string() : tenantFile(slug);
        c->session = std::make_unique<soci::session>(soci::sqlite3, "db=" + file + " timeout=10");
        c->db = std::make_unique<SqlDatabase>(*c->session, url_.engine, slug);
        c->db->executeScript("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;");
    } else {
        c->session = std::make_unique<soci::session>(soci::postgresql, url_.postgres_conninfo);
        c->db = std::make_unique<SqlDatabase>(*c->session, url_.engine, slug);
        // NOTICEs ("relation already exists, skipping") would otherwise go to stderr.
        std::string setup = "SET client_min_messages TO WARNING";
        if (!slug.empty()) setup += "; SET search_path TO " + quoteIdent(schemaName(slug));
        c->db->executeScript(setup);
    }
    return c;
}

ConnectionPool::Lease ConnectionPool::acquireControl() {
    control_mutex_.lock();
    return Lease(this, control_.get());
}

ConnectionPool::Binding::Binding(Lease& lease) { t_bound = {lease.pool_, &lease}; }

ConnectionPool::Binding::~Binding() { t_bound = {}; }

ConnectionPool::Lease ConnectionPool::acquire(const std::string& slug) {
    if (t_bound.pool == this && t_bound.lease->conn_->tenant == slug) return Lease(this, t_bound.lease->conn_, true);
    std::unique_lock lock(mutex_);
    const auto deadline = std::chrono::steady_clock::now() + limits_.wait;
    const bool sqlite = url_.engine == sdk::Engine::Sqlite;
    const std::size_t tenant_cap = sqlite ? limits_.per_tenant : limits_.max_open;
    for (;;) {
        auto& idle = idle_by_tenant_[slug];
        if (!idle.empty()) {
            Connection* c = idle.back();
            idle.pop_back();
            idle_lru_.erase(c->lru_pos);
            c->idle = false;
            return Lease(this, c);
        }
        const bool room_for_tenant = open_by_tenant_[slug] < tenant_cap;
        if (room_for_tenant && all_.size() >= limits_.max_open && !idle_lru_.empty()) {
            // Make room: the connection idle the longest goes (PostgreSQL: is reused).
            Connection* victim = idle_lru_.front();
            idle_lru_.pop_front();
            auto& victims = idle_by_tenant_[victim->tenant];
            std::erase(victims, victim);
            if (victims.empty()) idle_by_tenant_.erase(victim->tenant);
            --open_by_tenant_[victim->tenant];
            if (!sqlite) {
                victim->tenant = slug;
                victim->idle = false;
                ++open_by_tenant_[slug];
                lock.unlock();
                try {
                    victim->db->executeScript("SET search_path TO " + quoteIdent(schemaName(slug)));
                } catch (...) {
                    std::lock_guard relock(mutex_);
                    --open_by_tenant_[slug];
                    all_.erase(victim);
                    freed_.notify_one();
                    throw;
                }
                return Lease(this, victim);
            }
            all_.erase(victim);
        }
        if (room_for_tenant && all_.size() < limits_.max_open) {
            ++open_by_tenant_[slug];
            // Reserve the slot, then open without holding the lock.
            lock.unlock();
            std::unique_ptr<Connection> fresh;
            try {
                fresh = open(slug);
            } catch (...) {
                std::lock_guard relock(mutex_);
                --open_by_tenant_[slug];
                freed_.notify_one();
                throw;
            }
            Connection* raw = fresh.get();
            std::lock_guard relock(mutex_);
            all_.emplace(raw, std::move(fresh));
            return Lease(this, raw);
        }
        if (freed_.wait_until(lock, deadline) == std::cv_status::timeout)
            throw PoolExhausted("no database connection free for tenant '" + slug + "'");
    }
}

void ConnectionPool::release(Connection* c) {
    if (c == control_.get()) {
        if (c->db->inTransaction()) {
            try {
                c->db->rollback();
            } catch (...) {
            }
        }
        control_mutex_.unlock();
        return;
    }
    bool broken = false;
    if (c->db->inTransaction()) {
        try {
            c->db->rollback();
        } catch (...) {
            broken = true;
        }
    }
    std::lock_guard lock(mutex_);
    if (broken) {
        --open_by_tenant_[c->tenant];
        all_.erase(c);
    } else {
        c->idle = true;
        idle_by_tenant_[c->tenant].push_back(c);
        c->lru_pos = idle_lru_.insert(idle_lru_.end(), c);
    }
    freed_.notify_one();
}

ConnectionPool::Lease::~Lease() {
    if (conn_ && !joined_) pool_->release(conn_);
}

SqlDatabase& ConnectionPool::Lease::db() { return *conn_->db; }

void ConnectionPool::closeTenant(const std::string& slug) {
    std::lock_guard lock(mutex_);
    auto it = idle_by_tenant_.find(slug);
    if (it == idle_by_tenant_.end()) return;
    for (Connection* c : it->second) {
        idle_lru_.erase(c->lru_pos);
        --open_by_tenant_[slug];
        all_.erase(c);
    }
    idle_by_tenant_.erase(it);
    freed_.notify_all();
}

void ConnectionPool::createTenantStorage(const std::string& slug) {
    if (url_.engine == sdk::Engine::Sqlite) return;  // the file appears on first open
    auto lease = acquireControl();
    lease.db().executeScript("CREATE SCHEMA IF NOT EXISTS " + quoteIdent(schemaName(slug)));
}

bool ConnectionPool::tenantStorageExists(const std::string& slug) {
    if (url_.engine == sdk::Engine::Sqlite) return fs::exists(tenantFile(slug));
    auto lease = acquireControl();
    return lease.db().queryOne("SELECT 1 FROM information_schema.schemata WHERE schema_name = ?",
                               {schemaName(slug)}).has_value();
}

void ConnectionPool::dropTenantStorage(const std::string& slug) {
    closeTenant(slug);
    if (url_.engine == sdk::Engine::Sqlite) {
        const std::string file = tenantFile(slug);
        for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(file + suffix);
        return;
    }
    auto lease = acquireControl();
    lease.db().executeScript("DROP SCHEMA IF EXISTS " + quoteIdent(schemaName(slug)) + " CASCADE");
}

std::size_t ConnectionPool::openConnections() const {
    std::lock_guard lock(mutex_);
    return all_.size() + 1;
}

}  // namespace tessera::host
