"""``flis generate``: a national, reproducible synthetic world of source deliveries."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from flis.cli.output import JsonOption, emit_json, err_console, handled, print_table
from flis.errors import UsageError
from flis.periods import parse_month_range


def register(app: typer.Typer) -> None:
    app.command("generate")(generate)


def _codes(text: str | None) -> list[int] | None:
    if not text:
        return None
    try:
        return [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise UsageError(
            f"'{text}' is not a comma list of municipality codes",
            hint="write e.g. --municipalities 101,461",
            message_da=f"'{text}' er ikke en kommasepareret liste af kommunekoder",
            hint_da="skriv fx --municipalities 101,461",
        ) from None


def generate(
    out: Path = typer.Option(..., "--out", help="Folder to write the world into."),
    scale: float = typer.Option(0.01, help="1.0 is all of Denmark (≈5.9 million residents)."),
    months: str = typer.Option("2024-08:2025-07", help="Months FIRST:LAST (inclusive)."),
    seed: int = typer.Option(1, help="Random seed; the same arguments give identical files."),
    municipalities: str = typer.Option(None, help="Only write these municipalities: 101,461."),
    faults: str = typer.Option("realistic", help="realistic or none."),
    as_json: bool = JsonOption,
) -> None:
    """Generate synthetic monthly deliveries from every source for the municipalities."""
    from flis.sources.generator.run import generate as run_generate
    from flis.sources.generator.run import summary

    with handled(as_json):
        month_list = parse_month_range(months)
        codes = _codes(municipalities)
        progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            TimeElapsedColumn(),
            console=err_console,
            disable=as_json,
        )
        with progress:
            task = progress.add_task("generating", total=len(month_list))

            def step(month: str, what: str) -> None:
                done = month_list.index(month) + (0.5 if what == "write" else 0.0)
                progress.update(task, completed=done, description=f"{month}: {what}")

            manifest = run_generate(
                out=out,
                scale=scale,
                months=month_list,
                seed=seed,
                municipalities=codes,
                fault_mode=faults,
                progress=step,
            )
            progress.update(task, completed=len(month_list))
        result = summary(manifest)
    if as_json:
        emit_json(result)
        return
    per = result["per_contract"]
    assert isinstance(per, dict)
    print_table(
        f"Genereret / generated into {out}",
        ["extract", "files", "records", "bytes"],
        [[k, v["files"], v["records"], v["bytes"]] for k, v in per.items()],
    )
