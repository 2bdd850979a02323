-- Per-plan limits of one workflow run (0: the operator's default from [plugins.workflows]),
-- and a real script allowance for Starter, whose 0 meant "unlimited" by mistake.
ALTER TABLE plans ADD COLUMN script_instructions INTEGER NOT NULL DEFAULT 0;
ALTER TABLE plans ADD COLUMN script_memory_mb INTEGER NOT NULL DEFAULT 0;
ALTER TABLE plans ADD COLUMN script_wall_ms INTEGER NOT NULL DEFAULT 0;
UPDATE plans SET max_scripts = 3, script_instructions = 1000000, script_memory_mb = 16, script_wall_ms = 2000
    WHERE id = 'starter';
UPDATE plans SET script_instructions = 5000000, script_memory_mb = 32, script_wall_ms = 5000 WHERE id = 'professional';
UPDATE plans SET script_instructions = 20000000, script_memory_mb = 64, script_wall_ms = 10000 WHERE id = 'business';
