-- +goose Up
-- Police databases: records owned by the country that entered them. Every
-- record carries its audience (who besides the owner and the General
-- Secretariat may see it: all members, only the listed countries, or all but
-- the listed countries) and the date by which it must be reviewed.
-- Dates that are calendar days (birth, report, review) are kept as
-- 'YYYY-MM-DD' text: they have no time of day and no time zone.

CREATE TABLE persons (
    id                  TEXT PRIMARY KEY,          -- the owner's reference, kept as given
    owner               TEXT NOT NULL,
    audience_mode       TEXT NOT NULL DEFAULT 'all' CHECK (audience_mode IN ('all', 'only', 'except')),
    audience_countries  TEXT NOT NULL DEFAULT '',  -- comma-separated alpha-2 codes
    review_on           TEXT NOT NULL,
    name                TEXT NOT NULL,
    aliases             TEXT NOT NULL DEFAULT '[]', -- JSON array of names
    birth_date          TEXT,
    nationality         TEXT,
    sex                 TEXT,
    details             TEXT NOT NULL DEFAULT '{}', -- JSON: the other person-notice fields
    reason              TEXT NOT NULL DEFAULT '',
    created_at          TIMESTAMP NOT NULL,
    updated_at          TIMESTAMP NOT NULL
);
CREATE INDEX persons_owner ON persons (owner);

-- No foreign key or unique constraint here: a bureau may report the same
-- number twice (stolen, then found and lost again) and bulk loads of
-- hundreds of millions of rows must stay fast; the service checks owners.
CREATE TABLE travel_documents (
    id                  INTEGER PRIMARY KEY,
    owner               TEXT NOT NULL,
    audience_mode       TEXT NOT NULL DEFAULT 'all' CHECK (audience_mode IN ('all', 'only', 'except')),
    audience_countries  TEXT NOT NULL DEFAULT '',
    review_on           TEXT NOT NULL,
    number              TEXT NOT NULL,             -- normalised: upper case, no spaces, dashes or <
    issuing_country     TEXT NOT NULL,
    doc_type            TEXT NOT NULL,
    status              TEXT NOT NULL,
    reported_on         TEXT,
    serial_from         TEXT,                      -- blank documents: first and last serial stolen
    serial_to           TEXT,
    created_at          TIMESTAMP NOT NULL,
    updated_at          TIMESTAMP NOT NULL
);
CREATE INDEX travel_documents_number ON travel_documents (number);

CREATE TABLE vehicles (
    id                  INTEGER PRIMARY KEY,
    owner               TEXT NOT NULL,
    audience_mode       TEXT NOT NULL DEFAULT 'all' CHECK (audience_mode IN ('all', 'only', 'except')),
    audience_countries  TEXT NOT NULL DEFAULT '',
    review_on           TEXT NOT NULL,
    vin                 TEXT NOT NULL,
    plate               TEXT NOT NULL DEFAULT '',
    make                TEXT NOT NULL DEFAULT '',
    model               TEXT NOT NULL DEFAULT '',
    colour              TEXT NOT NULL DEFAULT '',
    country             TEXT NOT NULL DEFAULT '',
    created_at          TIMESTAMP NOT NULL,
    updated_at          TIMESTAMP NOT NULL
);
CREATE INDEX vehicles_vin ON vehicles (vin);

CREATE TABLE artworks (
    id                  INTEGER PRIMARY KEY,
    owner               TEXT NOT NULL,
    audience_mode       TEXT NOT NULL DEFAULT 'all' CHECK (audience_mode IN ('all', 'only', 'except')),
    audience_countries  TEXT NOT NULL DEFAULT '',
    review_on           TEXT NOT NULL,
    title               TEXT NOT NULL,
    artist              TEXT NOT NULL DEFAULT '',
    object_type         TEXT NOT NULL DEFAULT '',
    period              TEXT NOT NULL DEFAULT '',
    dimensions          TEXT NOT NULL DEFAULT '',
    description         TEXT NOT NULL DEFAULT '',
    photos              TEXT NOT NULL DEFAULT '[]', -- JSON array of photograph references
    created_at          TIMESTAMP NOT NULL,
    updated_at          TIMESTAMP NOT NULL
);
CREATE INDEX artworks_owner ON artworks (owner);

-- A screening answer flagged as a match: who asked, from where, when, what,
-- and which record it hit. The owner of the record decides what it was.
CREATE TABLE hits (
    id            INTEGER PRIMARY KEY,
    at            TIMESTAMP NOT NULL,
    asker         TEXT NOT NULL,
    asker_org     TEXT NOT NULL,
    client_addr   TEXT NOT NULL,
    request_id    TEXT NOT NULL,
    qid           TEXT NOT NULL,
    query         TEXT NOT NULL,                   -- the query as JSON
    record_kind   TEXT NOT NULL,
    record_id     TEXT NOT NULL,
    record_owner  TEXT NOT NULL,
    score         REAL NOT NULL,
    status        TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'confirmed', 'false_positive')),
    decided_by    TEXT NOT NULL DEFAULT '',
    decided_at    TIMESTAMP,
    note          TEXT NOT NULL DEFAULT ''
);
CREATE INDEX hits_owner ON hits (record_owner, id);
CREATE INDEX hits_asker ON hits (asker_org, id);

-- Where a bulk import stopped: the last line committed, per input file and
-- owner, so that an interrupted import picks up after it.
CREATE TABLE import_progress (
    key         TEXT PRIMARY KEY,                  -- hex SHA-256 of kind, owner and the file's identity
    kind        TEXT NOT NULL,
    owner       TEXT NOT NULL,
    source      TEXT NOT NULL,
    last_line   BIGINT NOT NULL,
    imported    BIGINT NOT NULL,
    failed      BIGINT NOT NULL,
    done        BOOLEAN NOT NULL DEFAULT FALSE,
    updated_at  TIMESTAMP NOT NULL
);

-- +goose Down
DROP TABLE import_progress;
DROP TABLE hits;
DROP TABLE artworks;
DROP TABLE vehicles;
DROP TABLE travel_documents;
DROP TABLE persons;
