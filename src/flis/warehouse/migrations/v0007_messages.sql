-- Operational messages from the central operator (planned outages, late deliveries, notices) and
-- the log of administrative actions (who did what to users, tokens, periods and messages).
-- Self-contained: it needs only the access schema of v0006.
CREATE SCHEMA IF NOT EXISTS ops;

CREATE SEQUENCE ops.message_id START 1;

CREATE TABLE ops.message (
    message_id INTEGER PRIMARY KEY DEFAULT nextval('ops.message_id'),
    severity VARCHAR NOT NULL CHECK (severity IN ('info', 'warning', 'outage')),
    title_da VARCHAR NOT NULL,
    title_en VARCHAR NOT NULL,
    body_da VARCHAR NOT NULL,
    body_en VARCHAR NOT NULL,
    audience SMALLINT[],
    valid_from TIMESTAMP NOT NULL,
    valid_to TIMESTAMP,
    created_by VARCHAR NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP,
    CHECK (valid_to IS NULL OR valid_to >= valid_from)
);

CREATE SCHEMA IF NOT EXISTS access;

CREATE TABLE access.admin_action (
    acted_at TIMESTAMP NOT NULL,
    user_name VARCHAR NOT NULL,
    role VARCHAR NOT NULL,
    action VARCHAR NOT NULL,
    target VARCHAR NOT NULL,
    detail VARCHAR NOT NULL
);
