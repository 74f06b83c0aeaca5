-- Comparison groups for benchmarking: Statistics Denmark's municipality groups, the regions,
-- similar municipalities per data area (nearest neighbours) and user-defined groups.
CREATE SCHEMA IF NOT EXISTS keyfigures;

CREATE TABLE keyfigures."group" (
    group_id VARCHAR PRIMARY KEY,
    kind VARCHAR NOT NULL,
    name VARCHAR NOT NULL,
    area VARCHAR,
    anchor_municipality SMALLINT,
    method_version VARCHAR,
    owner VARCHAR,
    description VARCHAR,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE keyfigures.group_member (
    group_id VARCHAR NOT NULL,
    municipality_code SMALLINT NOT NULL,
    distance DOUBLE,
    rank INTEGER,
    PRIMARY KEY (group_id, municipality_code)
);

CREATE TABLE keyfigures.similarity_input (
    method_version VARCHAR NOT NULL,
    area VARCHAR NOT NULL,
    municipality_code SMALLINT NOT NULL,
    variable VARCHAR NOT NULL,
    value DOUBLE,
    zscore DOUBLE NOT NULL,
    PRIMARY KEY (method_version, area, municipality_code, variable)
);
