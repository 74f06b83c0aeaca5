"""``flis ingest`` and ``flis deliveries``: receive deliveries and look at the registry."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb
import typer

from flis.cli.output import JsonOption, console, emit_json, handled, print_table
from flis.errors import FlisError, UsageError
from flis.ingest import registry
from flis.ingest.matrix import matrix
from flis.ingest.pipeline import BatchTime, Outcome, ingest_paths
from flis.periods import parse_month_range
from flis.settings import Settings, load_settings
from flis.warehouse.connection import connect

deliveries_app = typer.Typer(
    help="The delivery registry: list deliveries, show findings, completeness matrix.",
    invoke_without_command=True,
)
_SHOWN_FINDINGS = 5


def register(app: typer.Typer) -> None:
    """Add this stage's commands to the root app."""
    app.command("ingest")(ingest)
    app.add_typer(deliveries_app, name="deliveries")


class SystemFailure(FlisError):
    """The file system or the database failed underneath an ingest."""

    kind = "system-error"


@contextmanager
def _system_errors() -> Iterator[None]:
    try:
        yield
    except (OSError, duckdb.Error) as exc:
        raise SystemFailure(
            f"{type(exc).__name__}: {exc}",
            hint="nothing was half-loaded; fix the cause and run the same command again",
            message_da=f"{type(exc).__name__}: {exc}",
            hint_da="intet blev halvt indlæst; ret årsagen og kør samme kommando igen",
        ) from None


def ingest(
    paths: list[Path] = typer.Argument(..., help="Delivery files or folders (generator layout)."),
    received_at: str = typer.Option(
        None,
        "--received-at",
        help="Record this arrival time (ISO) instead of now, e.g. when replaying an archive.",
    ),
    as_json: bool = JsonOption,
) -> None:
    """Receive, validate and load deliveries. Exit 0 all accepted, 1 some rejected, 2 error."""
    timings: list[BatchTime] = []
    with handled(as_json), _system_errors():
        when = _parse_time(received_at)
        if as_json:
            outcomes = ingest_paths(
                paths,
                settings=load_settings(),
                received_at=when,
                progress=lambda batch, done, total: timings.append(batch),
            )
        else:
            outcomes = _with_progress_bar(paths, when)
    rejected = sum(o.status == "rejected" for o in outcomes)
    if as_json:
        emit_json(
            {
                "ok": rejected == 0,
                "deliveries": [o.to_dict() for o in outcomes],
                "batches": [t.to_dict() for t in timings],
            }
        )
    else:
        _print_outcomes(outcomes, lang=load_settings().language)
    raise typer.Exit(1 if rejected else 0)


