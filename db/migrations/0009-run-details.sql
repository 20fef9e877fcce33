-- What a run's details show beside its start: when it ended (NULL while it runs), the trigger that
-- started it and the trigger's outputs (JSON), which outputsLink serves.
ALTER TABLE flow_runs ADD COLUMN end_time TEXT;
ALTER TABLE flow_runs ADD COLUMN trigger_name TEXT NOT NULL DEFAULT 'manual';
ALTER TABLE flow_runs ADD COLUMN trigger_outputs TEXT NOT NULL DEFAULT '{"headers":{},"body":{}}';
