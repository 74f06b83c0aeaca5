"""``flis subscriptions``: which datasets and formats a municipality receives on each release."""

from __future__ import annotations

from contextlib import AbstractContextManager

import duckdb
import typer

from flis.cli.output import JsonOption, console, emit_json, handled, print_table
from flis.release.subscriptions import DATASETS, FORMATS, Subscription, add, listing, remove
from flis.settings import load_settings
from flis.warehouse.connection import session

subscriptions_app = typer.Typer(
    help="Subscriptions: the datasets and formats written to a municipality's outbox.",
    no_args_is_help=True,
)
MunicipalityOption = typer.Option(..., "--municipality", help="Municipality code, e.g. 461.")
DatasetOption = typer.Option(..., "--dataset", help=f"Dataset: {', '.join(DATASETS)}.")


def register(app: typer.Typer) -> None:
    """Add this stage's commands to the root app."""
    app.add_typer(subscriptions_app, name="subscriptions")


def _warehouse() -> AbstractContextManager[duckdb.DuckDBPyConnection]:
    return session(load_settings())


def _show(subs: list[Subscription], as_json: bool) -> None:
    if as_json:
        emit_json({"subscriptions": [s.to_dict() for s in subs]})
        return
    rows = [[s.municipality, s.dataset, ",".join(s.formats)] for s in subs]
    print_table("Abonnementer / Subscriptions", ["municipality", "dataset", "formats"], rows)


@subscriptions_app.command("add")
def add_command(
    municipality: int = MunicipalityOption,
    dataset: str = DatasetOption,
    formats: list[str] = typer.Option(
        ..., "--format", help=f"Formats, comma-separated or repeated: {', '.join(FORMATS)}."
    ),
    as_json: bool = JsonOption,
) -> None:
    """Subscribe a municipality to a dataset (detail is always its own), or change its formats."""
    with handled(as_json), _warehouse() as conn:
        wanted = [f for item in formats for f in item.split(",")]
        sub = add(conn, municipality=municipality, dataset=dataset, formats=wanted)
    _show([sub], as_json)


@subscriptions_app.command("list")
def list_command(
    municipality: int | None = typer.Option(None, "--municipality", help="Only this municipality."),
    as_json: bool = JsonOption,
) -> None:
    """List subscriptions, all or one municipality's."""
    with handled(as_json), _warehouse() as conn:
        subs = listing(conn, municipality=municipality)
    _show(subs, as_json)


@subscriptions_app.command("remove")
def remove_command(
    municipality: int = MunicipalityOption,
    dataset: str = DatasetOption,
    as_json: bool = JsonOption,
) -> None:
    """Stop a municipality's subscription to a dataset."""
    with handled(as_json), _warehouse() as conn:
        remove(conn, municipality=municipality, dataset=dataset)
    if as_json:
        emit_json({"removed": {"municipality": municipality, "dataset": dataset}})
    else:
        console.print(f"Removed {dataset} for municipality {municipality}.")
