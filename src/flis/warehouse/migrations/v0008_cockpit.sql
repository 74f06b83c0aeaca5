-- The cockpit's sign-in: a password hash on users (scrypt with a per-user salt, docs/cockpit.md)
-- and server-side sessions. Only the SHA-256 of a session id is stored, like tokens; the CSRF
-- token is compared with the X-CSRF-Token header of every unsafe request a session makes. A session
-- begun with a token names it (token_id) and ends when that token is revoked or expires.
ALTER TABLE access.app_user ADD COLUMN password_hash VARCHAR;

CREATE TABLE access.session (
    sha256 VARCHAR PRIMARY KEY,
    user_name VARCHAR NOT NULL,
    csrf_token VARCHAR NOT NULL,
    created_at TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    token_id VARCHAR
);
