-- The board's per-stage counts and sums and the forecast read deals by pipeline and
-- status; this index answers the board's totals without touching the table.
CREATE INDEX deals_deals_pipeline_idx ON deals_deals (pipeline_id, status, stage_id, currency, amount);
