-- +goose Up
-- Browser sessions of the officers' workspace. Only a SHA-256 of the session
-- id is kept, so that a copy of the database does not let anyone sign in.
CREATE TABLE web_sessions (
    id_hash         TEXT PRIMARY KEY,            -- hex SHA-256 of the cookie value
    user_id         INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token      TEXT NOT NULL,               -- synchronizer token of the session's forms
    second_factor   BOOLEAN NOT NULL DEFAULT FALSE, -- TRUE while a TOTP code is still owed
    failed_codes    INTEGER NOT NULL DEFAULT 0,
    created_at      TIMESTAMP NOT NULL,
    last_seen_at    TIMESTAMP NOT NULL,
    client_addr     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX web_sessions_user ON web_sessions (user_id);
CREATE INDEX web_sessions_seen ON web_sessions (last_seen_at);

-- The time step of the last accepted TOTP code, so that a code seen over a
-- shoulder or in a proxy log cannot be used a second time.
ALTER TABLE users ADD COLUMN totp_last_step BIGINT NOT NULL DEFAULT 0;

-- The press office's media releases. A release has up to four language
-- versions (ar, en, fr, es) and photos shared by every version.
CREATE TABLE media_releases (
    id            INTEGER PRIMARY KEY,
    state         TEXT NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'published', 'withdrawn')),
    release_date  TEXT NOT NULL,                 -- 'YYYY-MM-DD', the date the release bears
    created_by    TEXT NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    published_at  TIMESTAMP
);
CREATE INDEX media_releases_state ON media_releases (state, release_date);

CREATE TABLE media_release_versions (
    release_id  INTEGER NOT NULL REFERENCES media_releases (id) ON DELETE CASCADE,
    lang        TEXT NOT NULL CHECK (lang IN ('ar', 'en', 'fr', 'es')),
    title       TEXT NOT NULL,
    place       TEXT NOT NULL,
    body        TEXT NOT NULL,
    updated_at  TIMESTAMP NOT NULL,
    PRIMARY KEY (release_id, lang)
);

CREATE TABLE media_release_photos (
    id            INTEGER PRIMARY KEY,
    release_id    INTEGER NOT NULL REFERENCES media_releases (id) ON DELETE CASCADE,
    content_type  TEXT NOT NULL,
    data          BLOB NOT NULL,
    width         INTEGER NOT NULL,
    height        INTEGER NOT NULL,
    caption       TEXT NOT NULL DEFAULT '',
    created_at    TIMESTAMP NOT NULL
);
CREATE INDEX media_release_photos_release ON media_release_photos (release_id);

-- +goose Down
ALTER TABLE users DROP COLUMN totp_last_step;
DROP TABLE media_release_photos;
DROP TABLE media_release_versions;
DROP TABLE media_releases;
DROP TABLE web_sessions;
