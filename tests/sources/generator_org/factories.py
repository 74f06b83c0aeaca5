"""Factories for the input tables of the organisation generators (residents, schools)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from flis.sources.generator.world import World

_EPOCH = dt.date(1970, 1, 1)


def make_world(
    *, scale: float = 0.01, months: tuple[str, ...] = ("2024-01",), seed: int = 7
) -> World:
    return World(seed=seed, scale=scale, months=months, selected=tuple(World.all_codes()))


def make_residents(world: World, *, month: str = "2024-01", seed: int = 1) -> pa.Table:
    """Residents of all municipalities with a Danish-like age profile, sorted by kommune, cpr."""
    rng = np.random.default_rng(seed)
    counts = world.population_target
    kommune = np.repeat(world.codes, counts)
    n = len(kommune)
    # ages: flat to 60, then thinning towards 100 (about 21 % aged 65+, 5 % aged 80+)
    age = np.where(rng.random(n) < 0.74, rng.uniform(0, 60, n), 60 + rng.gamma(2.0, 6.5, n))
    age = np.minimum(age, 104)
    ref = (dt.date(int(month[:4]), int(month[5:7]), 1) - _EPOCH).days
    birth = (ref - age * 365.25).astype(np.int64)
    female = rng.random(n) < 0.5
    cpr = _cpr(birth, female)
    table = pa.table(
        {
            "person_id": pa.array(np.arange(1, n + 1, dtype=np.int64)),
            "cpr": cpr,
            "kommune": pa.array(kommune, pa.int64()),
            "birth_date": pa.array(birth.astype(np.int32), pa.date32()),
            "sex": pa.array(np.where(female, "K", "M")),
        }
    )
    return table.sort_by([("kommune", "ascending"), ("cpr", "ascending")])


def _cpr(birth: np.ndarray, female: np.ndarray) -> pa.Array:
    """Distinct CPR numbers: ddmmyy and a running number whose parity gives the sex."""
    order = np.argsort(birth, kind="stable")
    sorted_birth = birth[order]
    run = np.arange(len(birth)) - np.searchsorted(sorted_birth, sorted_birth)
    seq = np.empty(len(birth), np.int64)
    seq[order] = run
    serial = (seq * 2 + female.astype(np.int64)) % 10_000  # odd = male in real CPR; tests only
    dates = pa.array(birth.astype(np.int32), pa.date32())
    prefix = pc.strftime(pc.cast(dates, pa.timestamp("s")), format="%d%m%y")
    suffix = pc.utf8_lpad(pc.cast(pa.array(serial), pa.string()), width=4, padding="0")
    return pc.binary_join_element_wise(prefix, suffix, "")


def make_institutions(world: World, residents: pa.Table, *, seed: int = 2) -> pa.Table:
    """Schools per municipality: folkeskoler of ~420 pupils, a youth school, special schools."""
    rng = np.random.default_rng(seed)
    birth = residents.column("birth_date").cast(pa.int32()).to_numpy()
    ref = int(birth.max())
    age = (ref - birth) / 365.25
    kommune = residents.column("kommune").to_numpy()
    children = np.array([np.sum((kommune == k) & (age >= 6) & (age < 16)) for k in world.codes])
    rows: list[tuple[int, str, str, int]] = []
    for k, kids in zip(world.codes.tolist(), children.tolist(), strict=True):
        pupils = round(kids * 0.82)
        n_schools = max(1, round(pupils / 420))
        shares = rng.dirichlet(np.full(n_schools, 4.0))
        for i, share in enumerate(shares):
            rows.append((k, f"{k:03d}{i + 1:03d}", "1012", round(pupils * share)))
        rows.append((k, f"{k:03d}900", "1014", round(kids * 0.01)))
        rows.append((k, f"{k:03d}950", "1015", round(kids * 0.022)))
        if kids > 3000:
            rows.append((k, f"{k:03d}960", "1016", round(kids * 0.006)))
    pupils_arr = np.array([r[3] for r in rows], dtype=np.int64)
    itype = np.array([r[2] for r in rows])
    special = np.where(itype == "1012", np.rint(pupils_arr * 0.012 / 8), 0).astype(np.int64)
    return pa.table(
        {
            "kommune": pa.array([r[0] for r in rows], pa.int64()),
            "instnr": pa.array([r[1] for r in rows]),
            "institutionstype": pa.array(itype),
            "pupils": pa.array(pupils_arr),
            "classes": pa.array(np.maximum(1, np.rint(pupils_arr / 21)).astype(np.int64)),
            "special_classes": pa.array(special),
        }
    )
