-- 0005: staff rosters per office, the staff duty on a list entry and a delivery, and per-person staff
-- acknowledgements (acknowledged or exempt, with the evidence).

CREATE TABLE staff (
    id          INTEGER PRIMARY KEY,
    org_id      INTEGER NOT NULL REFERENCES orgs(id),
    sicil       TEXT NOT NULL,
    name        TEXT NOT NULL,
    title       TEXT,
    unit        TEXT,
    email       TEXT,
    joined_on   TEXT,
    left_on     TEXT,
    created_at  TEXT NOT NULL,
    UNIQUE (org_id, sicil)
);

ALTER TABLE list_members ADD COLUMN staff_duty INTEGER NOT NULL DEFAULT 0;
ALTER TABLE deliveries ADD COLUMN staff_duty INTEGER NOT NULL DEFAULT 0;

CREATE TABLE staff_acks (
    id              INTEGER PRIMARY KEY,
    delivery_id     INTEGER NOT NULL REFERENCES deliveries(id),
    staff_id        INTEGER NOT NULL REFERENCES staff(id),
    state           TEXT NOT NULL CHECK (state IN ('acknowledged', 'exempt')),
    method          TEXT NOT NULL CHECK (method IN ('link', 'paper', 'report', 'clerk')),
    evidence_sha256 TEXT,
    reason          TEXT,
    at              TEXT NOT NULL,
    UNIQUE (delivery_id, staff_id)
);
