#pragma once
// Bounded connections for all tenants and the control database.
//
// SQLite: one file per tenant (<dir>/tenants/<slug>.db), up to connections_per_tenant
// connections each. PostgreSQL: one schema per tenant; sessions are shared between
// tenants and switch search_path when they change hands. In both, at most
// max_open_connections stay open: idle connections of the least recently used tenants
// are closed first, so thousands of tenants never exhaust file descriptors.

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "db/database_url.hpp"
#include "db/sql_database.hpp"

namespace tessera::host {

// Raised when no connection frees up within the pool's wait time; maps to 503.
class PoolExhausted : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class ConnectionPool {
    struct Connection;

public:
    struct Limits {
        std::size_t max_open = 256;
        std::size_t per_tenant = 4;
        std::chrono::milliseconds wait{5000};
    };

    // A borrowed connection; returned to the pool when destroyed. An open transaction
    // left behind is rolled back.
    class Lease {
    public:
        Lease(Lease&& o) noexcept : pool_(o.pool_), conn_(o.conn_), joined_(o.joined_) { o.conn_ = nullptr; }
        Lease& operator=(Lease&&) = delete;
        ~Lease();
        SqlDatabase& db();

    private:
        friend class ConnectionPool;
        Lease(ConnectionPool* pool, Connection* conn, bool joined = false) : pool_(pool), conn_(conn), joined_(joined) {}
        ConnectionPool* pool_;
        Connection* conn_;
        bool joined_;  // a Binding's connection: its owner gives it back, not this lease
    };

    // While it lives, acquire() of the lease's tenant on this thread answers with the
    // lease's own connection. A group commit holds the tenant's write lock for several
    // requests; a second connection taken on the same thread (the audit log, a workflow
    // hook) would wait for that lock behind itself.
    class Binding {
    public:
        explicit Binding(Lease& lease);
        ~Binding();
        Binding(const Binding&) = delete;
        Binding& operator=(const Binding&) = delete;
    };

    ConnectionPool(DatabaseUrl url, Limits limits);
    ~ConnectionPool();
    ConnectionPool(const ConnectionPool&) = delete;
    ConnectionPool& operator=(const ConnectionPool&) = delete;

    sdk::Engine engine() const { return url_.engine; }

    // A connection to `slug`'s data. The tenant's storage must exist (createTenantStorage).
    Lease acquire(const std::string& slug);
    // The control database (tenants, plugin state, host schema). One session, serialised.
    Lease acquireControl();

    void createTenantStorage(const std::string& slug);
    void dropTenantStorage(const std::string& slug);
    bool tenantStorageExists(const std::string& slug);
    // Closes idle connections of `slug` (before dropping it).
    void closeTenant(const std::string& slug);

    std::size_t openConnections() const;
    static std::string schemaName(const std::string& slug);

private:
    std::unique_ptr<Connection> open(const std::string& slug);
    void release(Connection* conn);
    std::string tenantFile(const std::string& slug) const;

    DatabaseUrl url_;
    Limits limits_;
    mutable std::mutex mutex_;
    std::condition_variable freed_;
    std::unordered_map<Connection*, std::unique_ptr<Connection>> all_;
    std::unordered_map<std::string, std::vector<Connection*>> idle_by_tenant_;
    std::unordered_map<std::string, std::size_t> open_by_tenant_;
    std::list<Connection*> idle_lru_;  // front: idle the longest
    std::unique_ptr<Connection> control_;
    std::mutex control_mutex_;
};

}  // namespace tessera::host
