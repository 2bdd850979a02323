-- Durable scheduled work: cron occurrences and crm.schedule delays. A row is claimed by
-- moving it from 'pending' to 'running' in one UPDATE, so one host runs it once.
CREATE TABLE workflow_jobs (
    id TEXT PRIMARY KEY,
    workflow_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    name TEXT NOT NULL DEFAULT '',
    payload TEXT NOT NULL DEFAULT 'null',
    due_at TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending',
    created_at TEXT NOT NULL
);
CREATE INDEX workflow_jobs_due_idx ON workflow_jobs (status, due_at);
