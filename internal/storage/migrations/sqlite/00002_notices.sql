-- +goose Up
-- Notices: a country's request to all others, reviewed by the General
-- Secretariat before it circulates. The notice's data is one validated JSON
-- document (data); the columns beside it are what lists and searches filter
-- on, derived from the document at every save.
CREATE TABLE notices (
    id                 INTEGER PRIMARY KEY,
    reference          TEXT NOT NULL UNIQUE,     -- YYYY/NNNNN, sequential per year
    type               TEXT NOT NULL,
    state              TEXT NOT NULL,
    owner              TEXT NOT NULL,            -- requesting bureau (alpha-2) or GS
    creator            TEXT NOT NULL,            -- username of the requester
    creator_id         INTEGER NOT NULL,
    public             BOOLEAN NOT NULL DEFAULT FALSE,  -- owner consents to a public extract
    excluded           TEXT NOT NULL DEFAULT '',        -- ",RU,XX," countries that may not see it
    version            INTEGER NOT NULL,
    data               TEXT NOT NULL,
    subject_kind       TEXT NOT NULL,            -- person, entity or none
    family_norm        TEXT NOT NULL DEFAULT '',
    forename_norm      TEXT NOT NULL DEFAULT '',
    search_text        TEXT NOT NULL DEFAULT '', -- folded names, aliases, charges
    nationalities      TEXT NOT NULL DEFAULT '', -- ",FR,DE,"
    warrant_countries  TEXT NOT NULL DEFAULT '', -- ",FR,"
    sex                TEXT NOT NULL DEFAULT '',
    birth_year         INTEGER,
    birth_date         TEXT NOT NULL DEFAULT '', -- YYYY, YYYY-MM or YYYY-MM-DD
    un_reference       TEXT NOT NULL DEFAULT '',
    un_resolution      TEXT NOT NULL DEFAULT '',
    flags              TEXT NOT NULL DEFAULT '[]', -- automated pre-check flags, JSON
    closed_reason      TEXT NOT NULL DEFAULT '',   -- why it was cancelled or withdrawn
    review_date        TIMESTAMP,
    created_at         TIMESTAMP NOT NULL,
    updated_at         TIMESTAMP NOT NULL,
    submitted_at       TIMESTAMP,
    published_at       TIMESTAMP
);
CREATE INDEX notices_state_type ON notices (state, type);
CREATE INDEX notices_owner ON notices (owner);
CREATE INDEX notices_family ON notices (family_norm);
CREATE INDEX notices_review_date ON notices (review_date);

-- The last reference number given in each year.
CREATE TABLE notice_counters (
    year  INTEGER PRIMARY KEY,
    last  INTEGER NOT NULL
);

-- Every saved version of a notice's data.
CREATE TABLE notice_versions (
    id            INTEGER PRIMARY KEY,
    notice_id     INTEGER NOT NULL REFERENCES notices (id),
    version       INTEGER NOT NULL,
    data          TEXT NOT NULL,
    author        TEXT NOT NULL,
    author_org    TEXT NOT NULL,
    at            TIMESTAMP NOT NULL,
    needs_review  BOOLEAN NOT NULL,          -- the change touched the legal basis
    changed       TEXT NOT NULL DEFAULT '',  -- comma-separated top-level fields changed
    UNIQUE (notice_id, version)
);

-- The compliance review: start, questions to the bureau, approval with its
-- checklist, refusal with its reason.
CREATE TABLE notice_reviews (
    id          INTEGER PRIMARY KEY,
    notice_id   INTEGER NOT NULL REFERENCES notices (id),
    version     INTEGER NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('start_review', 'request_info', 'approve', 'refuse')),
    reviewer    TEXT NOT NULL,
    at          TIMESTAMP NOT NULL,
    checklist   TEXT NOT NULL DEFAULT '',
    comment     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX notice_reviews_notice ON notice_reviews (notice_id);

-- Photographs, re-encoded without their metadata.
CREATE TABLE notice_photos (
    id            INTEGER PRIMARY KEY,
    notice_id     INTEGER NOT NULL REFERENCES notices (id),
    n             INTEGER NOT NULL,          -- 1, 2, ... within the notice
    content_type  TEXT NOT NULL,
    size          INTEGER NOT NULL,
    sha256        TEXT NOT NULL,
    width         INTEGER NOT NULL,
    height        INTEGER NOT NULL,
    data          BLOB NOT NULL,
    uploaded_by   TEXT NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    UNIQUE (notice_id, n)
);

-- Diffusions go from one bureau straight to chosen countries.
CREATE TABLE diffusions (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL,
    sender      TEXT NOT NULL,              -- sending bureau
    sent_by     TEXT NOT NULL,              -- username
    data        TEXT NOT NULL,
    notice_id   INTEGER REFERENCES notices (id), -- the notice request it became
    created_at  TIMESTAMP NOT NULL
);
CREATE INDEX diffusions_sender ON diffusions (sender);

CREATE TABLE diffusion_recipients (
    diffusion_id  INTEGER NOT NULL REFERENCES diffusions (id),
    country       TEXT NOT NULL,            -- alpha-2, or * for every member
    PRIMARY KEY (diffusion_id, country)
);
CREATE INDEX diffusion_recipients_country ON diffusion_recipients (country);

-- +goose Down
DROP TABLE diffusion_recipients;
DROP TABLE diffusions;
DROP TABLE notice_photos;
DROP TABLE notice_reviews;
DROP TABLE notice_versions;
DROP TABLE notice_counters;
DROP TABLE notices;
