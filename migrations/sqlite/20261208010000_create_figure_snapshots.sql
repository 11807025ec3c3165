-- Analytics: how each published post and each account did, as snapshots Herald takes itself
-- (at 1 h, 24 h, 7 days and 30 days after publishing; daily for accounts) so growth curves come
-- from Herald's own database even after a network forgets. A metric the network did not give
-- has no row: absent is never zero.

-- Every snapshot, never overwritten. post_id NULL: the account's own figures (followers, its
-- day's reach…).
CREATE TABLE figure_snapshots (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    account_id TEXT NOT NULL REFERENCES social_accounts (id) ON DELETE CASCADE,
    post_id TEXT REFERENCES posts (id) ON DELETE CASCADE,
    -- 'views', 'reach', 'likes', 'comments', 'shares', 'saves', 'clicks', 'interactions',
    -- 'followers', 'new_followers' (domain::figures::Metric).
    metric TEXT NOT NULL,
    value INTEGER NOT NULL,
    taken_at INTEGER NOT NULL
);
-- A post's page draws each account's growth from its snapshots, oldest first.
CREATE INDEX figure_snapshots_by_post ON figure_snapshots (post_id, taken_at);
-- Followers over time and the snapshots' CSV read one workspace's account figures by date.
CREATE INDEX figure_snapshots_by_workspace ON figure_snapshots (workspace_id, taken_at);

-- The newest value of each metric of each post target, kept beside the history so the
-- dashboard sums one row per metric instead of looking for the newest among four snapshots.
-- published_at is the target's: the dashboard's date range is a range of publishing times.
CREATE TABLE figure_latest (
    workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    post_id TEXT NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    account_id TEXT NOT NULL REFERENCES social_accounts (id) ON DELETE CASCADE,
    metric TEXT NOT NULL,
    value INTEGER NOT NULL,
    taken_at INTEGER NOT NULL,
    published_at INTEGER NOT NULL,
    PRIMARY KEY (post_id, account_id, metric)
);
-- The dashboard reads a workspace's posts published in its range (and the range before).
CREATE INDEX figure_latest_by_workspace ON figure_latest (workspace_id, published_at);

-- The dashboard counts a workspace's posts per day from their accounts' results: published
-- targets by when they went out.
CREATE INDEX post_targets_by_finished ON post_targets (finished_at) WHERE status = 'published';

-- Why Herald cannot read an account's figures while it can still publish (a permission left
-- out at connecting: 'permission_missing'); NULL when it can. Connecting again clears it.
ALTER TABLE social_accounts ADD COLUMN figures_problem TEXT;

-- One figure-collecting job per post target (it moves through its four snapshots) and one
-- daily job per account.
CREATE UNIQUE INDEX one_figures_job_per_target ON jobs (post_id, account_id)
    WHERE kind = 'collect_post_figures';
CREATE UNIQUE INDEX one_figures_job_per_account ON jobs (account_id)
    WHERE kind = 'collect_account_figures';

-- What was published before this version gets its figures too: one snapshot soon, then the
-- ones still ahead of it. Five seconds apart, newest first, so the backlog never stands in
-- front of an account's publishing nor bursts the networks' budgets. Every connected account
-- starts its daily collection.
INSERT INTO jobs (id, workspace_id, kind, post_id, account_id, status, due_at, progress,
    created_at, updated_at)
SELECT 'figures-' || post_targets.post_id || '-' || post_targets.account_id, posts.workspace_id,
    'collect_post_figures', post_targets.post_id, post_targets.account_id, 'queued',
    CAST(strftime('%s', 'now') AS INTEGER) * 1000 + ROW_NUMBER() OVER (ORDER BY post_targets.finished_at DESC) * 5000, '{}',
    CAST(strftime('%s', 'now') AS INTEGER) * 1000, CAST(strftime('%s', 'now') AS INTEGER) * 1000
FROM post_targets JOIN posts ON posts.id = post_targets.post_id
WHERE post_targets.status = 'published' AND post_targets.remote_id IS NOT NULL;
INSERT INTO jobs (id, workspace_id, kind, post_id, account_id, status, due_at, progress,
    created_at, updated_at)
SELECT 'figures-' || id, workspace_id, 'collect_account_figures', NULL, id, 'queued', CAST(strftime('%s', 'now') AS INTEGER) * 1000, '{}',
    CAST(strftime('%s', 'now') AS INTEGER) * 1000, CAST(strftime('%s', 'now') AS INTEGER) * 1000
FROM social_accounts WHERE status <> 'disconnected';
