"""``flis release`` (build and publish a monthly release) and ``flis releases`` (list, show,
verify, close).

The release machinery (key figures, pyarrow, the exports) is imported in the commands that use
it, so that other commands do not pay for it on start-up.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

import typer

from flis.cli.output import JsonOption, console, emit_json, handled, print_table
from flis.settings import load_settings

if TYPE_CHECKING:
    from flis.release.manifest import Manifest

releases_app = typer.Typer(
    help="Published releases: list them, show one, verify one, close a period.",
    invoke_without_command=True,
)


def register(app: typer.Typer) -> None:
    """Add this stage's commands to the root app."""
    app.command("release")(release_command)
    app.add_typer(releases_app, name="releases")


def _summary(m: Manifest) -> dict[str, Any]:
    return {
        "release_id": m.release_id,
        "period": m.period,
        "created_at": m.created_at,
        "files": len(m.files),
        "rows": sum(f.rows for f in m.files),
        "inputs": len(m.inputs),
        "previous_release": m.previous_release,
    }


def _build(period: str | None, as_json: bool) -> tuple[Manifest, int]:
    from rich.progress import Progress, SpinnerColumn, TextColumn

    from flis.release.build import release
    from flis.release.publish import export_release
    from flis.warehouse.connection import connect

    settings = load_settings()
    conn = connect(settings)
    try:
        if as_json:
            manifest = release(conn, settings, period)
        else:
            with Progress(
                SpinnerColumn(), TextColumn("{task.description}"), console=console, transient=True
            ) as bar:
                task = bar.add_task("Udgivelse / release")
                manifest = release(
                    conn,
                    settings,
                    period,
                    progress=lambda name, fmt, sec: bar.update(task, description=name),
                )
        exported = export_release(conn, settings=settings, manifest=manifest)
    finally:
        conn.close()
    return manifest, len(exported)


def release_command(
    period: str = typer.Argument(
        None, metavar="[PERIOD]", help="Month YYYY-MM (default: the latest month with data)."
    ),
    as_json: bool = JsonOption,
) -> None:
    """Build and publish the next release of a period, then fill the subscribers' outboxes."""
    with handled(as_json):
        manifest, exported = _build(period, as_json)
    if as_json:
        emit_json(
            {
                "ok": True,
                **_summary(manifest),
                "exported_files": exported,
                "disclosure": manifest.disclosure.model_dump(),
                "value_status": manifest.value_status,
            }
        )
        return
    levels = Counter(f.level for f in manifest.files)
    rows = Counter[str]()
    for f in manifest.files:
        rows[f.level] += f.rows
    print_table(
        f"Udgivelse / release {manifest.release_id}",
        ["level", "files", "rows"],
        [[lvl, n, rows[lvl]] for lvl, n in sorted(levels.items())],
    )
    d = manifest.disclosure
    console.print(
        f"suppressed: {d.primary} primary, {d.secondary} secondary (threshold {d.threshold})"
    )
    console.print(f"value status: {manifest.value_status}; exported files: {exported}")


@releases_app.callback()
def list_command(ctx: typer.Context, as_json: bool = JsonOption) -> None:
    """List the published releases, oldest first."""
    if ctx.invoked_subcommand:
        return
    from flis.release import store

    with handled(as_json):
        manifests = store.list_releases(load_settings().home)
    items = [_summary(m) for m in manifests]
    if as_json:
        emit_json({"releases": items})
        return
    columns = ["release_id", "period", "created_at", "files", "rows", "previous_release"]
    print_table("Udgivelser / releases", columns, [[i[c] for c in columns] for i in items])


@releases_app.command("show")
def show_command(
    release_id: str = typer.Argument(..., metavar="ID", help="Release id, e.g. 2025-09.1."),
    as_json: bool = JsonOption,
) -> None:
    """Show one release's manifest: files, disclosure control, statuses and change log."""
    from flis.release import store

    with handled(as_json):
        manifest = store.read_manifest(load_settings().home, release_id)
    if as_json:
        emit_json(manifest.model_dump(mode="json"))
        return
    console.print(_summary(manifest))
    print_table(
        "Files",
        ["path", "rows", "sha256"],
        [[f.path, f.rows, f.sha256[:16]] for f in manifest.files],
    )
    print_table(
        "Changes",
        ["keyfigure", "added", "changed", "removed"],
        [[c.keyfigure, c.added, c.changed, c.removed] for c in manifest.changes],
    )


@releases_app.command("verify")
def verify_command(
    release_id: str = typer.Argument(..., metavar="ID", help="Release id, e.g. 2025-09.1."),
    as_json: bool = JsonOption,
) -> None:
    """Rebuild a release from its deliveries and compare every file. Exit 0 identical, 1 not."""
    from flis.release.verify import verify

    with handled(as_json):
        report = verify(release_id, settings=load_settings())
    if as_json:
        emit_json({"ok": report.identical, **report.to_dict()})
    else:
        verdict = "identical" if report.identical else "DIFFERENT"
        console.print(
            f"{release_id}: {verdict} ({report.files_checked} files, "
            f"{report.inputs} deliveries, {report.seconds} s)"
        )
        if report.differences:
            print_table(
                "Differences",
                ["path", "manifest", "published", "rebuilt"],
                [
                    [d["path"], *(str(d[k])[:16] for k in ("manifest", "published", "rebuilt"))]
                    for d in report.differences
                ],
            )
        for d in report.differences:
            if "detail" in d:
                console.print(f"{d['path']}: {d['detail']}")
    raise typer.Exit(0 if report.identical else 1)


@releases_app.command("close")
def close_command(
    period: str = typer.Argument(..., metavar="PERIOD", help="Month YYYY-MM to close."),
    as_json: bool = JsonOption,
) -> None:
    """Close a period: later releases mark its values final; it gets no new release."""
    from flis.release import store
    from flis.warehouse.connection import session

    with handled(as_json):
        settings = load_settings()
        with session(settings) as conn:
            result = store.close_period(conn, settings.home, period)
    if as_json:
        emit_json({"ok": True, **result})
        return
    console.print(
        f"period {result['period']} closed at {result['closed_at']} "
        f"(last release {result['last_release']})"
    )
