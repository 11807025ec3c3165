-- A job's attempts at one step are counted before each new one (its idempotency key is
-- numbered by them): without this index every count read the whole ledger.
CREATE INDEX publish_attempts_by_job ON publish_attempts (job_id, step);
