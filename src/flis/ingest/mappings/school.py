"""School extract → ``school.*`` facts and the conformed ``dim.institution``."""

from flis.ingest.mappings.base import Load, Mapping, PersonSource

# Applying the deliveries one by one in commit order keeps, per institution, the row of the
# latest month and among those the latest delivery; so that row is picked first.
_INSTITUTION_DIM = """
INSERT INTO dim.institution
SELECT instnr, navn, institutionstype, kommune, l._month, l._delivery_id
FROM typed_institution r JOIN loaded_files l USING (file_id)
QUALIFY row_number() OVER (PARTITION BY instnr ORDER BY l._month DESC, l._order DESC) = 1
ON CONFLICT (institution_number) DO UPDATE SET
    name = excluded.name,
    institution_type = excluded.institution_type,
    owner_municipality = excluded.owner_municipality,
    month = excluded.month,
    delivery_id = excluded.delivery_id
WHERE excluded.month >= dim.institution.month
"""

MAPPING = Mapping(
    loads=(
        Load(
            table="school.institution_month",
            record_type="institution",
            columns={
                "owner_municipality": "kommune",
                "institution_number": "instnr",
                "institution_type": "institutionstype",
                "school_days": "skoledage",
            },
        ),
        Load(
            table="school.class_month",
            record_type="klasse",
            columns={
                "owner_municipality": "kommune",
                "class_id": "klasse_id",
                "institution_number": "instnr",
                "grade_level": "klassetrin",
                "class_type": "klassetype",
                "school_year": "skoleaar",
            },
        ),
        Load(
            table="school.enrolment_month",
            record_type="indskrivning",
            columns={
                "owner_municipality": "kommune",
                "home_municipality": "hjemkommune",
                "paying_municipality": "coalesce(betalerkommune, hjemkommune)",
                "paying_declared": "betalerkommune IS NOT NULL",
                "person_key": "cpr__key",
                "enrolment_id": "indskrivning_id",
                "institution_number": "instnr",
                "class_id": "klasse_id",
                "grade_level": "klassetrin",
                "from_date": "fra_dato",
                "to_date": "til_dato",
            },
        ),
        Load(
            table="school.grade",
            record_type="karakter",
            columns={
                "owner_municipality": "kommune",
                "person_key": "cpr__key",
                "institution_number": "instnr",
                "subject": "fag",
                "exam_type": "proevetype",
                "grade": "karakter",
                "grade_value": "TRY_CAST(CASE WHEN karakter IN ('-3', '00', '02', '4', '7', "
                "'10', '12') THEN karakter END AS INTEGER)",
                "exam_date": "dato",
            },
        ),
        Load(
            table="school.pupil_absence_day",
            record_type="fravaer",
            columns={
                "owner_municipality": "kommune",
                "person_key": "cpr__key",
                "institution_number": "instnr",
                "absence_date": "dato",
                "absence_type": "fravaerstype",
            },
        ),
    ),
    persons=(
        PersonSource("indskrivning", "cpr"),
        PersonSource("karakter", "cpr"),
        PersonSource("fravaer", "cpr"),
    ),
    dimension_sql=(_INSTITUTION_DIM,),
)
