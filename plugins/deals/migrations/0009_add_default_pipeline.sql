-- A new tenant can record a deal at once: one pipeline with the usual B2B stages, which
-- the tenant renames or replaces (docs/deals.md). Only where no pipeline exists yet, so a
-- tenant that already made its own gets nothing. Fixed ids and the epoch as the time
-- keep the statement the same on SQLite and PostgreSQL; ids are opaque either way.
INSERT INTO deals_pipelines (id, name, position, version, created_at, updated_at)
SELECT 'pip_default0000000000000', 'Sales', 0, 1, '1970-01-01T00:00:00.000Z', '1970-01-01T00:00:00.000Z'
WHERE NOT EXISTS (SELECT 1 FROM deals_pipelines);

INSERT INTO deals_stages (id, pipeline_id, name, position, probability, rotten_after_days, created_at, updated_at)
SELECT s.id, 'pip_default0000000000000', s.name, s.position, s.probability, NULL,
       '1970-01-01T00:00:00.000Z', '1970-01-01T00:00:00.000Z'
FROM (SELECT 'stg_default0000000000001' AS id, 'Lead' AS name, 0 AS position, 10 AS probability
      UNION ALL SELECT 'stg_default0000000000002', 'Qualified', 1, 25
      UNION ALL SELECT 'stg_default0000000000003', 'Proposal', 2, 50
      UNION ALL SELECT 'stg_default0000000000004', 'Negotiation', 3, 75) s
WHERE EXISTS (SELECT 1 FROM deals_pipelines WHERE id = 'pip_default0000000000000')
  AND NOT EXISTS (SELECT 1 FROM deals_stages WHERE pipeline_id = 'pip_default0000000000000');
