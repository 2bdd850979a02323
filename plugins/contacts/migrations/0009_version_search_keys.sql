-- Search keys are made with ICU since SDK 2.1 (any script to Latin, accents and case
-- folded away); rows written before hold keys of the older folding, which left Greek,
-- Cyrillic and other scripts as they were. The column says which folding made a row's
-- key, so refreshSearchKeys() (records.cpp) can rewrite the older ones in batches.
ALTER TABLE contacts_contacts ADD COLUMN search_key_version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE contacts_companies ADD COLUMN search_key_version INTEGER NOT NULL DEFAULT 1;
CREATE INDEX contacts_contacts_stale_search_idx ON contacts_contacts (id) WHERE search_key_version < 2;
CREATE INDEX contacts_companies_stale_search_idx ON contacts_companies (id) WHERE search_key_version < 2;
