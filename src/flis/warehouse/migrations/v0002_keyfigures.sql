-- Key-figure values per municipality and period, and group values (region, nation, groups).
CREATE SCHEMA IF NOT EXISTS keyfigures;

CREATE TABLE keyfigures.value (
    keyfigure VARCHAR NOT NULL,
    municipality_code SMALLINT NOT NULL,
    period VARCHAR NOT NULL,
    value DOUBLE,
    numerator DOUBLE,
    denominator DOUBLE,
    persons BIGINT,
    status VARCHAR NOT NULL,
    inputs VARCHAR NOT NULL,
    PRIMARY KEY (keyfigure, municipality_code, period)
);

CREATE TABLE keyfigures.group_value (
    keyfigure VARCHAR NOT NULL,
    group_id VARCHAR NOT NULL,
    period VARCHAR NOT NULL,
    value DOUBLE,
    numerator DOUBLE,
    denominator DOUBLE,
    members INTEGER NOT NULL,
    PRIMARY KEY (keyfigure, group_id, period)
);
