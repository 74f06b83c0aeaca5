-- Access to the API: users, bearer tokens (only their SHA-256 hash is stored) and the audit log of
-- every read of detail data. A user belongs to one municipality (NULL for operators) and has one
-- role; OIDC sign-in later maps its claims onto the same user/role/municipality.
CREATE SCHEMA IF NOT EXISTS access;

CREATE TABLE access.app_user (
    name VARCHAR PRIMARY KEY,
    role VARCHAR NOT NULL CHECK (role IN ('viewer', 'analyst', 'data-admin', 'operator')),
    municipality_code SMALLINT,
    disabled BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE access.token (
    token_id VARCHAR PRIMARY KEY,
    sha256 VARCHAR NOT NULL UNIQUE,
    user_name VARCHAR NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP,
    disabled BOOLEAN NOT NULL DEFAULT FALSE
);

CREATE TABLE access.audit (
    read_at TIMESTAMP NOT NULL,
    user_name VARCHAR NOT NULL,
    role VARCHAR NOT NULL,
    municipality_code SMALLINT NOT NULL,
    dataset VARCHAR NOT NULL,
    release_id VARCHAR,
    row_count BIGINT NOT NULL,
    route VARCHAR NOT NULL
);
