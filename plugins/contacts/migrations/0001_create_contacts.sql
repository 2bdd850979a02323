-- Companies and contacts. Structured values (address, tags, custom fields) are JSON text
-- so that the same schema works on both engines and custom fields need no migration.
-- Timestamps are ISO 8601 UTC text with milliseconds: they sort as text on both engines.
CREATE TABLE contacts_companies (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    domain TEXT,
    phone TEXT,
    address TEXT,
    owner_id TEXT,
    custom_fields TEXT NOT NULL DEFAULT '{}',
    search_text TEXT NOT NULL DEFAULT '',
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX contacts_companies_created_idx ON contacts_companies (created_at, id);
CREATE INDEX contacts_companies_name_idx ON contacts_companies (name, id);

CREATE TABLE contacts_contacts (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    email TEXT,
    email_key TEXT UNIQUE,
    phone TEXT,
    company_id TEXT REFERENCES contacts_companies (id) ON DELETE SET NULL,
    owner_id TEXT,
    tags TEXT NOT NULL DEFAULT '[]',
    address TEXT,
    tax_id TEXT,
    notes TEXT,
    custom_fields TEXT NOT NULL DEFAULT '{}',
    search_text TEXT NOT NULL DEFAULT '',
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX contacts_contacts_created_idx ON contacts_contacts (created_at, id);
CREATE INDEX contacts_contacts_updated_idx ON contacts_contacts (updated_at, id);
CREATE INDEX contacts_contacts_name_idx ON contacts_contacts (name, id);
CREATE INDEX contacts_contacts_company_idx ON contacts_contacts (company_id);
