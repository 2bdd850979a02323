#include "workflows/run_log.hpp"

#include <spdlog/spdlog.h>

#include "workflows/workflow_store.hpp"

namespace tessera::host {

RunLog::RunLog(ScopeServices services, std::chrono::milliseconds interval) : services_(services), interval_(interval) {}

RunLog::~RunLog() { stop(); }

void RunLog::start(Executor& executor) {
    std::lock_guard lock(pending_mutex_);
    executor_ = &executor;
    timer_ = executor.every(interval_, [this] { flushAll(); });
}

void RunLog::stop() {
    Executor* executor = nullptr;
    {
        std::lock_guard lock(pending_mutex_);
        std::swap(executor, executor_);
        stopped_ = true;
    }
    if (executor) executor->cancel(timer_);
    flushAll();
}

void RunLog::add(const std::shared_ptr<const TenantRecord>& tenant, RunRecord run) {
    Executor* flush_now = nullptr;
    bool stopped = false;
    {
        std::lock_guard lock(pending_mutex_);
        stopped = stopped_;
        if (!stopped) {
            auto& pending = pending_[tenant->slug];
            if (!pending.tenant) pending.tenant = tenant;
            if (pending.runs.size() >= kMaxPendingPerTenant) {
                spdlog::error("[workflows tenant={}] run log backlog over {} rows: run {} not recorded", tenant->slug,
                              kMaxPendingPerTenant, pending.runs.front().id);
                pending.runs.erase(pending.runs.begin());
            }
            pending.runs.push_back(std::move(run));
            if (pending.runs.size() == kBatch) flush_now = executor_;
        }
    }
    if (stopped) {
        // Past the last flush (a write finishing during shutdown): recorded right away.
        std::lock_guard writing(write_mutex_);
        write(Pending{tenant, {std::move(run)}});
    } else if (flush_now) {
        flush_now->post([this, slug = tenant->slug] { flush(slug); });
    }
}

void RunLog::flush(const std::string& slug) {
    std::lock_guard writing(write_mutex_);
    Pending batch;
    {
        std::lock_guard lock(pending_mutex_);
        auto it = pending_.find(slug);
        if (it == pending_.end()) return;
        batch = std::move(it->second);
        pending_.erase(it);
    }
    write(batch);
}

void RunLog::flushAll() {
    std::lock_guard writing(write_mutex_);
    std::unordered_map<std::string, Pending> batches;
    {
        std::lock_guard lock(pending_mutex_);
        batches.swap(pending_);
    }
    for (const auto& [slug, batch] : batches) write(batch);
}

void RunLog::write(const Pending& batch) {
    if (batch.runs.empty()) return;
    const auto& slug = batch.tenant->slug;
    try {
        services_.tenants.ensureMigrated(*batch.tenant);
        auto lease = services_.pool.acquire(slug);
        auto& db = lease.db();
        try {
            db.transaction([&] {
                WorkflowStore store(db);
                for (const auto& run : batch.runs) store.insertRun(run);
            });
            return;
        } catch (const std::exception& e) {
            spdlog::warn("[workflows tenant={}] run log batch of {} refused ({}); recording runs one by one", slug,
                         batch.runs.size(), e.what());
        }
        // One bad row must not cost the others their record.
        WorkflowStore store(db);
        for (const auto& run : batch.runs) {
            try {
                store.insertRun(run);
            } catch (const std::exception& e) {
                spdlog::error("[workflows tenant={}] cannot record run {}: {}", slug, run.id, e.what());
            }
        }
    } catch (const std::exception& e) {
        spdlog::error("[workflows tenant={}] cannot record {} runs: {}", slug, batch.runs.size(), e.what());
    }
}

}  // namespace tessera::host
