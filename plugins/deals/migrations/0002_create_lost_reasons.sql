-- The tenant-managed list a lost deal must pick its reason from. name_key is the
-- lower-cased name, so "Price" and "price" cannot both exist.
CREATE TABLE deals_lost_reasons (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    name_key TEXT NOT NULL UNIQUE,
    active INTEGER NOT NULL DEFAULT 1,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
