-- First answers to POSTs carrying an Idempotency-Key, replayed for 24 hours; one table
-- for every route declared idempotent, whichever plugin owns it (host/src/http/idempotency.hpp).
CREATE TABLE host_idempotency_keys (
    idem_key TEXT PRIMARY KEY,
    fingerprint TEXT NOT NULL,
    status INTEGER NOT NULL,
    headers TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX host_idempotency_keys_created_idx ON host_idempotency_keys (created_at);
