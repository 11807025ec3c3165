-- Calls made to the AI endpoint, one row each, so a workspace's calls in the last hour can be
-- counted against HERALD_AI_HOURLY_LIMIT from any instance. Rows older than an hour are removed
-- by housekeeping.
CREATE TABLE ai_calls (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    called_at INTEGER NOT NULL
);
CREATE INDEX ai_calls_by_workspace ON ai_calls (workspace_id, called_at);
