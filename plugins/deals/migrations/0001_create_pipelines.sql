-- Pipelines and their ordered stages. `position` orders pipelines and, within a
-- pipeline, stages; it is kept dense (0, 1, 2, ...) by every write. Timestamps are ISO
-- 8601 UTC text with milliseconds: they sort as text on both engines.
CREATE TABLE deals_pipelines (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    position INTEGER NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE deals_stages (
    id TEXT PRIMARY KEY,
    pipeline_id TEXT NOT NULL REFERENCES deals_pipelines (id),
    name TEXT NOT NULL,
    position INTEGER NOT NULL,
    probability INTEGER NOT NULL,
    rotten_after_days INTEGER,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX deals_stages_pipeline_idx ON deals_stages (pipeline_id, position);
