-- Connected network accounts, the OAuth round trips that connect them, and what a finished
-- login offered before the person picked what to add. Tokens are only ever stored sealed by the
-- vault (`v1.<key id>.<ciphertext>`), never in clear.

CREATE TABLE social_accounts (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    -- 'facebook' (a Page) or 'instagram' (a professional account).
    network TEXT NOT NULL CHECK (network IN ('facebook', 'instagram')),
    -- How Herald reaches it: 'facebook_login', 'instagram_login' or 'environment'.
    connection TEXT NOT NULL CHECK (connection IN ('facebook_login', 'instagram_login', 'environment')),
    -- The network's id: a Page id or an Instagram user id.
    remote_id TEXT NOT NULL,
    name TEXT NOT NULL,
    username TEXT,
    avatar_url TEXT,
    -- The Page an Instagram account reached through Facebook Login is linked to.
    page_id TEXT,
    status TEXT NOT NULL CHECK (status IN ('active', 'needs_reconnect', 'disconnected')),
    -- What went wrong, when status is needs_reconnect.
    status_reason TEXT,
    access_token TEXT,
    -- The long-lived Facebook user token the Page token came from (a fallback for Instagram).
    user_token TEXT,
    -- NULL: the token does not expire.
    token_expires_at BIGINT,
    scopes TEXT NOT NULL DEFAULT '',
    connected_by TEXT REFERENCES users (id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    -- Connecting the same account again updates it: its id, history and queued posts stay.
    UNIQUE (workspace_id, network, remote_id)
);

CREATE TABLE oauth_states (
    -- SHA-256 of the `state` parameter, hex.
    state_hash TEXT PRIMARY KEY,
    -- The session that started the round trip; only it may finish it.
    session_hash TEXT NOT NULL,
    workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    -- 'facebook' or 'instagram': which login.
    login TEXT NOT NULL,
    -- Set when the round trip reconnects this account.
    reconnect_account_id TEXT REFERENCES social_accounts (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);

CREATE TABLE account_offers (
    id TEXT PRIMARY KEY,
    -- One login's offers share a batch id; the pick page shows one batch.
    batch_id TEXT NOT NULL,
    session_hash TEXT NOT NULL,
    workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    network TEXT NOT NULL,
    connection TEXT NOT NULL,
    remote_id TEXT NOT NULL,
    name TEXT NOT NULL,
    username TEXT,
    avatar_url TEXT,
    page_id TEXT,
    access_token TEXT NOT NULL,
    user_token TEXT,
    token_expires_at BIGINT,
    scopes TEXT NOT NULL DEFAULT '',
    -- Why it cannot be added (a personal Instagram account, a Page without publishing rights).
    refusal TEXT,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX account_offers_by_batch ON account_offers (batch_id);
