-- One job per account at a time, enforced by the database: two Herald instances claiming jobs
-- of the same account at the same moment cannot both win (the claim's own check only sees
-- what was committed when it started).
CREATE UNIQUE INDEX one_running_job_per_account ON jobs (account_id) WHERE status = 'running';
