-- Notes and activities (calls, meetings, tasks) on a contact or a company. One table so
-- the timeline is a single ordered query.
CREATE TABLE contacts_activities (
    id TEXT PRIMARY KEY,
    subject_type TEXT NOT NULL,
    subject_id TEXT NOT NULL,
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
CREATE INDEX contacts_activities_subject_idx ON contacts_activities (subject_type, subject_id, occurred_at, id);
