-- Per-tenant custom field definitions of deals; values live in deals_deals.custom_fields.
CREATE TABLE deals_custom_fields (
    field_key TEXT PRIMARY KEY,
    label TEXT NOT NULL,
    field_type TEXT NOT NULL,
    options TEXT NOT NULL DEFAULT '[]',
    created_at TEXT NOT NULL
);
