-- 0009: personal links an office sends its staff for a delivery with the staff duty (the token kept only as
-- its SHA-256), and the hashed address a staff acknowledgement by link came from.

CREATE TABLE staff_links (
    id           INTEGER PRIMARY KEY,
    delivery_id  INTEGER NOT NULL REFERENCES deliveries(id),
    staff_id     INTEGER NOT NULL REFERENCES staff(id),
    token_hash   TEXT NOT NULL UNIQUE,
    created_at   TEXT NOT NULL,
    sent_count   INTEGER NOT NULL DEFAULT 0,
    last_sent_at TEXT,
    UNIQUE (delivery_id, staff_id)
);

ALTER TABLE staff_acks ADD COLUMN ip_sha256 TEXT;
