-- The trigram index is brought up to date in batches instead of inside every write.
-- Written row by row, FTS5 flushes a segment of its own at every commit and at every
-- savepoint, including the one SQLite opens around each statement of a longer
-- transaction: that was a third of the CPU of a create under group commit.
--
-- Now the triggers only note the row in <table>_search_pending, with the text the index
-- holds for it (NULL: none). The plugin moves the pending rows into the index once
-- there are kSearchIndexBatch of them (records.cpp, indexPendingSearch), and a search
-- asks the index and the pending rows alike, then the exact LIKE decides as before, so
-- results do not change. A row not pending is always indexed with its current text.
-- After a 'rebuild' of an index, empty its pending table.
DROP TRIGGER contacts_contacts_search_insert;
DROP TRIGGER contacts_contacts_search_delete;
DROP TRIGGER contacts_contacts_search_update;
DROP TRIGGER contacts_companies_search_insert;
DROP TRIGGER contacts_companies_search_delete;
DROP TRIGGER contacts_companies_search_update;

CREATE TABLE contacts_contacts_search_pending (row INTEGER PRIMARY KEY, old_text TEXT);
CREATE TRIGGER contacts_contacts_search_insert AFTER INSERT ON contacts_contacts BEGIN
    INSERT INTO contacts_contacts_search_pending (row, old_text) VALUES (new.rowid, NULL) ON CONFLICT (row) DO NOTHING;
END;
CREATE TRIGGER contacts_contacts_search_update AFTER UPDATE OF search_text ON contacts_contacts
    WHEN old.search_text IS NOT new.search_text BEGIN
    INSERT INTO contacts_contacts_search_pending (row, old_text) VALUES (new.rowid, old.search_text)
        ON CONFLICT (row) DO NOTHING;
END;
CREATE TRIGGER contacts_contacts_search_delete AFTER DELETE ON contacts_contacts BEGIN
    INSERT INTO contacts_contacts_search_pending (row, old_text) VALUES (old.rowid, old.search_text)
        ON CONFLICT (row) DO NOTHING;
END;

CREATE TABLE contacts_companies_search_pending (row INTEGER PRIMARY KEY, old_text TEXT);
CREATE TRIGGER contacts_companies_search_insert AFTER INSERT ON contacts_companies BEGIN
    INSERT INTO contacts_companies_search_pending (row, old_text) VALUES (new.rowid, NULL) ON CONFLICT (row) DO NOTHING;
END;
CREATE TRIGGER contacts_companies_search_update AFTER UPDATE OF search_text ON contacts_companies
    WHEN old.search_text IS NOT new.search_text BEGIN
    INSERT INTO contacts_companies_search_pending (row, old_text) VALUES (new.rowid, old.search_text)
        ON CONFLICT (row) DO NOTHING;
END;
CREATE TRIGGER contacts_companies_search_delete AFTER DELETE ON contacts_companies BEGIN
    INSERT INTO contacts_companies_search_pending (row, old_text) VALUES (old.rowid, old.search_text)
        ON CONFLICT (row) DO NOTHING;
END;
