-- Host-owned settings kept in each tenant's own database (time zone, locale, and
-- whatever later host features store per tenant).
CREATE TABLE tessera_settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
