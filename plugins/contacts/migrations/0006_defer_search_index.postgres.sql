-- Nothing to do: PostgreSQL's trigram GIN indexes already take inserts into a pending
-- list (fastupdate) and merge it in batches. The SQLite script defers its FTS5 index.
SELECT 1;
