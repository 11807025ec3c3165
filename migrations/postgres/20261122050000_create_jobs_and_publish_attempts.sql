-- Same schema as migrations/sqlite: TEXT ids, BIGINT unix milliseconds.
-- Publishing: each post target's result, the durable job queue that does the work, and the
-- ledger of every attempt at a network call, which the person sees on the post.

-- What the network calls the live post, where to see it, and why it failed or is in doubt.
ALTER TABLE post_targets ADD COLUMN remote_id TEXT;
ALTER TABLE post_targets ADD COLUMN remote_url TEXT;
-- A stable key the UI words (`reconnect`, `media_refused`, `outcome_unknown`…).
ALTER TABLE post_targets ADD COLUMN reason TEXT;
-- The network's own words about it, as it said them.
ALTER TABLE post_targets ADD COLUMN detail TEXT;
ALTER TABLE post_targets ADD COLUMN finished_at BIGINT;

CREATE TABLE jobs (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    -- 'publish': publish one post target.
    kind TEXT NOT NULL,
    post_id TEXT REFERENCES posts (id) ON DELETE CASCADE,
    -- Jobs of one account run one at a time.
    account_id TEXT NOT NULL REFERENCES social_accounts (id) ON DELETE CASCADE,
    status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),
    due_at BIGINT NOT NULL,
    -- Where a multi-step job has got to (JSON): a restart continues from here.
    progress TEXT NOT NULL DEFAULT '{}',
    -- The worker holding it, until when; a lease that ran out may be taken over.
    lease_owner TEXT,
    lease_until BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX jobs_by_due ON jobs (status, due_at);
CREATE INDEX jobs_by_account ON jobs (account_id, status);
-- One publishing job per post target, however often Publish is pressed.
CREATE UNIQUE INDEX one_publish_job_per_target ON jobs (post_id, account_id) WHERE kind = 'publish';

CREATE TABLE publish_attempts (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    post_id TEXT NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    account_id TEXT NOT NULL REFERENCES social_accounts (id) ON DELETE CASCADE,
    job_id TEXT NOT NULL,
    -- 'create_post', 'upload_photo', 'create_container', 'check_container', 'publish_container',
    -- 'check_quota', 'reconcile'…
    step TEXT NOT NULL,
    -- The job, step and try: an irreversible call is made at most once under one key.
    idempotency_key TEXT NOT NULL UNIQUE,
    -- 'sending' while the call is in flight; then 'succeeded', 'failed', 'will_retry',
    -- 'waiting', 'outcome_unknown', 'found_posted' or 'found_absent'.
    outcome TEXT NOT NULL,
    reason TEXT,
    detail TEXT,
    remote_id TEXT,
    started_at BIGINT NOT NULL,
    finished_at BIGINT
);
CREATE INDEX publish_attempts_by_post ON publish_attempts (post_id, started_at);
