-- Record ownership (docs/security.md): invoices and subscriptions get the owner a role
-- limited to its own records is matched against. New records take their customer's
-- owner (or their creator); rows from before this migration have none and are visible
-- only to roles not limited to their own records.
ALTER TABLE billing_invoices ADD COLUMN owner_id TEXT;
ALTER TABLE billing_subscriptions ADD COLUMN owner_id TEXT;
CREATE INDEX billing_invoices_owner_idx ON billing_invoices (owner_id, created_at, id);
CREATE INDEX billing_subscriptions_owner_idx ON billing_subscriptions (owner_id, created_at, id);
