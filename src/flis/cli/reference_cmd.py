"""``flis municipalities``, ``flis codelists`` and ``flis contracts``: reference data."""

from __future__ import annotations

import typer

from flis.cli.output import JsonOption, emit_json, handled, print_table
from flis.reference import codelist, codelists, municipalities
from flis.sources.catalogue import contracts


def register(app: typer.Typer) -> None:
    app.command("municipalities")(list_municipalities)
    app.command("codelists")(list_codelists)
    app.command("contracts")(list_contracts)


def list_municipalities(as_json: bool = JsonOption) -> None:
    """List the 98 municipalities with region, DST group and population."""
    rows = [m.model_dump() for m in municipalities()]
    if as_json:
        emit_json({"municipalities": rows})
        return
    print_table(
        "Kommuner / Municipalities",
        ["code", "name", "region_name", "dst_group", "population"],
        [[r[c] for c in ("code", "name", "region_name", "dst_group", "population")] for r in rows],
    )


def list_codelists(
    list_id: str = typer.Argument(None, help="Show one code list."),
    as_json: bool = JsonOption,
) -> None:
    """List the code lists, or the codes of one list."""
    with handled(as_json):
        if list_id:
            cl = codelist(list_id)
            if as_json:
                emit_json(cl.model_dump())
                return
            print_table(cl.title.da, ["code", "da", "en"], [[c.code, c.da, c.en] for c in cl.codes])
            return
        lists = codelists()
        if as_json:
            emit_json({"codelists": {k: len(v.codes) for k, v in lists.items()}})
            return
        print_table(
            "Kodelister / Code lists",
            ["id", "title", "codes"],
            [[k, v.title.da, len(v.codes)] for k, v in lists.items()],
        )


def list_contracts(as_json: bool = JsonOption) -> None:
    """List the source-extract contracts."""
    items = list(contracts().values())
    if as_json:
        emit_json(
            {
                "contracts": [
                    {
                        "id": c.id,
                        "version": c.version,
                        "source": c.source,
                        "format": c.format,
                        "file_pattern": c.file_pattern,
                    }
                    for c in items
                ]
            }
        )
        return
    print_table(
        "Kildekontrakter / Source contracts",
        ["id", "version", "format", "file pattern"],
        [[c.id, c.version, c.format, c.file_pattern] for c in items],
    )
