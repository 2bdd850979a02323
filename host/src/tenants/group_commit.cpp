#include "tenants/group_commit.hpp"

#include <stdexcept>
#include <vector>

#include <spdlog/spdlog.h>

namespace tessera::host {

namespace {

void finishAll(std::vector<GroupCommit::Job>& jobs, GroupCommit::Outcome outcome, const std::string& slug) {
    for (auto& job : jobs) {
        try {
            job.finish(outcome);
        } catch (const std::exception& e) {
            spdlog::error("[host tenant={}] answering a grouped write failed: {}", slug, e.what());
        }
    }
    jobs.clear();
}

void requireGroup(const SqlDatabase& db) {
    if (db.groupLost()) throw std::runtime_error("the database ended the group's transaction");
}

}  // namespace

void GroupCommit::submit(std::shared_ptr<const TenantRecord> tenant, Job job) {
    {
        std::lock_guard lock(mutex_);
        auto& queue = queues_[tenant->slug];
        queue.jobs.push_back(std::move(job));
        if (queue.running) return;
        queue.running = true;
    }
    executor_.post([this, tenant = std::move(tenant)] { runGroup(tenant); });
}

bool GroupCommit::takeNext(const std::string& slug, Job& job) {
    std::lock_guard lock(mutex_);
    auto& queue = queues_[slug];
    if (queue.jobs.empty()) return false;
    job = std::move(queue.jobs.front());
    queue.jobs.pop_front();
    return true;
}

void GroupCommit::runGroup(const std::shared_ptr<const TenantRecord>& tenant) {
    const std::string& slug = tenant->slug;
    std::vector<Job> group;
    bool opened = false;
    // A group that could not start fails the whole queue: the next would fail the same way.
    const auto failQueue = [&](Outcome outcome) {
        Job job;
        if (!opened)
            while (takeNext(slug, job)) group.push_back(std::move(job));
        finishAll(group, outcome, slug);
    };
    try {
        tenants_.ensureMigrated(*tenant);
        auto lease = pool_.acquire(slug);
        ConnectionPool::Binding binding(lease);
        SqlDatabase& db = lease.db();
        db.beginGroup();
        opened = true;
        try {
            const auto deadline = std::chrono::steady_clock::now() + kMaxTime;
            Job job;
            while (group.size() < kMaxRequests && (group.empty() || std::chrono::steady_clock::now() < deadline) &&
                   takeNext(slug, job)) {
                group.push_back(std::move(job));
                auto& current = group.back();
                db.savepoint();
                bool keep = false;
                try {
                    keep = current.work();
                } catch (const std::exception& e) {
                    spdlog::error("[host tenant={}] grouped write threw: {}", slug, e.what());
                }
                requireGroup(db);
                if (keep) db.releaseSavepoint();
                else db.undoSavepoint();
                current.settle();
                requireGroup(db);
            }
            db.commitGroup();
        } catch (...) {
            db.rollbackGroup();
            throw;
        }
        finishAll(group, Outcome::Committed, slug);
    } catch (const PoolExhausted& e) {
        spdlog::warn("[host tenant={}] {}", slug, e.what());
        failQueue(Outcome::Busy);
    } catch (const std::exception& e) {
        spdlog::error("[host tenant={}] a group of {} write(s) was not committed: {}", slug, group.size(), e.what());
        failQueue(Outcome::Failed);
    }

    {
        std::lock_guard lock(mutex_);
        auto it = queues_.find(slug);
        if (it->second.jobs.empty()) {
            queues_.erase(it);
            return;
        }
    }
    // The next group is a new pool task, so reads queued meanwhile are not held back.
    executor_.post([this, tenant] { runGroup(tenant); });
}

}  // namespace tessera::host
