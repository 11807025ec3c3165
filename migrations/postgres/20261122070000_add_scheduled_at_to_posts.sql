-- When a post goes out (scheduled) or went out (published now), as Unix milliseconds UTC: the
-- calendar places posts by it. NULL for a draft never scheduled.
ALTER TABLE posts ADD COLUMN scheduled_at BIGINT;
CREATE INDEX posts_by_schedule ON posts (workspace_id, scheduled_at);
