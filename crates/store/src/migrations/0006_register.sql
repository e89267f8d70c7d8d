-- The register's full-text search: konu and gönderen, folded the Turkish way in Rust before they are
-- indexed (İ/ı/I → i, ç ş ğ ö ü → c s g o u; `register::index`), so the tokenizer sees ASCII-folded text.
-- Contentless: the text lives in `documents`; rowid is the document's id. Filled for existing documents by
-- the store right after this migration (`register::index_all`).
CREATE VIRTUAL TABLE documents_fts USING fts5(konu, gonderen, content='', contentless_delete=1, tokenize='unicode61');
CREATE INDEX documents_tarih ON documents (tarih);
