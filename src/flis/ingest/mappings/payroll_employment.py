"""Payroll employments → ``staff.employment_month``."""

from flis.ingest.mappings.base import Load, Mapping, PersonSource

MAPPING = Mapping(
    loads=(
        Load(
            table="staff.employment_month",
            record_type="ansaettelse",
            columns={
                "employer_municipality": "kommune",
                "person_key": "cpr__key",
                "employment_id": "ansaettelsesnr",
                "workplace": "arbejdssted",
                "funktion": "funktion",
                "staff_category": "personalekategori",
                "collective_agreement": "overenskomst",
                "employment_form": "ansaettelsesform",
                "weekly_hours": "ugentlige_timer",
                "fte": "CAST(ugentlige_timer AS DOUBLE) / 37.0",
                "monthly_pay": "maanedsloen",
                "start_date": "startdato",
                "end_date": "slutdato",
            },
        ),
    ),
    persons=(PersonSource("ansaettelse", "cpr"),),
)
