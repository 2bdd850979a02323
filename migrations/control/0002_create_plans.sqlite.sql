-- Plans a reseller sells and the plan each tenant is on. A limit of 0 means unlimited.
CREATE TABLE plans (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    max_users INTEGER NOT NULL,
    requests_per_minute INTEGER NOT NULL,
    max_records_per_plugin INTEGER NOT NULL,
    max_storage_mb INTEGER NOT NULL,
    max_scripts INTEGER NOT NULL
);
INSERT INTO plans (id, name, max_users, requests_per_minute, max_records_per_plugin, max_storage_mb, max_scripts) VALUES
    ('starter', 'Starter', 3, 120, 1000, 500, 0),
    ('professional', 'Professional', 15, 1200, 50000, 5000, 10),
    ('business', 'Business', 100, 6000, 1000000, 50000, 100),
    ('enterprise', 'Enterprise', 0, 0, 0, 0, 0);
CREATE TABLE tenant_plans (
    tenant_id INTEGER PRIMARY KEY REFERENCES tenants(id) ON DELETE CASCADE,
    plan_id TEXT NOT NULL REFERENCES plans(id),
    changed_at TEXT NOT NULL
);
