-- The dashboard of 500 accounts and 20,000 posts must come in under 200 ms: each of its parts
-- becomes one aggregate the database computes, returning a few dozen rows, instead of every
-- target's figures carried to Herald and summed there.

-- The newest figures of each post target side by side in one row, with the engagement and the
-- engagement rate they make (domain::figures::Figures), so totals are one SUM per column, the
-- best posts an ORDER BY ... LIMIT and the best time a GROUP BY over these rows. It replaces
-- figure_latest, a row per metric: eight rows per target to pivot.
CREATE TABLE target_figures (
    workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    post_id TEXT NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    account_id TEXT NOT NULL REFERENCES social_accounts (id) ON DELETE CASCADE,
    -- The target's: the dashboard's date range is a range of publishing times.
    published_at INTEGER NOT NULL,
    -- The newest snapshot's.
    taken_at INTEGER NOT NULL,
    -- NULL: the network did not give it (absent, never zero).
    views INTEGER,
    reach INTEGER,
    likes INTEGER,
    comments INTEGER,
    shares INTEGER,
    saves INTEGER,
    clicks INTEGER,
    interactions INTEGER,
    engagement INTEGER,
    engagement_rate REAL,
    -- Every part of the dashboard reads one workspace's targets published in its range (or
    -- the range before, for the totals' comparison): the rows are stored in that order, so a
    -- range is read in one pass instead of one look-up per row through an index.
    PRIMARY KEY (workspace_id, published_at, post_id, account_id),
    -- Each snapshot updates its target's row.
    UNIQUE (post_id, account_id)
) WITHOUT ROWID;

INSERT INTO target_figures (workspace_id, post_id, account_id, published_at, taken_at, views,
    reach, likes, comments, shares, saves, clicks, interactions, engagement, engagement_rate)
SELECT workspace_id, post_id, account_id, published_at, taken_at, views, reach, likes,
    comments, shares, saves, clicks, interactions, engagement,
    CASE WHEN COALESCE(reach, views) > 0 AND engagement IS NOT NULL
        THEN CAST(engagement AS REAL) / COALESCE(reach, views) END
FROM (
    SELECT workspace_id, post_id, account_id, published_at, taken_at, views, reach, likes,
        comments, shares, saves, clicks, interactions,
        CASE WHEN COALESCE(likes, comments, shares, saves, clicks) IS NOT NULL
            THEN COALESCE(likes, 0) + COALESCE(comments, 0) + COALESCE(shares, 0)
                + COALESCE(saves, 0) + COALESCE(clicks, 0) END AS engagement
    FROM (
        SELECT workspace_id, post_id, account_id, MAX(published_at) AS published_at,
            MAX(taken_at) AS taken_at,
            MAX(CASE WHEN metric = 'views' THEN value END) AS views,
            MAX(CASE WHEN metric = 'reach' THEN value END) AS reach,
            MAX(CASE WHEN metric = 'likes' THEN value END) AS likes,
            MAX(CASE WHEN metric = 'comments' THEN value END) AS comments,
            MAX(CASE WHEN metric = 'shares' THEN value END) AS shares,
            MAX(CASE WHEN metric = 'saves' THEN value END) AS saves,
            MAX(CASE WHEN metric = 'clicks' THEN value END) AS clicks,
            MAX(CASE WHEN metric = 'interactions' THEN value END) AS interactions
        FROM figure_latest GROUP BY workspace_id, post_id, account_id
    ) AS pivoted
) AS engaged;

DROP TABLE figure_latest;

-- A post's snapshots are found by its id, never by a NULL one: without the account snapshots
-- this index is smaller, and SQLite, which keeps no statistics here, no longer takes it for
-- the account snapshots below (post_id IS NULL) and reads every one from the table.
DROP INDEX figure_snapshots_by_post;
CREATE INDEX figure_snapshots_by_post ON figure_snapshots (post_id, taken_at)
    WHERE post_id IS NOT NULL;

-- An account's own snapshots keep how far each moved since the account's snapshot of that
-- metric before it (the value itself for the first): summed day by day, these changes give the
-- followers of every account over a range in one pass, where the values alone would need every
-- snapshot sorted by account. NULL for a post's snapshots.
ALTER TABLE figure_snapshots ADD COLUMN since_previous BIGINT;

-- An account's snapshots of one metric by time: the one before (or after) a new snapshot, and
-- each account's first in a range.
CREATE INDEX figure_snapshots_of_an_account
    ON figure_snapshots (account_id, metric, taken_at)
    WHERE post_id IS NULL;

UPDATE figure_snapshots SET since_previous = value - COALESCE((
    SELECT earlier.value FROM figure_snapshots AS earlier
    WHERE earlier.account_id = figure_snapshots.account_id
      AND earlier.metric = figure_snapshots.metric AND earlier.post_id IS NULL
      AND (earlier.taken_at < figure_snapshots.taken_at
          OR (earlier.taken_at = figure_snapshots.taken_at AND earlier.id < figure_snapshots.id))
    ORDER BY earlier.taken_at DESC, earlier.id DESC LIMIT 1), 0)
WHERE post_id IS NULL;

-- Followers over time: one workspace's account snapshots of one metric by date, read from the
-- index alone (post snapshots, thirty times as many, are not in it).
CREATE INDEX figure_snapshots_of_accounts
    ON figure_snapshots (workspace_id, metric, taken_at, account_id, since_previous)
    WHERE post_id IS NULL;
