-- 0010: the deliveries of a document that carry the staff duty, found without reading every delivery: the
-- staff coverage of a 1,000,000-recipient audit read all of them (0.2 s warm) to find none.
CREATE INDEX deliveries_staff_duty ON deliveries(document_id, id) WHERE staff_duty = 1;
