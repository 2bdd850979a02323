-- Deals. Amounts are integer minor units (BIGINT: PostgreSQL's INTEGER is 32-bit).
-- contact_id and company_id point into the contacts plugin's tables but carry no
-- foreign key: the link is validated through the contacts service, and deleting a
-- contact must not be blocked by (or silently cascade into) deals.
-- `position` orders the cards of one stage, dense from 0.
CREATE TABLE deals_deals (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    pipeline_id TEXT NOT NULL REFERENCES deals_pipelines (id),
    stage_id TEXT NOT NULL REFERENCES deals_stages (id),
    position BIGINT NOT NULL,
    status TEXT NOT NULL,
    contact_id TEXT,
    company_id TEXT,
    owner_id TEXT,
    amount BIGINT NOT NULL DEFAULT 0,
    currency TEXT NOT NULL,
    expected_close_date TEXT,
    lost_reason_id TEXT REFERENCES deals_lost_reasons (id),
    closed_at TEXT,
    stage_entered_at TEXT NOT NULL,
    custom_fields TEXT NOT NULL DEFAULT '{}',
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX deals_deals_created_idx ON deals_deals (created_at, id);
CREATE INDEX deals_deals_board_idx ON deals_deals (stage_id, status, position, id);
CREATE INDEX deals_deals_close_idx ON deals_deals (status, expected_close_date);
CREATE INDEX deals_deals_closed_idx ON deals_deals (status, closed_at);
CREATE INDEX deals_deals_contact_idx ON deals_deals (contact_id);
CREATE INDEX deals_deals_company_idx ON deals_deals (company_id);

-- Every stage entry and status change of a deal; seq numbers a deal's entries 1, 2, 3...
-- (timestamps can tie within a millisecond). seconds_in_stage is the time spent in
-- from_stage_id before a stage change (NULL otherwise).
CREATE TABLE deals_history (
    id TEXT PRIMARY KEY,
    deal_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    kind TEXT NOT NULL,
    from_stage_id TEXT,
    to_stage_id TEXT NOT NULL,
    from_status TEXT,
    to_status TEXT NOT NULL,
    seconds_in_stage BIGINT,
    changed_by TEXT,
    changed_at TEXT NOT NULL
);
CREATE UNIQUE INDEX deals_history_deal_idx ON deals_history (deal_id, seq);
CREATE INDEX deals_history_stage_idx ON deals_history (to_stage_id);
