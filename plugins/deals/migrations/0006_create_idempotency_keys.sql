-- First responses to POSTs carrying an Idempotency-Key, replayed for 24 hours.
CREATE TABLE deals_idempotency_keys (
    idem_key TEXT PRIMARY KEY,
    fingerprint TEXT NOT NULL,
    status INTEGER NOT NULL,
    headers TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX deals_idempotency_created_idx ON deals_idempotency_keys (created_at);
