-- Subscriptions: which datasets a municipality receives in its outbox on each release, and in
-- which formats. A municipality can only subscribe to its own detail dataset: the row names the
-- subscriber only, and the dataset is one of the three release levels (never a path).
CREATE SCHEMA IF NOT EXISTS release;

CREATE TABLE release.subscription (
    municipality_code SMALLINT NOT NULL,
    dataset VARCHAR NOT NULL CHECK (dataset IN ('benchmark', 'institutions', 'detail')),
    formats VARCHAR NOT NULL CHECK (regexp_full_match(formats, '(parquet|csv|xlsx)(,(parquet|csv|xlsx))*')),
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (municipality_code, dataset)
);
