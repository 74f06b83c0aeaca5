"""``flis keyfigures`` (the catalogue, one figure and its SQL) and ``flis build`` (compute them).

The key-figure machinery (the compiler needs sqlglot) is imported in the commands that use it,
so that other commands do not pay for it on start-up.
"""

from __future__ import annotations

from typing import Any

import typer

from flis.cli.output import JsonOption, console, emit_json, handled, print_table
from flis.errors import UsageError

keyfigures_app = typer.Typer(
    help="The key-figure catalogue: list key figures, show one with its SQL.",
    invoke_without_command=True,
)
_DIALECTS = ("duckdb", "spark")


def register(app: typer.Typer) -> None:
    """Add this stage's commands to the root app."""
    app.add_typer(keyfigures_app, name="keyfigures")
    app.command("build")(build_command)


@keyfigures_app.callback()
def list_keyfigures(
    ctx: typer.Context,
    area: str = typer.Option(
        None, "--area", help="Only this area: economy, citizens, staff, school."
    ),
    as_json: bool = JsonOption,
) -> None:
    """List the key figures (nøgletal) of the catalogue."""
    if ctx.invoked_subcommand:
        return
    from flis.keyfigures.catalogue import keyfigures

    items = [kf for kf in keyfigures().values() if area is None or kf.area == area]
    if as_json:
        emit_json({"keyfigures": [kf.model_dump(mode="json") for kf in items]})
        return
    print_table(
        "Nøgletal / Key figures",
        ["id", "title", "area", "unit", "level", "aggregation"],
        [[kf.id, kf.title.da, kf.area, kf.unit, kf.level, kf.aggregation] for kf in items],
    )


@keyfigures_app.command("show")
def show(
    kf_id: str = typer.Argument(
        ..., metavar="ID", help="Key-figure id, e.g. skole.klassekvotient."
    ),
    sql: bool = typer.Option(False, "--sql", help="Print the compiled SQL."),
    dialect: str = typer.Option("duckdb", "--dialect", help="SQL dialect: duckdb or spark."),
    as_json: bool = JsonOption,
) -> None:
    """Show one key figure: its definition and, with --sql, the SQL that computes it."""
    from flis.keyfigures.catalogue import keyfigure
    from flis.keyfigures.compiler import compile_sql

    with handled(as_json):
        if dialect not in _DIALECTS:
            raise UsageError(
                f"unknown dialect '{dialect}'",
                hint="use duckdb or spark",
                message_da=f"ukendt SQL-dialekt '{dialect}'",
                hint_da="brug duckdb eller spark",
            )
        kf = keyfigure(kf_id)
        text = compile_sql(kf, dialect)
    if as_json:
        document: dict[str, Any] = kf.model_dump(mode="json")
        if sql:
            document["sql"] = {"dialect": dialect, "text": text}
        emit_json(document)
        return
    if sql:
        typer.echo(text)
        return
    for key, value in kf.model_dump(mode="json").items():
        console.print(f"[bold]{key}[/]: {value}")


def build_command(
    full: bool = typer.Option(
        False, "--full", help="Recompute every value, not just changed ones."
    ),
    as_json: bool = JsonOption,
) -> None:
    """Compute every key figure for every municipality and period into the warehouse."""
    from rich.progress import Progress

    from flis.keyfigures.build import build
    from flis.keyfigures.catalogue import keyfigures
    from flis.settings import load_settings
    from flis.warehouse.connection import connect

    with handled(as_json):
        conn = connect(load_settings())
        try:
            if as_json:
                report = build(conn, only_changed=not full)
            else:
                with Progress(console=console, transient=True) as bar:
                    task = bar.add_task("Nøgletal / key figures", total=len(keyfigures()))
                    report = build(
                        conn,
                        only_changed=not full,
                        progress=lambda kf_id, done, total: bar.update(
                            task, completed=done, description=kf_id
                        ),
                    )
        finally:
            conn.close()
    if as_json:
        emit_json(report.to_dict())
        return
    print_table(
        "Build",
        ["key figures", "periods", "written", "unchanged", "group values", "seconds"],
        [
            [
                report.keyfigures,
                len(report.periods),
                report.values_written,
                report.values_unchanged,
                report.group_values_written,
                report.seconds,
            ]
        ],
    )
    print_table("Status", ["status", "values"], [[s, n] for s, n in report.statuses.items()])
