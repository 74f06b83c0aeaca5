"""The institution register: folkeskoler, youth, special and day-treatment schools."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from flis.reference import municipalities
from flis.sources.generator.world import World

FOLKESKOLE, YOUTH, SPECIAL, DAY_TREATMENT = "1012", "1014", "1015", "1016"
SCHOOLS_AT_FULL_SCALE = 1060
# fmt: off
_NAME_STEMS = (
    "Nørre", "Søndre", "Vester", "Øster", "Bakke", "Skov", "Strand", "Enghave", "Kirke", "Linde",
    "Hede", "Mølle", "Ådals", "Rosen", "Sølyst", "Toftegård", "Bøge", "Holme", "Lystrup",
    "Egebjerg", "Grøn", "Bavne", "Fjord", "Ege",
)
# fmt: on


@dataclass
class Institutions:
    """Static institution register, ordered by (kommune, instnr)."""

    kommune_idx: np.ndarray
    instnr: np.ndarray  # int, 6 digits
    type: np.ndarray  # STIL type code strings
    name: np.ndarray
    catchment: np.ndarray  # share of the municipality's district area (folkeskoler only)
    folk_start: np.ndarray  # per kommune: first folkeskole index
    folk_count: np.ndarray
    centres: np.ndarray  # per kommune: folkeskoler hosting special and reception classes
    youth: np.ndarray  # per kommune: youth school index
    special: np.ndarray  # per kommune: (first, count) of the special schools it uses
    day_treatment: np.ndarray
    partner: np.ndarray  # per kommune: the neighbour whose schools take out-of-area pupils


def build_institutions(world: World) -> Institutions:
    """Folkeskoler (fewer, larger in cities), youth, special and day-treatment schools."""
    rng = world.rng("school.institutions")
    pop = np.array([m.population for m in municipalities()], dtype=np.float64)
    urb = world.traits["urbanity"]
    need = pop * 0.12 / (250 + 500 * urb)
    n_folk = np.maximum(1, np.rint(need * SCHOOLS_AT_FULL_SCALE / need.sum() * world.scale))
    n_special = np.where(pop >= 40_000, np.maximum(1, np.rint(pop / 150_000)), 0)
    n_day = np.where(pop >= 55_000, np.maximum(1, np.rint(pop / 250_000)), 0)
    counts = np.stack([n_folk, np.ones(98), n_special, n_day], axis=1).astype(np.int64)
    types = np.array([FOLKESKOLE, YOUTH, SPECIAL, DAY_TREATMENT])
    kidx = np.repeat(np.repeat(np.arange(98), 4), counts.ravel())
    type_idx = np.tile(np.arange(4), 98).repeat(counts.ravel())
    seq = np.arange(len(kidx)) - np.repeat(np.cumsum(counts.sum(1)) - counts.sum(1), counts.sum(1))
    instnr = world.codes[kidx] * 1000 + seq + 1
    # catchments sorted largest first, so the first folkeskoler are the centre schools
    catchment = np.zeros(len(kidx))
    folk_start = np.cumsum(counts.sum(1)) - counts.sum(1)
    for k in range(98):
        share = np.sort(rng.dirichlet(np.full(n_folk[k].astype(int), 3.0)))[::-1]
        catchment[folk_start[k] : folk_start[k] + len(share)] = share
    return Institutions(
        kommune_idx=kidx,
        instnr=instnr,
        type=types[type_idx],
        name=_names(world, kidx, type_idx, seq),
        catchment=catchment,
        folk_start=folk_start,
        folk_count=counts[:, 0],
        centres=np.ceil(counts[:, 0] / 10).astype(np.int64),
        youth=folk_start + counts[:, 0],
        special=_providers(world, counts[:, 2], folk_start + counts[:, 0] + 1),
        day_treatment=_providers(world, counts[:, 3], folk_start + counts[:, :3].sum(1)),
        partner=_partners(world, np.ones(98, np.int64)),
    )


def _names(world: World, kidx: np.ndarray, type_idx: np.ndarray, seq: np.ndarray) -> np.ndarray:
    names = np.array([m.name for m in municipalities()], dtype=object)
    stems = np.array(_NAME_STEMS, dtype=object)
    town = names[kidx]
    stem = stems[(seq + kidx * 7) % len(stems)]
    return np.select(
        [type_idx == 0, type_idx == 1, type_idx == 2],
        [stem + "skolen", town + " Ungdomsskole", town + " Specialskole"],
        "Dagbehandlingsskolen " + town,
    )


def _partners(world: World, has: np.ndarray) -> np.ndarray:
    """Nearest other municipality with ``has`` > 0, preferring the same region."""
    codes = world.codes.astype(np.float64)
    region = np.array([m.region_code for m in municipalities()])
    dist = np.abs(codes[:, None] - codes[None, :]) + np.where(
        region[:, None] == region[None, :], 0, 1000
    )
    dist = np.where(has[None, :] > 0, dist, np.inf)
    np.fill_diagonal(dist, np.inf)
    result: np.ndarray = dist.argmin(axis=1)
    return result


def _providers(world: World, count: np.ndarray, first: np.ndarray) -> np.ndarray:
    """(first index, count) of the schools a municipality uses: its own, else a neighbour's."""
    provider = np.where(count > 0, np.arange(98), _partners(world, count))
    return np.stack([first[provider], count[provider]], axis=1)


def pick_school(provider: np.ndarray, u: np.ndarray) -> np.ndarray:
    """One school per pupil among each provider's (first, count) schools."""
    result: np.ndarray = provider[:, 0] + np.floor(u * provider[:, 1]).astype(np.int64)
    return result


def instnr_text(instnr: np.ndarray) -> pa.Array:
    """Institution numbers as Arrow strings."""
    return pa.array(instnr.astype(str), pa.string())


def district_table(world: World, inst: Institutions) -> pa.Table:
    """Folkeskoler with their catchment shares, for the population's school districts."""
    folk = inst.type == FOLKESKOLE
    return pa.table(
        {
            "kommune": pa.array(world.codes[inst.kommune_idx[folk]], pa.int64()),
            "instnr": instnr_text(inst.instnr[folk]),
            "catchment": pa.array(inst.catchment[folk]),
        }
    )
