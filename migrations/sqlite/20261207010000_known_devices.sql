-- Sign-in throttling that nobody can turn into a lockout (issue 22, OWASP's device cookies).
-- A counter's lockouts make each further wait longer; attempts made while it is locked are
-- refused without being counted, so they never extend the lock.
ALTER TABLE sign_in_failures ADD COLUMN lockouts INTEGER NOT NULL DEFAULT 0;

-- Browsers that signed in successfully before. The cookie carries a random token; the database
-- holds only its hash. One browser may be known for several people (a shared family laptop).
CREATE TABLE known_devices (
    token_hash TEXT NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    last_used_at INTEGER NOT NULL,
    PRIMARY KEY (token_hash, user_id)
);
CREATE INDEX known_devices_by_user ON known_devices (user_id);
