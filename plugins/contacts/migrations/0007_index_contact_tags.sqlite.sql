-- One row per (tag, contact), kept by triggers from the tags JSON array, so that
-- filter[tags][contains] on a rare tag fetches its contacts instead of walking the whole
-- sort order looking for them (list_query.cpp, tagLookup). The tags column stays the
-- source of truth: rebuild this table from it with the INSERT at the end.
CREATE TABLE contacts_contact_tags (
    tag TEXT NOT NULL,
    contact_id TEXT NOT NULL,
    PRIMARY KEY (tag, contact_id)
) WITHOUT ROWID;

CREATE TRIGGER contacts_contact_tags_insert AFTER INSERT ON contacts_contacts BEGIN
    INSERT OR IGNORE INTO contacts_contact_tags (tag, contact_id)
        SELECT value, new.id FROM json_each(new.tags) WHERE type = 'text';
END;
CREATE TRIGGER contacts_contact_tags_update AFTER UPDATE OF tags ON contacts_contacts
    WHEN old.tags IS NOT new.tags BEGIN
    DELETE FROM contacts_contact_tags
        WHERE tag IN (SELECT value FROM json_each(old.tags)) AND contact_id = old.id;
    INSERT OR IGNORE INTO contacts_contact_tags (tag, contact_id)
        SELECT value, new.id FROM json_each(new.tags) WHERE type = 'text';
END;
CREATE TRIGGER contacts_contact_tags_delete AFTER DELETE ON contacts_contacts BEGIN
    DELETE FROM contacts_contact_tags
        WHERE tag IN (SELECT value FROM json_each(old.tags)) AND contact_id = old.id;
END;

INSERT OR IGNORE INTO contacts_contact_tags (tag, contact_id)
    SELECT t.value, c.id FROM contacts_contacts AS c, json_each(c.tags) AS t WHERE t.type = 'text';
