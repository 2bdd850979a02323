-- A password set by an operator (tessera tenant create) is one-time: it stops working at
-- password_expires_at, and until the user chooses their own, its sign-ins can only do that.
-- NULL for every password a user chose.
ALTER TABLE auth_users ADD COLUMN password_expires_at TEXT;
