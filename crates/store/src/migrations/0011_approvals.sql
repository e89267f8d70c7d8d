-- Drafts held in the registry while they go through the office's approval chain (hazırlayan → paraf … →
-- imza). The TOML `Draft` stays the exchange format: `toml` is what is issued when the imza user signs.
CREATE TABLE drafts (
    id          INTEGER PRIMARY KEY,
    author      TEXT NOT NULL REFERENCES users(username),
    toml        TEXT NOT NULL,
    konu        TEXT NOT NULL,
    -- taslak, parafta, imzada, iade, imzalandi
    state       TEXT NOT NULL,
    -- The paraf users in order (a JSON array of usernames) and the position of the one whose turn it is.
    paraf       TEXT NOT NULL,
    step        INTEGER NOT NULL DEFAULT 0,
    imza        TEXT NOT NULL REFERENCES users(username),
    -- Whose turn it is (the paraf at `step`, the imza user, or the author after a return); NULL when signed.
    awaiting    TEXT,
    -- The last return's note, for the drafter.
    note        TEXT,
    -- Optimistic concurrency: every step names the version it saw; a stale one is refused.
    version     INTEGER NOT NULL DEFAULT 1,
    -- The form's one-time key: the same form posted twice makes one draft.
    nonce       TEXT UNIQUE,
    document_id INTEGER REFERENCES documents(id),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX drafts_author ON drafts (author);
CREATE INDEX drafts_awaiting ON drafts (awaiting);

-- Each step, in order: who did what to which version, with the note of a return.
CREATE TABLE draft_steps (
    id           INTEGER PRIMARY KEY,
    draft_id     INTEGER NOT NULL REFERENCES drafts(id),
    from_version INTEGER NOT NULL,
    username     TEXT NOT NULL,
    action       TEXT NOT NULL,
    note         TEXT,
    at           TEXT NOT NULL
);
CREATE UNIQUE INDEX draft_steps_once ON draft_steps (draft_id, from_version);
