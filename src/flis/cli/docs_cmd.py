"""``flis docs render|check``: generated documentation."""

from __future__ import annotations

from pathlib import Path

import typer

from flis.cli.output import JsonOption, emit_json

docs_app = typer.Typer(help="Generated documentation under docs/.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(docs_app, name="docs")


@docs_app.command("render")
def render(
    root: Path = typer.Option(Path("."), help="Repository root."), as_json: bool = JsonOption
) -> None:
    """Write every generated document (sources.md, codelists.md, ...)."""
    from flis import docsgen  # imports every stage's docs (the key figures' need sqlglot)

    written = [str(p) for p in docsgen.render_all(root)]
    if as_json:
        emit_json({"written": written})
    else:
        for p in written:
            typer.echo(f"wrote {p}")


@docs_app.command("check")
def check(
    root: Path = typer.Option(Path("."), help="Repository root."), as_json: bool = JsonOption
) -> None:
    """Exit 1 if a generated document is not current."""
    from flis import docsgen

    out = docsgen.stale(root)
    if as_json:
        emit_json({"stale": out})
    elif out:
        typer.echo("stale: " + ", ".join(out) + " (run `flis docs render`)")
    raise typer.Exit(1 if out else 0)
