#pragma once
// Workflows, their versions and their run log in the tenant's database. Every save is a
// new version row; a run records the version that ran. Works on any sdk::Database, so
// the routes, the engine and the CLI share it.

#include <optional>
#include <string>
#include <vector>

#include <tessera/sdk/database.hpp>

#include "workflows/workflow_types.hpp"

namespace tessera::host {

struct RunFilter {
    std::string workflow_id, status, trigger;
    std::string cursor;  // started_at~id of the last row of the previous page
    int limit = 50;
};

class WorkflowStore {
public:
    explicit WorkflowStore(sdk::Database& db) : db_(db) {}

    std::vector<WorkflowRecord> list();
    std::vector<WorkflowRecord> enabled();
    std::optional<WorkflowRecord> get(const std::string& id);
    std::optional<WorkflowRecord> byName(const std::string& name);
    std::int64_t count();

    // Throws sdk::ApiError 409 when the name is taken.
    WorkflowRecord create(const WorkflowDraft& draft, const std::string& author);
    // Stores `draft` as version current.version + 1. 412 if the row moved meanwhile.
    WorkflowRecord update(const WorkflowRecord& current, const WorkflowDraft& draft, const std::string& author);
    void setEnabled(const std::string& id, bool enabled);
    void remove(const std::string& id);

    sdk::Json versions(const std::string& id);
    std::optional<WorkflowDraft> version(const std::string& id, std::int64_t version);

    void insertRun(const RunRecord& run);
    // Newest first; returns the page and fills `next_cursor` when there is more.
    std::vector<RunRecord> runs(const RunFilter& filter, std::string& next_cursor);
    std::optional<RunRecord> run(const std::string& id);
    // Deletes runs started before `cutoff_iso`; returns how many.
    std::int64_t pruneRuns(const std::string& cutoff_iso);

private:
    sdk::Database& db_;
};

}  // namespace tessera::host
