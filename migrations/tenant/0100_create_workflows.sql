-- Tenant workflows (Lua), every saved version of them, and the run log.
-- Timestamps are ISO 8601 UTC text with milliseconds: they sort as text on both engines.
CREATE TABLE workflows (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    trigger_spec TEXT NOT NULL,
    condition_expr TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL,
    run_as TEXT NOT NULL,
    enabled INTEGER NOT NULL DEFAULT 1,
    version INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX workflows_trigger_idx ON workflows (trigger_spec, enabled);

CREATE TABLE workflow_versions (
    workflow_id TEXT NOT NULL REFERENCES workflows (id) ON DELETE CASCADE,
    version INTEGER NOT NULL,
    name TEXT NOT NULL,
    trigger_spec TEXT NOT NULL,
    condition_expr TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL,
    run_as TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    PRIMARY KEY (workflow_id, version)
);

CREATE TABLE workflow_runs (
    id TEXT PRIMARY KEY,
    workflow_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    trigger_spec TEXT NOT NULL,
    status TEXT NOT NULL,
    late INTEGER NOT NULL DEFAULT 0,
    depth INTEGER NOT NULL DEFAULT 0,
    started_at TEXT NOT NULL,
    duration_us BIGINT NOT NULL DEFAULT 0,
    instructions BIGINT NOT NULL DEFAULT 0,
    memory_bytes BIGINT NOT NULL DEFAULT 0,
    logs TEXT NOT NULL DEFAULT '[]',
    error TEXT,
    error_line INTEGER,
    event TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX workflow_runs_started_idx ON workflow_runs (started_at, id);
CREATE INDEX workflow_runs_workflow_idx ON workflow_runs (workflow_id, started_at);
