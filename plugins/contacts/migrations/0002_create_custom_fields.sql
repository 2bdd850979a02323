-- Per-tenant custom field definitions. Values live in the custom_fields JSON column of
-- the entity's table, so adding a definition is an INSERT, not a schema change.
CREATE TABLE contacts_custom_fields (
    entity TEXT NOT NULL,
    field_key TEXT NOT NULL,
    label TEXT NOT NULL,
    field_type TEXT NOT NULL,
    options TEXT NOT NULL DEFAULT '[]',
    created_at TEXT NOT NULL,
    PRIMARY KEY (entity, field_key)
);
