"""Central control figures: the ministry's pupil count and Statistics Denmark's population.

They are derived from the simulated truth with the small deviations real central statistics
have from municipal source systems (different counting dates and rules, late registrations),
so that the warehouse's comparison with them finds realistic, small differences.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from flis import periods
from flis.sources.generator.hashing import keyed_uniform
from flis.sources.generator.world import World

_COLUMNS = ("kommune", "statistik", "instnr", "referencedato", "vaerdi")


def month_statistics(
    world: World, month: str, population_by_quarter: pa.Table, pupils_30sep: pa.Table
) -> pa.Table:
    """The central figures known at the end of ``month``, for all municipalities.

    Args:
        world: the run's world.
        month: ``YYYY-MM``.
        population_by_quarter: kommune, referencedato (first day of a quarter), population.
        pupils_30sep: kommune, instnr, referencedato (30 September), pupils; may be empty.

    Returns:
        The central contract's ``statistik`` columns: FOLKETAL_KVT per municipality for the
        current quarter and ELEVTAL_30SEP per school for the latest 30 September, sorted by
        kommune, statistik, instnr and referencedato.
    """
    table = pa.concat_tables(
        [_population(world, month, population_by_quarter), _pupils(world, month, pupils_30sep)]
    )
    return table.sort_by([(c, "ascending") for c in _COLUMNS[:4]])


def _quarter_start(month: str) -> dt.date:
    return periods.first_day(periods.add_months(month, -((int(month[5:7]) - 1) % 3)))


def _latest_30sep(month: str) -> dt.date:
    year = int(month[:4]) if int(month[5:7]) >= 9 else int(month[:4]) - 1
    return dt.date(year, 9, 30)


def _population(world: World, month: str, counts: pa.Table) -> pa.Table:
    """Population at the start of the quarter (latest count on or before it), off by a few."""
    target = _quarter_start(month)
    known = counts.filter(pc.less_equal(counts.column("referencedato"), pa.scalar(target)))
    if known.num_rows == 0:
        return _empty()
    latest = pc.max(known.column("referencedato"))
    rows = known.filter(pc.equal(known.column("referencedato"), latest))
    rows = rows.group_by(["kommune", "referencedato"]).aggregate([("population", "sum")])
    rows = rows.sort_by("kommune")
    kommune = rows.column("kommune").to_numpy()
    population = rows.column("population_sum").to_numpy()
    # Statistics Denmark counts a few people differently (late moves, corrections): the same
    # deviation all quarter, about ±0.05 % and at least a person or two
    ref = latest.as_py()
    rng = world.rng("central-population", periods.month_index(f"{ref:%Y-%m}"))
    spread = np.maximum(1.5, population * 0.0005)
    noise = rng.normal(0, 1, len(world.codes))[np.searchsorted(world.codes, kommune)]
    offset = np.rint(noise * spread).astype(np.int64)
    return _table(
        kommune,
        "FOLKETAL_KVT",
        pa.nulls(len(kommune), pa.string()),
        pa.array([ref] * len(kommune), pa.date32()),
        np.maximum(population + offset, 0),
    )


def _pupils(world: World, month: str, pupils: pa.Table) -> pa.Table:
    """Pupils per school at the latest 30 September, counted ±0–2 % differently."""
    target = _latest_30sep(month)
    if pupils.num_rows == 0:
        return _empty()
    rows = pupils.filter(pc.equal(pupils.column("referencedato"), pa.scalar(target)))
    if rows.num_rows == 0:
        return _empty()
    rows = rows.sort_by([("kommune", "ascending"), ("instnr", "ascending")])
    count = rows.column("pupils").to_numpy().astype(np.int64)
    instnr = pc.cast(rows.column("instnr"), pa.int64()).to_numpy()
    # a fixed draw per school and count date, independent of which other schools exist
    salt = world.rng("central-pupils", target.year).integers(0, 1 << 62, 3)
    share = (
        keyed_uniform(instnr, int(salt[0])) - 0.5
    ) * 0.04  # count date and rules differ slightly
    # and now and then a few pupils are counted at another school or not at all
    twist = np.where(
        keyed_uniform(instnr, int(salt[1])) < 0.1,
        np.floor(keyed_uniform(instnr, int(salt[2])) * 7) - 3,
        0,
    )
    value = np.maximum(np.rint(count * (1 + share)) + twist, 0).astype(np.int64)
    return _table(
        rows.column("kommune").to_numpy(),
        "ELEVTAL_30SEP",
        rows.column("instnr").combine_chunks(),
        pa.array([target] * rows.num_rows, pa.date32()),
        value,
    )


def _table(
    kommune: np.ndarray, statistik: str, instnr: pa.Array, dates: pa.Array, value: np.ndarray
) -> pa.Table:
    return pa.table(
        {
            "kommune": pa.array(kommune, pa.int64()),
            "statistik": pa.array([statistik] * len(kommune), pa.string()),
            "instnr": instnr.cast(pa.string()),
            "referencedato": dates,
            "vaerdi": pa.array(value, pa.int64()),
        }
    )


def _empty() -> pa.Table:
    return pa.table(
        {
            "kommune": pa.array([], pa.int64()),
            "statistik": pa.array([], pa.string()),
            "instnr": pa.array([], pa.string()),
            "referencedato": pa.array([], pa.date32()),
            "vaerdi": pa.array([], pa.int64()),
        }
    )
