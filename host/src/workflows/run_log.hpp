#pragma once
// The workflow run log's writer. Runs are recorded in batches, one transaction per tenant
// per flush, because a row and a commit per run cost more than the run itself: a before
// hook is ~11 µs of Lua, its own commit was ~100 µs (docs/lua.md, Benchmarks). Rows wait
// at most one flush interval; readers of the run log call flush() first, so the API
// always shows every finished run.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/executor.hpp"
#include "tenants/tenant_scope.hpp"
#include "workflows/workflow_types.hpp"

namespace tessera::host {

class RunLog {
public:
    // Rows waiting per tenant at most (its database stalls longer than the batches come);
    // beyond it the oldest are dropped, each one logged. A batch the database refuses is
    // logged and dropped, not retried.
    static constexpr std::size_t kMaxPendingPerTenant = 10000;
    // A batch this large is written at once instead of waiting for the interval.
    static constexpr std::size_t kBatch = 256;

    RunLog(ScopeServices services, std::chrono::milliseconds interval);
    ~RunLog();
    RunLog(const RunLog&) = delete;
    RunLog& operator=(const RunLog&) = delete;

    // Writes on `executor`'s threads every interval until stop().
    void start(Executor& executor);
    // Cancels the timer and writes what is pending; later runs are written one by one.
    // Call after the workers whose runs it records have stopped.
    void stop();

    void add(const std::shared_ptr<const TenantRecord>& tenant, RunRecord run);
    // Writes the tenant's pending rows and waits for any batch of it being written.
    void flush(const std::string& slug);

private:
    struct Pending {
        std::shared_ptr<const TenantRecord> tenant;
        std::vector<RunRecord> runs;
    };

    void flushAll();
    void write(const Pending& batch);

    ScopeServices services_;
    std::chrono::milliseconds interval_;
    Executor* executor_ = nullptr;
    std::uint64_t timer_ = 0;

    std::mutex pending_mutex_;
    std::unordered_map<std::string, Pending> pending_;
    bool stopped_ = false;
    // Held while a batch is taken and written, so flush() returns only once every run
    // added before it is in the database.
    std::mutex write_mutex_;
};

}  // namespace tessera::host