def _with_progress_bar(paths: list[Path], when: dt.datetime | None) -> list[Outcome]:
    """Ingest with a progress bar over the files (batches of one contract at a time)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task("Indlæser / ingesting", total=None)

        def step(batch: BatchTime, done: int, total: int) -> None:
            label = f"Indlæser / ingesting: {batch.contract or '?'}"
            bar.update(task, completed=done, total=total, description=label)

        return ingest_paths(paths, settings=load_settings(), received_at=when, progress=step)


def _parse_time(text: str | None) -> dt.datetime | None:
    if not text:
        return None
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        raise UsageError(
            f"'{text}' is not an ISO time",
            hint="e.g. 2024-10-08T09:00",
            message_da=f"'{text}' er ikke et ISO-tidspunkt",
            hint_da="fx 2024-10-08T09:00",
        ) from None


def _print_outcomes(outcomes: list[Outcome], *, lang: str) -> None:
    rows = []
    for o in outcomes:
        d = o.delivery
        assert d is not None
        rows.append(
            [
                o.path,
                d.delivery_id,
                o.status,
                d.records,
                d.loaded_rows,
                d.quarantined_rows,
                d.errors,
                d.warnings,
            ]
        )
    print_table(
        "Leveringer / Deliveries",
        ["file", "id", "status", "records", "loaded", "quarantined", "errors", "warnings"],
        rows,
    )
    for o in outcomes:
        if o.status in ("rejected", "duplicate"):
            for f in o.findings[:_SHOWN_FINDINGS]:
                where = f" line {f.line}" if f.line else ""
                console.print(f"  {o.path}{where}: [bold]{f.code}[/] {f.message(lang)}")
        if o.status == "rejected" and o.delivery:
            console.print(f"  all findings: flis deliveries show {o.delivery.delivery_id}")


def _open(settings: Settings) -> duckdb.DuckDBPyConnection:
    return connect(settings, read_only=settings.warehouse_path.exists())


@deliveries_app.callback()
def deliveries(
    ctx: typer.Context,
    show_matrix: bool = typer.Option(False, "--matrix", help="Show the completeness matrix."),
    months: str = typer.Option(None, "--months", help="Matrix months, e.g. 2024-08:2024-10."),
    status: str = typer.Option(None, "--status", help="Only deliveries with this status."),
    contract: str = typer.Option(None, "--contract", help="Only this contract."),
    municipality: int = typer.Option(None, "--municipality", help="Only this municipality."),
    as_json: bool = JsonOption,
) -> None:
    """List deliveries (or, with --matrix, what is present, late, rejected or missing)."""
    if ctx.invoked_subcommand:
        return
    with handled(as_json), _system_errors():
        conn = _open(load_settings())
        if show_matrix:
            _matrix(conn, months=parse_month_range(months) if months else None, as_json=as_json)
            return
        items = registry.listing(
            conn, status=status, contract=contract, municipality_code=municipality
        )
    if as_json:
        emit_json({"deliveries": [d.to_dict() for d in items]})
        return
    print_table(
        "Leveringer / Deliveries",
        [
            "id",
            "contract",
            "municipality",
            "month",
            "seq",
            "status",
            "records",
            "loaded",
            "quarantined",
            "errors",
            "received",
        ],
        [
            [
                d.delivery_id,
                d.contract,
                d.municipality_code,
                d.month,
                d.seq,
                d.status,
                d.records,
                d.loaded_rows,
                d.quarantined_rows,
                d.errors,
                f"{d.received_at:%Y-%m-%d %H:%M}",
            ]
            for d in items
        ],
    )


def _matrix(conn: duckdb.DuckDBPyConnection, *, months: list[str] | None, as_json: bool) -> None:
    cells = matrix(conn, months=months)
    if as_json:
        emit_json({"cells": [c.to_dict() for c in cells]})
        return
    totals: dict[str, int] = {}
    grid: dict[tuple[int, str], dict[str, str]] = {}
    for c in cells:
        totals[c.status] = totals.get(c.status, 0) + 1
        grid.setdefault((c.municipality_code, c.contract), {})[c.month] = c.status
    month_list = sorted({c.month for c in cells})
    symbol = {"present": "✓", "late": "L", "rejected": "✗", "missing": "·"}
    rows: list[list[Any]] = [
        [muni, contract, *(symbol[st[m]] for m in month_list)]
        for (muni, contract), st in sorted(grid.items())
        if any(v != "present" for v in st.values())
    ]
    print_table(
        "Leveringsmatrix / Delivery matrix (only rows with gaps; ✓ present, L late, "
        "✗ rejected, · missing)",
        ["municipality", "contract", *month_list],
        rows,
    )
    console.print(", ".join(f"{k}: {v}" for k, v in sorted(totals.items())))


@deliveries_app.command("show")
def show(
    delivery_id: int = typer.Argument(..., help="Delivery id (see `flis deliveries`)."),
    as_json: bool = JsonOption,
) -> None:
    """Show one delivery and every finding with its message in Danish and English."""
    with handled(as_json), _system_errors():
        conn = _open(load_settings())
        record = registry.get(conn, delivery_id)
        found = registry.findings_of(conn, delivery_id)
    if as_json:
        emit_json({"delivery": record.to_dict(), "findings": found})
        return
    console.print(
        f"[bold]Delivery {record.delivery_id}[/]: {record.file_name} "
        f"({record.contract}, {record.municipality_code}, {record.month}) {record.status}"
    )
    lang = load_settings().language
    for f in found:
        where = ":".join(str(x) for x in (f["line"], f["column_name"]) if x is not None)
        console.print(
            f"  {where or '-'} [bold]{f['rule']}[/] ({f['severity']}) {f['message_' + lang]}",
            highlight=False,
        )
