"""CPR extract records (001 person status, 002 events) from the simulated population."""

from __future__ import annotations

import pyarrow as pa

from flis.sources.generator.population import Population


def month_records(population: Population, events: pa.Table) -> dict[str, pa.Table]:
    """Record tables of the month's CPR extract for all municipalities.

    Args:
        population: The population at the month's end (after ``advance``).
        events: The table ``Population.advance`` returned for the month.

    Returns:
        ``{"001": persons, "002": events}`` with the contract's field names (without ``rt``),
        both sorted by ``kommune`` first.
    """
    res = population.residents()
    persons = pa.table(
        {
            "cpr": res.column("cpr"),
            "kommune": res.column("kommune"),
            "status": pa.array(["01"] * res.num_rows, pa.string()),
            "koen": res.column("sex"),
            "foedselsdato": res.column("birth_date"),
            "civilstand": res.column("civil_status"),
            "statsborgerskab": res.column("citizenship"),
            "tilflytningsdato": res.column("moved_in"),
            "skoledistrikt": res.column("school_district"),
        }
    )
    return {
        "001": persons,
        "002": events.select(["cpr", "kommune", "haendelse", "dato", "anden_kommune"]),
    }
