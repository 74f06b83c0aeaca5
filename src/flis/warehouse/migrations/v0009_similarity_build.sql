-- The parameters the stored similar-municipality groups were built with. One row, replaced by
-- every `flis groups build` in the same transaction as the groups, so a release can record them
-- in its manifest, refuse stale groups, and `flis releases verify` can rebuild them the same way.
CREATE TABLE keyfigures.similarity_build (
    method_version VARCHAR NOT NULL,
    month VARCHAR NOT NULL,
    k INTEGER NOT NULL,
    month_is_latest BOOLEAN NOT NULL,
    built_at TIMESTAMP NOT NULL
);
