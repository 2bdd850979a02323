CREATE TABLE tenants (
    id BIGSERIAL PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE tenant_domains (
    domain TEXT PRIMARY KEY,
    tenant_id BIGINT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE
);
CREATE TABLE tenant_plugins (
    tenant_id BIGINT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    plugin TEXT NOT NULL,
    enabled INTEGER NOT NULL,
    changed_at TEXT NOT NULL,
    PRIMARY KEY (tenant_id, plugin)
);
-- Bumped by every change to the tables above, so running hosts know to drop caches.
CREATE TABLE control_state (key TEXT PRIMARY KEY, value BIGINT NOT NULL);
INSERT INTO control_state (key, value) VALUES ('version', 0);
