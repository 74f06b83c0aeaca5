"""Life events of residents: deaths, emigration and moves between municipalities."""

from __future__ import annotations

import numpy as np

from flis.reference import municipalities
from flis.sources.generator.world import World

MOVES_PER_YEAR = 0.04
EMIGRATION_PER_YEAR = 0.0095


def mortality(age: np.ndarray, female: np.ndarray) -> np.ndarray:
    """Annual death probability (Gompertz, plus infant mortality), ≈10 per 1,000 overall."""
    q = 2.5e-5 * np.exp(0.095 * age) + np.where(age == 0, 0.003, 0.0)
    return np.minimum(0.6, q * np.where(female, 0.83, 1.2))


def draw_exits(
    rng: np.random.Generator, age: np.ndarray, female: np.ndarray, foreign: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Mutually exclusive death, emigration and move flags (one event per person a month)."""
    p_die = mortality(age, female) / 12
    # emigrants are mostly young adults and foreign citizens going home
    leave = np.where((age >= 20) & (age < 40), 2.5, 0.6) * np.where(foreign, 5.0, 1.0)
    p_leave = leave / leave.mean() * EMIGRATION_PER_YEAR / 12
    move = np.where((age >= 18) & (age < 30), 3.2, np.where(age < 18, 0.8, 1.0))
    move = move * np.where(age >= 65, 0.35, 1.0)
    p_move = move / move.mean() * MOVES_PER_YEAR / 12
    u = rng.random(len(age))
    dies = u < p_die
    leaves = (u >= p_die) & (u < p_die + p_leave)
    moves = (u >= p_die + p_leave) & (u < p_die + p_leave + p_move)
    return dies, leaves, moves


def destinations(
    rng: np.random.Generator, move_cum: list[np.ndarray], origin: np.ndarray, age: np.ndarray
) -> np.ndarray:
    """Destination municipality index per mover: mostly nearby, young adults to cities."""
    young = (age >= 18) & (age < 30)
    dest = np.empty(len(origin), np.int64)
    u = rng.random(len(origin))
    for flag, cum_table in ((young, move_cum[0]), (~young, move_cum[1])):
        cum = cum_table[origin[flag]]
        dest[flag] = np.minimum((cum < u[flag, None]).sum(axis=1), 97)
    return dest


def move_matrix(world: World, young: bool) -> np.ndarray:
    """Row-normalised destination probabilities between municipalities (98 × 98)."""
    codes = world.codes.astype(np.float64)
    region = np.array([m.region_code for m in municipalities()])
    pop = world.population_target.astype(np.float64)
    urb = world.traits["urbanity"]
    # codes are numbered roughly geographically, so code distance stands in for distance
    near = np.exp(-np.abs(codes[:, None] - codes[None, :]) / 35)
    same_region = np.where(region[:, None] == region[None, :], 3.0, 1.0)
    pull = (0.2 + urb) ** 2 if young else 1.3 - 0.5 * urb
    w = pop[None, :] * near * same_region * pull[None, :]
    np.fill_diagonal(w, 0)
    table: np.ndarray = w / w.sum(axis=1, keepdims=True)
    return table
