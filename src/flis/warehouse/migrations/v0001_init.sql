-- The common information model: registry, conformed dimensions and one schema per area.
CREATE SCHEMA IF NOT EXISTS ingest;
CREATE SCHEMA IF NOT EXISTS dim;
CREATE SCHEMA IF NOT EXISTS economy;
CREATE SCHEMA IF NOT EXISTS citizens;
CREATE SCHEMA IF NOT EXISTS staff;
CREATE SCHEMA IF NOT EXISTS school;
CREATE SCHEMA IF NOT EXISTS central;

CREATE TABLE ingest.delivery (
    delivery_id BIGINT PRIMARY KEY,
    contract VARCHAR,
    source VARCHAR,
    municipality_code SMALLINT,
    month VARCHAR,
    seq SMALLINT,
    file_name VARCHAR NOT NULL,
    size_bytes BIGINT NOT NULL,
    sha256 VARCHAR NOT NULL,
    received_at TIMESTAMP NOT NULL,
    status VARCHAR NOT NULL,
    records BIGINT NOT NULL,
    loaded_rows BIGINT NOT NULL,
    quarantined_rows BIGINT NOT NULL,
    errors BIGINT NOT NULL,
    warnings BIGINT NOT NULL,
    superseded_by BIGINT
);

CREATE TABLE ingest.finding (
    delivery_id BIGINT NOT NULL,
    rule VARCHAR NOT NULL,
    severity VARCHAR NOT NULL,
    scope VARCHAR NOT NULL,
    file_name VARCHAR NOT NULL,
    line BIGINT,
    column_name VARCHAR,
    value VARCHAR,
    expected VARCHAR,
    message_da VARCHAR NOT NULL,
    message_en VARCHAR NOT NULL
);

CREATE TABLE ingest.quarantine (
    delivery_id BIGINT NOT NULL,
    line BIGINT NOT NULL,
    record_type VARCHAR,
    content VARCHAR NOT NULL
);

CREATE TABLE dim.month (
    month VARCHAR PRIMARY KEY,
    month_start DATE NOT NULL,
    month_end DATE NOT NULL,
    year INTEGER NOT NULL,
    month_of_year INTEGER NOT NULL,
    days INTEGER NOT NULL,
    school_year INTEGER NOT NULL
);
INSERT INTO dim.month
SELECT strftime(d, '%Y-%m'),
       CAST(d AS DATE),
       CAST(d + INTERVAL 1 MONTH - INTERVAL 1 DAY AS DATE),
       year(d),
       month(d),
       CAST(datediff('day', d, d + INTERVAL 1 MONTH) AS INTEGER),
       CASE WHEN month(d) >= 8 THEN year(d) ELSE year(d) - 1 END
FROM range(TIMESTAMP '2000-01-01', TIMESTAMP '2051-01-01', INTERVAL 1 MONTH) AS t(d);

CREATE TABLE dim.municipality (
    municipality_code SMALLINT PRIMARY KEY,
    code4 VARCHAR NOT NULL,
    name VARCHAR NOT NULL,
    region_code SMALLINT NOT NULL,
    region_name VARCHAR NOT NULL,
    dst_group_code SMALLINT NOT NULL,
    dst_group VARCHAR NOT NULL
);

CREATE TABLE dim.account_function (
    funktion VARCHAR PRIMARY KEY,
    name_da VARCHAR NOT NULL,
    name_en VARCHAR NOT NULL,
    hovedfunktion VARCHAR NOT NULL,
    hovedfunktion_da VARCHAR NOT NULL,
    hovedkonto VARCHAR NOT NULL,
    hovedkonto_da VARCHAR NOT NULL
);

CREATE TABLE dim.code (
    codelist VARCHAR NOT NULL,
    code VARCHAR NOT NULL,
    name_da VARCHAR NOT NULL,
    name_en VARCHAR NOT NULL,
    parent VARCHAR,
    attrs VARCHAR,
    PRIMARY KEY (codelist, code)
);

CREATE VIEW dim.staff_category AS
    SELECT code AS staff_category, name_da, name_en FROM dim.code WHERE codelist = 'staff_category';
CREATE VIEW dim.grade_level AS
    SELECT code AS grade_level, CAST(code AS INTEGER) AS grade, name_da, name_en
    FROM dim.code WHERE codelist = 'grade_level';
CREATE VIEW dim.class_type AS
    SELECT code AS class_type, name_da, name_en,
           CAST(json_extract(attrs, '$.ordinary') AS BOOLEAN) AS ordinary,
           CAST(json_extract(attrs, '$.segregated') AS BOOLEAN) AS segregated
    FROM dim.code WHERE codelist = 'class_type';
CREATE VIEW dim.staff_absence_type AS
    SELECT code AS absence_type, name_da, name_en,
           CAST(json_extract(attrs, '$.sickness') AS BOOLEAN) AS sickness
    FROM dim.code WHERE codelist = 'staff_absence_type';
CREATE VIEW dim.pupil_absence_type AS
    SELECT code AS absence_type, name_da, name_en FROM dim.code
    WHERE codelist = 'pupil_absence_type';

CREATE TABLE dim.institution (
    institution_number VARCHAR PRIMARY KEY,
    name VARCHAR NOT NULL,
    institution_type VARCHAR NOT NULL,
    owner_municipality SMALLINT NOT NULL,
    month VARCHAR NOT NULL,
    delivery_id BIGINT NOT NULL
);

CREATE TABLE dim.person (
    person_key BIGINT NOT NULL,
    birth_date DATE,
    sex VARCHAR,
    delivery_id BIGINT NOT NULL
);

