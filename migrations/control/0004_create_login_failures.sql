-- Failed sign-ins, shared by every host process on this database, so that neither a
-- restart nor a second host gives a password guesser a fresh allowance
-- (host/src/auth/login_throttle.cpp). `kind` is 'account' (key: tenant id | email key)
-- or 'address' (key: the client address). Rows older than the lock duration are pruned.
CREATE TABLE auth_login_failures (
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    failures INTEGER NOT NULL,
    last_failure_ms BIGINT NOT NULL,
    PRIMARY KEY (kind, key)
);
CREATE INDEX auth_login_failures_last_idx ON auth_login_failures (last_failure_ms);
