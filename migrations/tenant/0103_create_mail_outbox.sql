-- One outbox for every e-mail the host sends (password resets and invitations from auth,
-- crm.email.send from workflows), drained by the host's mail sender. Replaces the two
-- earlier tables; their queued rows move over unchanged.
CREATE TABLE mail_outbox (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    to_address TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT,
    template TEXT,
    data TEXT NOT NULL DEFAULT '{}',
    source TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    last_error TEXT,
    created_at TEXT NOT NULL,
    sent_at TEXT
);
CREATE INDEX mail_outbox_due_idx ON mail_outbox (status, next_attempt_at);
CREATE INDEX mail_outbox_created_idx ON mail_outbox (created_at, id);

INSERT INTO mail_outbox (id, kind, to_address, subject, body, status, attempts, next_attempt_at, created_at, sent_at)
    SELECT 'mail_legacy' || CAST(id AS TEXT), kind, to_address, subject, body, status, attempts, created_at, created_at,
           sent_at
    FROM outbox;
INSERT INTO mail_outbox (id, kind, to_address, subject, body, template, data, source, status, next_attempt_at,
                         created_at)
    SELECT id, 'email', to_address, subject, body, template, data, source,
           CASE WHEN status IN ('pending', 'sent', 'failed') THEN status ELSE 'pending' END, created_at, created_at
    FROM email_outbox;
DROP TABLE outbox;
DROP TABLE email_outbox;

-- Message bodies a tenant writes once and sends many times (crm.email.send{template=...}),
-- rendered with Mustache against the message's data.
CREATE TABLE mail_templates (
    name TEXT PRIMARY KEY,
    body TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
