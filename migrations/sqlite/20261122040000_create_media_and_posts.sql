-- The media library (uploaded pictures and videos, and the files made from them) and posts
-- (one text for several accounts, with their media in order). Files themselves live in the
-- media store (`server::media::storage`); rows hold only their keys.

CREATE TABLE media (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    uploaded_by TEXT REFERENCES users (id) ON DELETE SET NULL,
    -- 'image' or 'video'.
    kind TEXT NOT NULL CHECK (kind IN ('image', 'video')),
    -- What the bytes are (`domain::media::MediaFacts`, JSON): never taken from the file name.
    facts TEXT NOT NULL,
    -- The name the person's device gave the file: shown and searched, never trusted.
    original_name TEXT NOT NULL,
    alt_text TEXT NOT NULL DEFAULT '',
    -- Where to keep a picture in view when it is cropped, in thousandths (500 = centre).
    focus_x INTEGER NOT NULL DEFAULT 500,
    focus_y INTEGER NOT NULL DEFAULT 500,
    created_at INTEGER NOT NULL
);
CREATE INDEX media_by_workspace ON media (workspace_id, created_at);

-- Every stored file of a medium: the upload as received, its thumbnail, and one variant per
-- network that needs the picture changed. Each is served at /media/<token>.<ext>, the token
-- random and unguessable (networks fetch media from these addresses without signing in).
CREATE TABLE media_files (
    token TEXT PRIMARY KEY,
    media_id TEXT NOT NULL REFERENCES media (id) ON DELETE CASCADE,
    -- 'original', 'thumbnail', or a network name ('facebook', 'instagram').
    role TEXT NOT NULL,
    storage_key TEXT NOT NULL,
    content_type TEXT NOT NULL,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    bytes INTEGER NOT NULL,
    UNIQUE (media_id, role)
);

CREATE TABLE posts (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    created_by TEXT REFERENCES users (id) ON DELETE SET NULL,
    text TEXT NOT NULL,
    hashtags TEXT NOT NULL DEFAULT '',
    call_to_action TEXT NOT NULL DEFAULT '',
    -- 'draft' until the publishing issues add the rest of the lifecycle.
    status TEXT NOT NULL CHECK (status IN ('draft', 'scheduled', 'publishing', 'published', 'partially_published', 'failed', 'canceled')),
    -- Bumped on every save: a save made from an older copy (another tab, an offline edit) is
    -- refused instead of silently overwriting newer words.
    revision INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX posts_by_workspace ON posts (workspace_id, updated_at);

CREATE TABLE post_targets (
    post_id TEXT NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    account_id TEXT NOT NULL REFERENCES social_accounts (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    -- This account's own text; NULL: the post's text.
    variant TEXT,
    status TEXT NOT NULL DEFAULT 'draft',
    PRIMARY KEY (post_id, account_id)
);
CREATE INDEX post_targets_by_account ON post_targets (account_id);

CREATE TABLE post_media (
    post_id TEXT NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    media_id TEXT NOT NULL REFERENCES media (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    PRIMARY KEY (post_id, media_id)
);
CREATE INDEX post_media_by_media ON post_media (media_id);
