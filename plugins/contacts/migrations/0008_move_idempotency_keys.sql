-- Idempotency-Key answers are the host's now (one table for every plugin): move the ones
-- still being replayed, then drop this plugin's table. A key some other plugin's table
-- also held keeps the answer moved first.
INSERT INTO host_idempotency_keys (idem_key, fingerprint, status, headers, body, created_at)
SELECT idem_key, fingerprint, status, headers, body, created_at FROM contacts_idempotency_keys
WHERE idem_key NOT IN (SELECT idem_key FROM host_idempotency_keys);
DROP TABLE contacts_idempotency_keys;
