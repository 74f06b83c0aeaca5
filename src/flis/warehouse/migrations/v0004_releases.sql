-- Monthly releases: which were published, and which periods the operator has closed.
CREATE SCHEMA IF NOT EXISTS release;

CREATE TABLE release.release (
    release_id VARCHAR PRIMARY KEY,
    period VARCHAR NOT NULL,
    n INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL,
    status VARCHAR NOT NULL,
    manifest_sha256 VARCHAR NOT NULL
);

CREATE TABLE release.closed_period (
    period VARCHAR PRIMARY KEY,
    closed_at TIMESTAMP NOT NULL,
    last_release VARCHAR
);
