-- The office's own people: accounts, the roles they hold, and their server-side sessions.
CREATE TABLE users (
    id              INTEGER PRIMARY KEY,
    username        TEXT NOT NULL UNIQUE,
    display_name    TEXT NOT NULL,
    -- argon2id, as a PHC string ($argon2id$v=19$m=…,t=…,p=…$salt$hash); never the password.
    password_hash   TEXT NOT NULL,
    disabled        INTEGER NOT NULL DEFAULT 0,
    failed_attempts INTEGER NOT NULL DEFAULT 0,
    -- Unix seconds until which a login is refused after too many failures.
    locked_until    INTEGER,
    created_at      TEXT NOT NULL
);

CREATE TABLE user_roles (
    user_id INTEGER NOT NULL REFERENCES users(id),
    role    TEXT NOT NULL,
    -- NULL: the whole office; otherwise the unit's name.
    unit    TEXT
);
CREATE UNIQUE INDEX user_roles_one ON user_roles (user_id, role, COALESCE(unit, ''));

CREATE TABLE sessions (
    -- SHA-256 (hex) of the opaque cookie token; the token itself is never stored.
    token_hash TEXT PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id),
    csrf       TEXT NOT NULL,
    -- Unix seconds.
    created    INTEGER NOT NULL,
    last_seen  INTEGER NOT NULL,
    expires    INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
