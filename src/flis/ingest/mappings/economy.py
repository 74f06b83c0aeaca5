"""Economy postings → ``economy.posting``."""

from flis.ingest.mappings.base import Load, Mapping

MAPPING = Mapping(
    loads=(
        Load(
            table="economy.posting",
            record_type="postering",
            columns={
                "owner_municipality": "kommune",
                "voucher": "bilagsnr",
                "posting_date": "bogfoeringsdato",
                "account": "kontostreng",
                "hovedkonto": "substr(kontostreng, 1, 1)",
                "funktion": "substr(kontostreng, 1, 7)",
                "dranst": "substr(kontostreng, 9, 1)",
                "art": "substr(kontostreng, 11, 3)",
                "cost_centre": "omkostningssted",
                "amount": "beloeb",
                "posting_type": "posteringstype",
            },
        ),
    )
)
