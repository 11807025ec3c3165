-- One job per account at a time, enforced by the database: two Herald instances claiming jobs
-- of the same account at the same moment cannot both win (the claim's own check only sees
-- what was committed when it started).
-- The older claim let a job whose lease had run out stay 'running' beside a newer one of the
-- same account: all but the first go back to the queue (their progress says where they were;
-- a call left in flight is reconciled before anything is sent again).
UPDATE jobs SET status = 'queued', lease_owner = NULL, lease_until = NULL
WHERE status = 'running' AND EXISTS (
    SELECT 1 FROM jobs AS other
    WHERE other.account_id = jobs.account_id AND other.status = 'running' AND other.id < jobs.id);
CREATE UNIQUE INDEX one_running_job_per_account ON jobs (account_id) WHERE status = 'running';
