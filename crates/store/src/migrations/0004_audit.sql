-- 0004: what an audit of a million recipients reads, made cheap to read.

-- The office each delivery reached, frozen with the distribution: an org recipient's own org, a person's
-- org at that time. Coverage per office then stays as it was sent when someone is transferred later, and
-- the audit reads it from the row instead of joining people per row.
ALTER TABLE deliveries ADD COLUMN office_id INTEGER REFERENCES orgs(id);
UPDATE deliveries SET office_id = coalesce(org_id, (SELECT p.org_id FROM people p WHERE p.id = deliveries.person_id));

-- Every recipient's timeline reads the document's events by delivery: an index that holds what a timeline
-- shows answers that without a lookup into the table per event (the hashes stay in the table only).
DROP INDEX events_document_delivery;
CREATE INDEX events_timeline ON events(document_id, delivery_id, seq, at, kind, detail);
