"""The root Typer app; each stage adds its commands from its own module."""

from __future__ import annotations

import typer

from flis import __version__
from flis.cli import (
    access_cmd,
    benchmark_cmd,
    docs_cmd,
    generate_cmd,
    ingest_cmd,
    keyfigures_cmd,
    messages_cmd,
    reference_cmd,
    release_cmd,
    serve_cmd,
    subscriptions_cmd,
)
from flis.cli.output import JsonOption, emit_json

app = typer.Typer(
    name="flis",
    help="flis: fælleskommunalt ledelsesinformationssystem / shared municipal MIS.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
reference_cmd.register(app)
docs_cmd.register(app)
generate_cmd.register(app)
ingest_cmd.register(app)
keyfigures_cmd.register(app)
benchmark_cmd.register(app)
subscriptions_cmd.register(app)
release_cmd.register(app)
serve_cmd.register(app)
access_cmd.register(app)
messages_cmd.register(app)


@app.command()
def version(as_json: bool = JsonOption) -> None:
    """Print the flis version."""
    if as_json:
        emit_json({"version": __version__})
    else:
        typer.echo(__version__)


def main() -> None:
    app()
