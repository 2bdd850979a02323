#pragma once
// Group commit of a SQLite tenant's write requests.
//
// SQLite lets one connection write at a time, and every commit appends the pages it
// touched to the WAL and flushes the search index. Write requests that arrive while a
// tenant's group is running wait in the tenant's queue; the next group runs them one
// after another in one transaction (up to kMaxRequests or kMaxTime), each inside its own
// savepoint so that a failing request is undone alone, and commits once. No request is
// answered before the COMMIT that holds its change, so an acknowledged write is never
// lost. PostgreSQL commits concurrently and does not use this.

#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "core/executor.hpp"
#include "db/connection_pool.hpp"
#include "tenants/tenant_service.hpp"

namespace tessera::host {

class GroupCommit {
public:
    static constexpr std::size_t kMaxRequests = 64;
    static constexpr std::chrono::milliseconds kMaxTime{10};

    enum class Outcome {
        Committed,
        Busy,    // no connection to the tenant's database came free in time
        Failed,  // the group's transaction could not be opened or committed: nothing was kept
    };

    struct Job {
        // Runs inside the group's transaction, on the group's thread, where every
        // ConnectionPool::acquire() of the tenant answers with the group's connection.
        // false undoes what it wrote.
        std::function<bool()> work;
        // Runs after the job's savepoint is kept or undone, still inside the transaction.
        std::function<void()> settle;
        // Runs exactly once, after the COMMIT or once the group is known lost.
        std::function<void(Outcome)> finish;
    };

    GroupCommit(ConnectionPool& pool, TenantService& tenants, Executor& executor)
        : pool_(pool), tenants_(tenants), executor_(executor) {}
    GroupCommit(const GroupCommit&) = delete;
    GroupCommit& operator=(const GroupCommit&) = delete;

    void submit(std::shared_ptr<const TenantRecord> tenant, Job job);

private:
    struct Queue {
        std::deque<Job> jobs;
        bool running = false;
    };

    void runGroup(const std::shared_ptr<const TenantRecord>& tenant);
    bool takeNext(const std::string& slug, Job& job);

    ConnectionPool& pool_;
    TenantService& tenants_;
    Executor& executor_;
    std::mutex mutex_;
    std::unordered_map<std::string, Queue> queues_;
};

}  // namespace tessera::host
