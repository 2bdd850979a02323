-- Notes and activities (calls, meetings, tasks) on a deal; one table so the timeline
-- is a single ordered query.
CREATE TABLE deals_activities (
    id TEXT PRIMARY KEY,
    deal_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    title TEXT,
    body TEXT,
    occurred_at TEXT NOT NULL,
    due_at TEXT,
    done INTEGER NOT NULL DEFAULT 0,
    created_by TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX deals_activities_deal_idx ON deals_activities (deal_id, occurred_at, id);
