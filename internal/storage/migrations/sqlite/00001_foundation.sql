-- +goose Up
CREATE TABLE organisations (
    code    TEXT PRIMARY KEY,            -- ISO alpha-2 of the bureau's country, or GS
    kind    TEXT NOT NULL CHECK (kind IN ('ncb', 'gs')),
    name    TEXT NOT NULL
);

CREATE TABLE users (
    id             INTEGER PRIMARY KEY,
    username       TEXT NOT NULL UNIQUE,
    display_name   TEXT NOT NULL DEFAULT '',
    org            TEXT NOT NULL REFERENCES organisations (code),
    roles          TEXT NOT NULL,         -- comma-separated role names
    password_hash  TEXT NOT NULL,
    disabled       BOOLEAN NOT NULL DEFAULT FALSE,
    failed_logins  INTEGER NOT NULL DEFAULT 0,
    locked_until   TIMESTAMP,
    totp_secret    TEXT,
    created_at     TIMESTAMP NOT NULL,
    updated_at     TIMESTAMP NOT NULL
);

CREATE TABLE api_tokens (
    id            INTEGER PRIMARY KEY,
    user_id       INTEGER NOT NULL REFERENCES users (id),
    name          TEXT NOT NULL,
    secret_hash   TEXT NOT NULL UNIQUE,   -- hex SHA-256 of the token
    created_at    TIMESTAMP NOT NULL,
    expires_at    TIMESTAMP NOT NULL,
    revoked_at    TIMESTAMP,
    last_used_at  TIMESTAMP
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

CREATE TABLE audit_log (
    seq            INTEGER PRIMARY KEY,   -- assigned by relais: 1, 2, 3 ... without gaps
    at             TIMESTAMP NOT NULL,
    actor          TEXT NOT NULL,
    actor_org      TEXT NOT NULL,
    action         TEXT NOT NULL,
    resource_kind  TEXT NOT NULL,
    resource_id    TEXT NOT NULL,
    outcome        TEXT NOT NULL,
    reason         TEXT NOT NULL,
    request_id     TEXT NOT NULL,
    client_addr    TEXT NOT NULL,
    detail         TEXT NOT NULL,
    prev_hash      TEXT NOT NULL,
    hash           TEXT NOT NULL
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_resource ON audit_log (resource_kind, resource_id);
CREATE INDEX audit_log_actor ON audit_log (actor);

-- The newest entry of the chain, so that cutting entries off its end shows.
CREATE TABLE audit_head (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    seq   INTEGER NOT NULL,
    hash  TEXT NOT NULL
);

CREATE TABLE changes (
    seq        INTEGER PRIMARY KEY,       -- assigned by relais, strictly increasing in commit order
    at         TIMESTAMP NOT NULL,
    kind       TEXT NOT NULL,
    entity_id  TEXT NOT NULL,
    op         TEXT NOT NULL CHECK (op IN ('insert', 'update', 'delete'))
);

-- +goose Down
DROP TABLE changes;
DROP TABLE audit_head;
DROP TABLE audit_log;
DROP TABLE api_tokens;
DROP TABLE users;
DROP TABLE organisations;
