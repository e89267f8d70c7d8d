-- 0003: receipts and acknowledgements: the recipient office's own registration of our document, exemption
-- reasons, reminder times, follow-ons reported back by recipients, and an index for per-recipient timelines.

ALTER TABLE deliveries ADD COLUMN recipient_kayit_no TEXT;
ALTER TABLE deliveries ADD COLUMN recipient_kayit_date TEXT;
ALTER TABLE deliveries ADD COLUMN state_reason TEXT;
ALTER TABLE deliveries ADD COLUMN last_reminded_at TEXT;

-- A recipient's own follow-on (its circular citing ours), reported back when it is not registered here.
CREATE TABLE followon_reports (
    id            INTEGER PRIMARY KEY,
    document_id   INTEGER NOT NULL REFERENCES documents(id),
    delivery_id   INTEGER NOT NULL REFERENCES deliveries(id),
    sayi          TEXT NOT NULL,
    tarih         TEXT NOT NULL,
    recipients    INTEGER,
    acknowledged  INTEGER,
    reported_at   TEXT NOT NULL,
    UNIQUE (delivery_id, sayi)
);
CREATE INDEX followon_reports_document ON followon_reports(document_id);

CREATE INDEX events_document_delivery ON events(document_id, delivery_id, seq);

-- Deliveries of one document in id order without a sort (audit and timelines stream a million of them).
CREATE INDEX deliveries_document ON deliveries(document_id, id);
