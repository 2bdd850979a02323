-- Billing: tax rates, products, invoices and credit notes with their lines, payments,
-- gateway webhook events, subscriptions, numbering sequences and settings.
-- Money is BIGINT minor units (INTEGER is 32-bit on PostgreSQL); quantities and percents
-- are kept as the canonical decimal text the client sent plus their scaled integer.
-- Dates are "YYYY-MM-DD" text and timestamps ISO 8601 UTC text: both sort as text.
CREATE TABLE billing_settings (
    id INTEGER PRIMARY KEY,
    invoice_number_format TEXT NOT NULL,
    credit_note_number_format TEXT NOT NULL,
    default_due_days INTEGER NOT NULL,
    pix_key TEXT,
    pix_merchant_name TEXT,
    pix_merchant_city TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    updated_at TEXT NOT NULL
);

CREATE TABLE billing_webhook_secrets (
    provider TEXT PRIMARY KEY,
    secret TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE billing_sequences (
    name TEXT PRIMARY KEY,
    next_value BIGINT NOT NULL
);

CREATE TABLE billing_tax_rates (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    percent TEXT NOT NULL,
    percent_scaled BIGINT NOT NULL,
    inclusive INTEGER NOT NULL,
    active INTEGER NOT NULL DEFAULT 1,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX billing_tax_rates_created_idx ON billing_tax_rates (created_at, id);

CREATE TABLE billing_products (
    id TEXT PRIMARY KEY,
    sku TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    description TEXT,
    unit_price BIGINT NOT NULL,
    currency TEXT NOT NULL,
    tax_rate_id TEXT REFERENCES billing_tax_rates (id),
    unit TEXT,
    active INTEGER NOT NULL DEFAULT 1,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX billing_products_created_idx ON billing_products (created_at, id);

CREATE TABLE billing_subscriptions (
    id TEXT PRIMARY KEY,
    customer_id TEXT NOT NULL,
    currency TEXT NOT NULL,
    cycle TEXT NOT NULL,
    anchor_day INTEGER NOT NULL,
    start_date TEXT NOT NULL,
    next_invoice_date TEXT,
    status TEXT NOT NULL,
    cancel_at_period_end INTEGER NOT NULL DEFAULT 0,
    canceled_at TEXT,
    due_days INTEGER NOT NULL,
    items TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX billing_subscriptions_due_idx ON billing_subscriptions (status, next_invoice_date);
CREATE INDEX billing_subscriptions_created_idx ON billing_subscriptions (created_at, id);

CREATE TABLE billing_invoices (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    number TEXT UNIQUE,
    status TEXT NOT NULL,
    customer_id TEXT NOT NULL,
    currency TEXT NOT NULL,
    issue_date TEXT,
    due_date TEXT,
    notes TEXT,
    original_invoice_id TEXT REFERENCES billing_invoices (id),
    subscription_id TEXT REFERENCES billing_subscriptions (id),
    subscription_period TEXT,
    gross BIGINT NOT NULL DEFAULT 0,
    discount BIGINT NOT NULL DEFAULT 0,
    subtotal BIGINT NOT NULL DEFAULT 0,
    tax BIGINT NOT NULL DEFAULT 0,
    total BIGINT NOT NULL DEFAULT 0,
    amount_paid BIGINT NOT NULL DEFAULT 0,
    amount_credited BIGINT NOT NULL DEFAULT 0,
    overdue_since TEXT,
    overdue_notified_on TEXT,
    paid_at TEXT,
    voided_at TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    -- A second guard behind the job's claim: one invoice per subscription period.
    UNIQUE (subscription_id, subscription_period)
);
CREATE INDEX billing_invoices_created_idx ON billing_invoices (created_at, id);
CREATE INDEX billing_invoices_status_due_idx ON billing_invoices (status, due_date);
CREATE INDEX billing_invoices_customer_idx ON billing_invoices (customer_id);

CREATE TABLE billing_invoice_lines (
    id TEXT PRIMARY KEY,
    invoice_id TEXT NOT NULL REFERENCES billing_invoices (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    product_id TEXT,
    description TEXT NOT NULL,
    quantity TEXT NOT NULL,
    quantity_scaled BIGINT NOT NULL,
    unit_price BIGINT NOT NULL,
    discount_percent TEXT,
    discount_amount BIGINT,
    tax_rate_id TEXT,
    tax_name TEXT,
    tax_percent TEXT NOT NULL,
    tax_percent_scaled BIGINT NOT NULL,
    tax_inclusive INTEGER NOT NULL,
    gross BIGINT NOT NULL,
    discount BIGINT NOT NULL,
    subtotal BIGINT NOT NULL,
    tax BIGINT NOT NULL,
    total BIGINT NOT NULL
);
CREATE INDEX billing_invoice_lines_invoice_idx ON billing_invoice_lines (invoice_id, position);

CREATE TABLE billing_payments (
    id TEXT PRIMARY KEY,
    invoice_id TEXT NOT NULL REFERENCES billing_invoices (id),
    amount BIGINT NOT NULL,
    currency TEXT NOT NULL,
    method TEXT NOT NULL,
    reference TEXT,
    paid_on TEXT NOT NULL,
    provider TEXT,
    provider_event_id TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX billing_payments_invoice_idx ON billing_payments (invoice_id);
CREATE INDEX billing_payments_paid_on_idx ON billing_payments (paid_on);
CREATE INDEX billing_payments_created_idx ON billing_payments (created_at, id);

-- One row per gateway event ever processed: the primary key makes replays harmless.
CREATE TABLE billing_webhook_events (
    provider TEXT NOT NULL,
    event_id TEXT NOT NULL,
    status INTEGER NOT NULL,
    response TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (provider, event_id)
);
