-- One row per (tag, contact), kept by a trigger from the tags JSON array, so that
-- filter[tags][contains] on a rare tag fetches its contacts instead of walking the whole
-- sort order looking for them (list_query.cpp, tagLookup). The tags column stays the
-- source of truth: rebuild this table from it with the INSERT at the end.
CREATE TABLE contacts_contact_tags (
    tag TEXT NOT NULL,
    contact_id TEXT NOT NULL,
    PRIMARY KEY (tag, contact_id)
);

-- SET search_path pins the function to this tenant's schema, whoever's session fires it.
CREATE FUNCTION contacts_contact_tags_sync() RETURNS trigger LANGUAGE plpgsql
    SET search_path FROM CURRENT AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        DELETE FROM contacts_contact_tags
            WHERE tag IN (SELECT jsonb_array_elements_text(CAST(OLD.tags AS JSONB))) AND contact_id = OLD.id;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        INSERT INTO contacts_contact_tags (tag, contact_id)
            SELECT DISTINCT t, NEW.id FROM jsonb_array_elements_text(CAST(NEW.tags AS JSONB)) AS t
            ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER contacts_contact_tags_insert_delete AFTER INSERT OR DELETE ON contacts_contacts
    FOR EACH ROW EXECUTE FUNCTION contacts_contact_tags_sync();
CREATE TRIGGER contacts_contact_tags_update AFTER UPDATE OF tags ON contacts_contacts
    FOR EACH ROW WHEN (OLD.tags IS DISTINCT FROM NEW.tags) EXECUTE FUNCTION contacts_contact_tags_sync();

INSERT INTO contacts_contact_tags (tag, contact_id)
    SELECT DISTINCT t, c.id FROM contacts_contacts AS c, jsonb_array_elements_text(CAST(c.tags AS JSONB)) AS t
    ON CONFLICT DO NOTHING;
