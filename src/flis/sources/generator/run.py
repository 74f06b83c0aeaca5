"""Runs the generator: simulates the world month by month and writes every delivery file."""

from __future__ import annotations

import json
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from flis import __version__
from flis.errors import GeneratorError
from flis.reference.municipalities import is_municipality
from flis.sources.catalogue import contracts
from flis.sources.generator import faults
from flis.sources.generator.delivery import DeliveryWriter
from flis.sources.generator.layout import WrittenFile
from flis.sources.generator.population import Population
from flis.sources.generator.school import SchoolSystem
from flis.sources.generator.simulation import Simulation
from flis.sources.generator.world import World

Progress = Callable[[str, str], None]


def generate(
    *,
    out: Path,
    scale: float,
    months: list[str],
    seed: int,
    municipalities: list[int] | None = None,
    fault_mode: str = "realistic",
    progress: Progress | None = None,
) -> dict[str, object]:
    """Generate a synthetic world of deliveries under ``out``; return the manifest."""
    world = _world(
        scale=scale, months=months, seed=seed, municipalities=municipalities, fault_mode=fault_mode
    )
    out.mkdir(parents=True, exist_ok=True)
    writer = DeliveryWriter(world, out, faults.FaultPlan.make(world))
    population = Population.initial(world)
    sim = Simulation(world, population, SchoolSystem.initial(world, population))
    files: list[WrittenFile] = []
    injected: list[faults.Fault] = []
    report = progress or (lambda month, step: None)
    with ThreadPoolExecutor(max_workers=2) as pool:
        for month in world.months:
            report(month, "simulate")
            tables = sim.month(month)
            report(month, "write")
            jobs = [
                pool.submit(writer.write, contracts()[cid], m, month, records)
                for cid, records in tables.by_contract.items()
                for m in world.selected
            ]
            for job in jobs:
                written, found = job.result()
                files += written
                injected += found
    return _finish(out, world, files, injected)


def _world(
    *, scale: float, months: list[str], seed: int, municipalities: list[int] | None, fault_mode: str
) -> World:
    if not 0 < scale <= 2:
        raise GeneratorError(
            f"scale {scale} is outside (0, 2]",
            hint="1.0 is all of Denmark",
            message_da=f"skalaen {scale} ligger uden for (0, 2]",
            hint_da="1.0 er hele Danmark",
        )
    if fault_mode not in ("realistic", "none"):
        raise GeneratorError(
            f"unknown fault mode '{fault_mode}'",
            hint="use realistic or none",
            message_da=f"ukendt fejltilstand '{fault_mode}'",
            hint_da="brug realistic eller none",
        )
    if not months:
        raise GeneratorError(
            "no months to generate",
            hint="pass --months 2024-08:2025-07",
            message_da="ingen måneder at generere",
            hint_da="angiv --months 2024-08:2025-07",
        )
    unknown = [m for m in municipalities or [] if not is_municipality(m)]
    if unknown:
        raise GeneratorError(
            f"unknown municipality codes {unknown}",
            hint="use 3-digit municipality codes such as 101 or 461",
            message_da=f"ukendte kommunekoder {unknown}",
            hint_da="brug 3-cifrede kommunekoder, fx 101 eller 461",
        )
    selected = sorted(set(municipalities)) if municipalities else None
    return World(
        seed=seed,
        scale=scale,
        months=tuple(months),
        faults=fault_mode,
        selected=tuple(selected) if selected else tuple(World.all_codes()),
    )


def _finish(
    out: Path, world: World, files: list[WrittenFile], injected: list[faults.Fault]
) -> dict[str, object]:
    files.sort(key=lambda f: f.path)
    injected.sort(key=lambda f: (f.period, f.municipality, f.contract, f.kind))
    manifest: dict[str, object] = {
        "generator": {"name": "flis generate", "version": __version__},
        "arguments": {
            "scale": world.scale,
            "months": list(world.months),
            "seed": world.seed,
            "municipalities": list(world.selected),
            "faults": world.faults,
        },
        "municipalities": list(world.selected),
        "sources": sorted({c.source for c in contracts().values()}),
        "contracts": {c.id: c.version for c in contracts().values()},
        "files": [f.to_dict() for f in files],
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n")
    (out / "faults.json").write_text(
        json.dumps({"faults": [f.to_dict() for f in injected]}, indent=1, ensure_ascii=False) + "\n"
    )
    return manifest


def summary(manifest: dict[str, object]) -> dict[str, object]:
    """Files, records and bytes per contract: what ``flis generate --json`` prints."""
    per: dict[str, dict[str, int]] = {}
    files = manifest["files"]
    assert isinstance(files, list)
    for f in files:
        row = per.setdefault(f["contract"], {"files": 0, "records": 0, "bytes": 0})
        row["files"] += 1
        row["records"] += f["records"]
        row["bytes"] += f["bytes"]
    return {"arguments": manifest["arguments"], "files": len(files), "per_contract": per}
