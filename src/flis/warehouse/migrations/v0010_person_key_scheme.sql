-- Which keyed hash made the warehouse's person keys. Keys of two schemes for the same person
-- never match, so a warehouse keeps the scheme it started with: one that already holds persons
-- was keyed with HMAC-SHA256 (the only scheme before this migration); a new one is keyed with
-- AES-CMAC by its first ingest (src/flis/ingest/pseudonym.py).
CREATE TABLE ingest.person_key_scheme (
    scheme VARCHAR NOT NULL,
    recorded_at TIMESTAMP NOT NULL
);
INSERT INTO ingest.person_key_scheme
SELECT 'hmac-sha256', current_timestamp WHERE EXISTS (SELECT 1 FROM dim.person);
