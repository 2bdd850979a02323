-- Indexed search: trigram FTS5 tables over the search_text columns (the accent- and
-- case-folded text computed in C++). They are external-content tables, so they hold
-- only the index and read the text back from the entity table by rowid; triggers keep
-- them in step with every write. The planner narrows candidates with MATCH, and the
-- exact LIKE over search_text then decides, so results equal the unindexed scan.
-- Should the rowids of the entity tables ever change (VACUUM of a table without an
-- INTEGER PRIMARY KEY may renumber them), rebuild with
--   INSERT INTO contacts_contacts_search (contacts_contacts_search) VALUES ('rebuild');
CREATE VIRTUAL TABLE contacts_contacts_search USING fts5 (
    search_text, content = 'contacts_contacts', tokenize = 'trigram case_sensitive 1');
CREATE TRIGGER contacts_contacts_search_insert AFTER INSERT ON contacts_contacts BEGIN
    INSERT INTO contacts_contacts_search (rowid, search_text) VALUES (new.rowid, new.search_text);
END;
CREATE TRIGGER contacts_contacts_search_delete AFTER DELETE ON contacts_contacts BEGIN
    INSERT INTO contacts_contacts_search (contacts_contacts_search, rowid, search_text)
        VALUES ('delete', old.rowid, old.search_text);
END;
CREATE TRIGGER contacts_contacts_search_update AFTER UPDATE OF search_text ON contacts_contacts
    WHEN old.search_text IS NOT new.search_text BEGIN
    INSERT INTO contacts_contacts_search (contacts_contacts_search, rowid, search_text)
        VALUES ('delete', old.rowid, old.search_text);
    INSERT INTO contacts_contacts_search (rowid, search_text) VALUES (new.rowid, new.search_text);
END;
INSERT INTO contacts_contacts_search (contacts_contacts_search) VALUES ('rebuild');

CREATE VIRTUAL TABLE contacts_companies_search USING fts5 (
    search_text, content = 'contacts_companies', tokenize = 'trigram case_sensitive 1');
CREATE TRIGGER contacts_companies_search_insert AFTER INSERT ON contacts_companies BEGIN
    INSERT INTO contacts_companies_search (rowid, search_text) VALUES (new.rowid, new.search_text);
END;
CREATE TRIGGER contacts_companies_search_delete AFTER DELETE ON contacts_companies BEGIN
    INSERT INTO contacts_companies_search (contacts_companies_search, rowid, search_text)
        VALUES ('delete', old.rowid, old.search_text);
END;
CREATE TRIGGER contacts_companies_search_update AFTER UPDATE OF search_text ON contacts_companies
    WHEN old.search_text IS NOT new.search_text BEGIN
    INSERT INTO contacts_companies_search (contacts_companies_search, rowid, search_text)
        VALUES ('delete', old.rowid, old.search_text);
    INSERT INTO contacts_companies_search (rowid, search_text) VALUES (new.rowid, new.search_text);
END;
INSERT INTO contacts_companies_search (contacts_companies_search) VALUES ('rebuild');
