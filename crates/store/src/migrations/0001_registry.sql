-- 0001: the registry: offices, people, distribution lists, documents, citations, attachments, numbering.

CREATE TABLE orgs (
    id          INTEGER PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    kind        TEXT NOT NULL DEFAULT '',
    parent_id   INTEGER REFERENCES orgs(id),
    email       TEXT,
    kep         TEXT,
    detsis      TEXT,
    created_at  TEXT NOT NULL
);
CREATE INDEX orgs_parent ON orgs(parent_id, kind);

CREATE TABLE people (
    id          INTEGER PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    title       TEXT,
    org_id      INTEGER NOT NULL REFERENCES orgs(id),
    email       TEXT,
    created_at  TEXT NOT NULL
);
CREATE INDEX people_org ON people(org_id);

CREATE TABLE lists (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    title       TEXT,
    created_at  TEXT NOT NULL
);

CREATE TABLE list_members (
    id            INTEGER PRIMARY KEY,
    list_id       INTEGER NOT NULL REFERENCES lists(id) ON DELETE CASCADE,
    position      INTEGER NOT NULL,
    org_id        INTEGER REFERENCES orgs(id),
    person_id     INTEGER REFERENCES people(id),
    sublist_id    INTEGER REFERENCES lists(id),
    role          TEXT NOT NULL CHECK (role IN ('gereği', 'bilgi')),
    cascade_kind  TEXT,
    cascade_text  TEXT,
    label         TEXT,
    CHECK ((org_id IS NOT NULL) + (person_id IS NOT NULL) + (sublist_id IS NOT NULL) = 1),
    UNIQUE (list_id, org_id),
    UNIQUE (list_id, person_id),
    UNIQUE (list_id, sublist_id)
);
CREATE INDEX list_members_list ON list_members(list_id, position);

-- Content-addressed stored files: files/<sha256>.pdf
CREATE TABLE files (
    sha256        TEXT PRIMARY KEY,
    size          INTEGER NOT NULL,
    media_type    TEXT NOT NULL,
    pages         INTEGER,
    original_name TEXT,
    stored_at     TEXT NOT NULL
);

CREATE TABLE documents (
    id             INTEGER PRIMARY KEY,
    direction      TEXT NOT NULL CHECK (direction IN ('incoming', 'outgoing')),
    kind           TEXT NOT NULL,
    sayi           TEXT,
    sayi_key       TEXT,
    sayi_number    INTEGER,
    kind_no        TEXT,
    tarih          TEXT NOT NULL,
    konu           TEXT NOT NULL,
    muhatap        TEXT,
    from_org_id    INTEGER REFERENCES orgs(id),
    issuer         TEXT,
    kayit_year     INTEGER,
    kayit_no       INTEGER,
    received_at    TEXT,
    file_sha256    TEXT REFERENCES files(sha256),
    stamped_sha256 TEXT REFERENCES files(sha256),
    attached_to    INTEGER REFERENCES documents(id),
    state          TEXT NOT NULL DEFAULT 'registered',
    verification   TEXT UNIQUE,
    urgency        TEXT,
    classification TEXT,
    deadline       TEXT,
    payload        TEXT NOT NULL DEFAULT '{}',
    created_at     TEXT NOT NULL,
    UNIQUE (kayit_year, kayit_no)
);
CREATE INDEX documents_sayi_key ON documents(sayi_key);
CREATE INDEX documents_sayi_number ON documents(sayi_number);
CREATE INDEX documents_file ON documents(file_sha256);
CREATE INDEX documents_attached ON documents(attached_to);

-- İlgi: what a document cites, as printed, and what it resolved to.
CREATE TABLE citations (
    id           INTEGER PRIMARY KEY,
    document_id  INTEGER NOT NULL REFERENCES documents(id),
    position     INTEGER NOT NULL,
    text         TEXT NOT NULL,
    cited_date   TEXT,
    cited_sayi   TEXT,
    target_id    INTEGER REFERENCES documents(id),
    discrepancy  TEXT,
    UNIQUE (document_id, position)
);
CREATE INDEX citations_target ON citations(target_id);

-- Ek: what a document carries.
CREATE TABLE attachments (
    id           INTEGER PRIMARY KEY,
    document_id  INTEGER NOT NULL REFERENCES documents(id),
    position     INTEGER NOT NULL,
    description  TEXT NOT NULL,
    target_id    INTEGER REFERENCES documents(id),
    file_sha256  TEXT REFERENCES files(sha256),
    pages        INTEGER,
    UNIQUE (document_id, position)
);
CREATE INDEX attachments_target ON attachments(target_id);

-- Gap-free yearly counters: scope 'kayit' (incoming), 'sayi' (outgoing), 'kind:<kind>' (Tamim No ...).
CREATE TABLE counters (
    scope  TEXT NOT NULL,
    year   INTEGER NOT NULL,
    value  INTEGER NOT NULL,
    PRIMARY KEY (scope, year)
);
