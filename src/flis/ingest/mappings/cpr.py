"""CPR status and events → ``citizens.resident_month`` and ``citizens.population_event``."""

from flis.ingest.mappings.base import Load, Mapping, PersonSource

MAPPING = Mapping(
    loads=(
        Load(
            table="citizens.resident_month",
            record_type="001",
            columns={
                "home_municipality": "kommune",
                "person_key": "cpr__key",
                "cpr_status": "status",
                "sex": "koen",
                "birth_date": "foedselsdato",
                "age": "CAST(date_sub('year', foedselsdato, {month_end}) AS INTEGER)",
                "civil_status": "civilstand",
                "citizenship": "statsborgerskab",
                "moved_in_date": "tilflytningsdato",
                "school_district": "skoledistrikt",
            },
        ),
        Load(
            table="citizens.population_event",
            record_type="002",
            columns={
                "home_municipality": "kommune",
                "person_key": "cpr__key",
                "event": "haendelse",
                "event_date": "dato",
                "other_municipality": "anden_kommune",
            },
        ),
    ),
    persons=(
        PersonSource("001", "cpr", birth_date="foedselsdato", sex="koen"),
        PersonSource("002", "cpr"),
    ),
)
