-- 0002: distribution: one delivery per recipient of an issued document, and the hash-chained event log.

CREATE TABLE deliveries (
    id              INTEGER PRIMARY KEY,
    document_id     INTEGER NOT NULL REFERENCES documents(id),
    recipient_kind  TEXT NOT NULL CHECK (recipient_kind IN ('org', 'person')),
    recipient_code  TEXT NOT NULL,
    org_id          INTEGER REFERENCES orgs(id),
    person_id       INTEGER REFERENCES people(id),
    name            TEXT NOT NULL,
    email           TEXT,
    role            TEXT NOT NULL CHECK (role IN ('gereği', 'bilgi')),
    path            TEXT NOT NULL,
    cascade_kind    TEXT,
    cascade_text    TEXT,
    state           TEXT NOT NULL DEFAULT 'queued'
                    CHECK (state IN ('queued', 'sending', 'sent', 'received', 'acknowledged', 'failed', 'exempt', 'no-address')),
    channel         TEXT,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT,
    message_id      TEXT,
    last_reply      TEXT,
    token_hash      TEXT UNIQUE,
    sent_at         TEXT,
    received_at     TEXT,
    acknowledged_at TEXT,
    ack_by          TEXT,
    ack_method      TEXT,
    reminders       INTEGER NOT NULL DEFAULT 0,
    UNIQUE (document_id, recipient_code)
);
CREATE INDEX deliveries_state ON deliveries(document_id, state);

CREATE TABLE events (
    seq          INTEGER PRIMARY KEY,
    at           TEXT NOT NULL,
    document_id  INTEGER,
    delivery_id  INTEGER,
    kind         TEXT NOT NULL,
    detail       TEXT NOT NULL,
    prev_hash    TEXT NOT NULL,
    hash         TEXT NOT NULL
);
CREATE INDEX events_delivery ON events(delivery_id);
CREATE INDEX events_document ON events(document_id);