CREATE TABLE economy.posting (
    delivery_id BIGINT NOT NULL,
    month VARCHAR NOT NULL,
    source_line BIGINT NOT NULL,
    owner_municipality SMALLINT NOT NULL,
    voucher VARCHAR NOT NULL,
    posting_date DATE NOT NULL,
    account VARCHAR NOT NULL,
    hovedkonto VARCHAR NOT NULL,
    funktion VARCHAR NOT NULL,
    dranst VARCHAR NOT NULL,
    art VARCHAR NOT NULL,
    cost_centre VARCHAR,
    amount DECIMAL(18, 2) NOT NULL,
    posting_type VARCHAR NOT NULL
);

CREATE TABLE citizens.resident_month (
    delivery_id BIGINT NOT NULL,
    month VARCHAR NOT NULL,
    source_line BIGINT NOT NULL,
    home_municipality SMALLINT NOT NULL,
    person_key BIGINT NOT NULL,
    cpr_status VARCHAR NOT NULL,
    sex VARCHAR NOT NULL,
    birth_date DATE NOT NULL,
    age INTEGER NOT NULL,
    civil_status VARCHAR NOT NULL,
    citizenship VARCHAR NOT NULL,
    moved_in_date DATE,
    school_district VARCHAR
);

CREATE TABLE citizens.population_event (
    delivery_id BIGINT NOT NULL,
    month VARCHAR NOT NULL,
    source_line BIGINT NOT NULL,
    home_municipality SMALLINT NOT NULL,
    person_key BIGINT NOT NULL,
    event VARCHAR NOT NULL,
    event_date DATE NOT NULL,
    other_municipality SMALLINT
);

CREATE TABLE staff.employment_month (
    delivery_id BIGINT NOT NULL,
    month VARCHAR NOT NULL,
    source_line BIGINT NOT NULL,
    employer_municipality SMALLINT NOT NULL,
    person_key BIGINT NOT NULL,
    employment_id VARCHAR NOT NULL,
    workplace VARCHAR NOT NULL,
    funktion VARCHAR NOT NULL,
    staff_category VARCHAR NOT NULL,
    collective_agreement VARCHAR NOT NULL,
    employment_form VARCHAR NOT NULL,
    weekly_hours DECIMAL(18, 2) NOT NULL,
    fte DOUBLE NOT NULL,
    monthly_pay DECIMAL(18, 2) NOT NULL,
    start_date DATE NOT NULL,
    end_date DATE
);

CREATE TABLE staff.absence_period (
    delivery_id BIGINT NOT NULL,
    month VARCHAR NOT NULL,
    source_line BIGINT NOT NULL,
    employer_municipality SMALLINT NOT NULL,
    person_key BIGINT NOT NULL,
    absence_id VARCHAR NOT NULL,
    employment_id VARCHAR NOT NULL,
    absence_type VARCHAR NOT NULL,
    from_date DATE NOT NULL,
    to_date DATE NOT NULL,
    calendar_days INTEGER NOT NULL,
    hours DECIMAL(18, 2)
);

CREATE TABLE school.institution_month (
    delivery_id BIGINT NOT NULL,
    month VARCHAR NOT NULL,
    source_line BIGINT NOT NULL,
    owner_municipality SMALLINT NOT NULL,
    institution_number VARCHAR NOT NULL,
    institution_type VARCHAR NOT NULL,
    school_days INTEGER NOT NULL
);

CREATE TABLE school.class_month (
    delivery_id BIGINT NOT NULL,
    month VARCHAR NOT NULL,
    source_line BIGINT NOT NULL,
    owner_municipality SMALLINT NOT NULL,
    class_id VARCHAR NOT NULL,
    institution_number VARCHAR NOT NULL,
    grade_level VARCHAR NOT NULL,
    class_type VARCHAR NOT NULL,
    school_year INTEGER NOT NULL
);

CREATE TABLE school.enrolment_month (
    delivery_id BIGINT NOT NULL,
    month VARCHAR NOT NULL,
    source_line BIGINT NOT NULL,
    owner_municipality SMALLINT NOT NULL,
    home_municipality SMALLINT NOT NULL,
    paying_municipality SMALLINT NOT NULL,
    paying_declared BOOLEAN NOT NULL,
    person_key BIGINT NOT NULL,
    enrolment_id VARCHAR NOT NULL,
    institution_number VARCHAR NOT NULL,
    class_id VARCHAR NOT NULL,
    grade_level VARCHAR NOT NULL,
    from_date DATE NOT NULL,
    to_date DATE
);

CREATE TABLE school.grade (
    delivery_id BIGINT NOT NULL,
    month VARCHAR NOT NULL,
    source_line BIGINT NOT NULL,
    owner_municipality SMALLINT NOT NULL,
    person_key BIGINT NOT NULL,
    institution_number VARCHAR NOT NULL,
    subject VARCHAR NOT NULL,
    exam_type VARCHAR NOT NULL,
    grade VARCHAR NOT NULL,
    grade_value INTEGER,
    exam_date DATE NOT NULL
);

CREATE TABLE school.pupil_absence_day (
    delivery_id BIGINT NOT NULL,
    month VARCHAR NOT NULL,
    source_line BIGINT NOT NULL,
    owner_municipality SMALLINT NOT NULL,
    person_key BIGINT NOT NULL,
    institution_number VARCHAR NOT NULL,
    absence_date DATE NOT NULL,
    absence_type VARCHAR NOT NULL
);

CREATE TABLE central.statistic (
    delivery_id BIGINT NOT NULL,
    month VARCHAR NOT NULL,
    source_line BIGINT NOT NULL,
    municipality_code SMALLINT NOT NULL,
    statistic VARCHAR NOT NULL,
    institution_number VARCHAR,
    reference_date DATE NOT NULL,
    value BIGINT NOT NULL
);
