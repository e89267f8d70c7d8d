-- 0008: reports another tamim sends back over HTTP (`POST /rapor`), and, on the sending side, where an
-- incoming document reports to.

-- Issuer's side: each accepted report on one of our deliveries, as received (its body kept verbatim, so the
-- HMAC over it can be checked again), with the head hash of the reporting office's log.
CREATE TABLE reports (
    id           INTEGER PRIMARY KEY,
    document_id  INTEGER NOT NULL REFERENCES documents(id),
    delivery_id  INTEGER NOT NULL REFERENCES deliveries(id),
    sequence     INTEGER NOT NULL,
    received_at  TEXT NOT NULL,
    body         BLOB NOT NULL,
    body_sha256  TEXT NOT NULL,
    head_hash    TEXT NOT NULL,
    event_seq    INTEGER NOT NULL,
    UNIQUE (delivery_id, sequence)
);
CREATE INDEX reports_document ON reports(document_id, delivery_id, sequence);

-- Recipient's side: an incoming document's report-back link (the issuer's `/rapor`, the public id of our
-- delivery there, the HMAC key derived from the acknowledgement token — never the token itself) and the
-- last sequence number used.
CREATE TABLE report_links (
    document_id  INTEGER PRIMARY KEY REFERENCES documents(id),
    url          TEXT NOT NULL,
    delivery     TEXT NOT NULL,
    key_hex      TEXT NOT NULL,
    sequence     INTEGER NOT NULL DEFAULT 0,
    last_sent_at TEXT,
    last_status  INTEGER
);
