"""``flis serve``: the HTTP API under Uvicorn."""

from __future__ import annotations

import typer

from flis.cli.output import handled


def register(app: typer.Typer) -> None:
    """Add this stage's commands to the root app."""
    app.command("serve")(serve_command)


def serve_command(
    host: str = typer.Option("127.0.0.1", "--host", help="Interface to listen on."),
    port: int = typer.Option(8000, "--port", help="TCP port."),
    log_level: str = typer.Option("warning", "--log-level", help="Uvicorn log level."),
) -> None:
    """Serve the API (docs/api.md) over the installation in $FLIS_HOME."""
    import uvicorn

    from flis.api.app import create_app
    from flis.settings import load_settings

    with handled(False):
        app = create_app(load_settings())
    uvicorn.run(app, host=host, port=port, log_level=log_level, access_log=False)
