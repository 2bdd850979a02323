-- First responses to POSTs carrying an Idempotency-Key, replayed for 24 hours.
CREATE TABLE billing_idempotency_keys (
    idem_key TEXT PRIMARY KEY,
    fingerprint TEXT NOT NULL,
    status INTEGER NOT NULL,
    headers TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX billing_idempotency_created_idx ON billing_idempotency_keys (created_at);
