"""Payroll absence periods → ``staff.absence_period``."""

from flis.ingest.mappings.base import Load, Mapping, PersonSource

MAPPING = Mapping(
    loads=(
        Load(
            table="staff.absence_period",
            record_type="fravaer",
            columns={
                "employer_municipality": "kommune",
                "person_key": "cpr__key",
                "absence_id": "fravaersid",
                "employment_id": "ansaettelsesnr",
                "absence_type": "fravaersaarsag",
                "from_date": "fra_dato",
                "to_date": "til_dato",
                "calendar_days": "CAST(datediff('day', fra_dato, til_dato) + 1 AS INTEGER)",
                "hours": "timer",
            },
        ),
    ),
    persons=(PersonSource("fravaer", "cpr"),),
)
