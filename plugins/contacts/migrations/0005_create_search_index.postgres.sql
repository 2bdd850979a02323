-- Indexed search: pg_trgm GIN indexes over the search_text columns (the accent- and
-- case-folded text computed in C++), used by the LIKE '%...%' that q becomes.
-- An extension exists once per database while every tenant has its own schema (and a
-- search_path of only that schema), so pg_trgm goes into a schema of its own that no
-- tenant owns, and the operator class is named with it. pg_trgm is a trusted extension:
-- the host's role needs CREATE on the database, which it has to create tenant schemas.
-- The lock serialises tenants migrating at the same time.
SELECT pg_advisory_xact_lock(7305, hashtext('tessera_ext'));
CREATE SCHEMA IF NOT EXISTS tessera_ext;
CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA tessera_ext;
CREATE INDEX contacts_contacts_search_idx ON contacts_contacts USING gin (search_text tessera_ext.gin_trgm_ops);
CREATE INDEX contacts_companies_search_idx ON contacts_companies USING gin (search_text tessera_ext.gin_trgm_ops);
