-- AI proposals for a post's text (DESIGN §3 ai_revisions): what was asked, of which text, by
-- which model, what came back, and whether the person took it. A proposal never changes the
-- post by itself: only "Confirm" copies its output into the post.

CREATE TABLE ai_revisions (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    post_id TEXT NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    -- The proposal "Modify again" was applied to: this one's input is that one's output.
    parent_id TEXT REFERENCES ai_revisions (id) ON DELETE SET NULL,
    created_by TEXT REFERENCES users (id) ON DELETE SET NULL,
    -- A preset as 'preset:<name>', or the person's own words.
    instruction TEXT NOT NULL,
    input TEXT NOT NULL,
    output TEXT NOT NULL DEFAULT '',
    model TEXT NOT NULL,
    -- writing → open → accepted | cancelled | replaced; writing → failed.
    status TEXT NOT NULL CHECK (status IN ('writing', 'open', 'accepted', 'cancelled', 'replaced', 'failed')),
    -- 'stop', or 'length' when the model ran out of room (shown).
    finish_reason TEXT,
    -- Why it failed (`error::Problem`, JSON).
    problem TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    decided_at INTEGER
);
CREATE INDEX ai_revisions_by_post ON ai_revisions (post_id, created_at);
-- One proposal at a time per post: it is confirmed, cancelled or replaced before another.
CREATE UNIQUE INDEX ai_revisions_one_open_per_post ON ai_revisions (post_id)
    WHERE status IN ('writing', 'open');
