"""Central control figures → ``central.statistic``."""

from flis.ingest.mappings.base import Load, Mapping

MAPPING = Mapping(
    loads=(
        Load(
            table="central.statistic",
            record_type="statistik",
            columns={
                "municipality_code": "kommune",
                "statistic": "statistik",
                "institution_number": "instnr",
                "reference_date": "referencedato",
                "value": "vaerdi",
            },
        ),
    )
)
