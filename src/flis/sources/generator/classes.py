"""Class formation: class kinds, group keys, classes formed at school start and opened for joiners.

A class group is a school, class kind and grade band; classes are formed and filled within one
group. Classes are held as NumPy columns (key, inst, kind, grade, label), one row per class.
"""

from __future__ import annotations

import numpy as np

Columns = dict[str, np.ndarray]

#: Class kinds: (class type code, label prefix). The kind decides class size and grade bands.
KINDS = (
    ("ALM", ""),
    ("AGI", ""),
    ("S202", "S"),
    ("S203", "C"),
    ("S203", "K"),
    ("S203", "D"),
    ("ALM", ""),
    ("MOD", "M"),
)


ALM, AGI, S202, S203, SPECIAL_SCHOOL, DAY_SCHOOL, TENTH, RECEPTION = range(8)


_ORDINARY_KINDS = (ALM, AGI, TENTH)


_BAND_LOW = np.array([0, 4, 7])  # lowest grade of the special-offer bands 0–3, 4–6, 7–9
SEGREGATED_KINDS = (S202, S203, SPECIAL_SCHOOL, DAY_SCHOOL)

MAX_CLASS = 28
START_CLASS = 26  # largest ordinary class at school start, leaving room for joiners
SMALL_SCHOOL = 180  # ordinary pupils below which a school teaches in age-integrated classes


def group_key(
    inst: np.ndarray, kind: np.ndarray, grade: np.ndarray, small: np.ndarray
) -> np.ndarray:
    """Class group key: classes are formed and filled within one group."""
    kind = np.where((kind == ALM) & small[inst], AGI, kind)
    band = np.select(
        [np.isin(kind, (ALM, TENTH)), kind == AGI, kind == RECEPTION],
        [grade, grade // 2, 0],
        np.searchsorted(_BAND_LOW, grade, side="right") - 1,
    )
    key: np.ndarray = (inst * 10 + kind) * 100 + band
    return key


def form_classes(group: np.ndarray) -> tuple[Columns, np.ndarray]:
    """Classes for pupils sorted by group at school start, and each pupil's class slot."""
    keys, first, count = np.unique(group, return_index=True, return_counts=True)
    n_classes = _classes_needed(keys, count)
    classes = _new_classes(keys, n_classes, np.zeros(len(keys), np.int64))
    class_start = np.concatenate([[0], np.cumsum(n_classes)[:-1]])
    rank = np.arange(len(group)) - np.repeat(first, count)
    slot = np.repeat(class_start, count) + rank % np.repeat(n_classes, count)
    return classes, slot


def seat_joiners(
    classes: Columns, enrolled: np.ndarray, group: np.ndarray
) -> tuple[Columns, np.ndarray]:
    """Class slot per joiner: the group's smallest classes in turn, new classes if needed.

    ``enrolled`` holds the class slot of every open enrolment; the returned classes include
    any opened for joiners who found no seat.
    """
    cls = classes
    size = np.bincount(enrolled, minlength=len(cls["key"]))
    by_size = np.lexsort((size, cls["key"]))
    keys = cls["key"][by_size]
    lo, hi = np.searchsorted(keys, group, "left"), np.searchsorted(keys, group, "right")
    order = np.argsort(group, kind="stable")
    g_sorted = group[order]
    rank = np.empty(len(group), np.int64)
    rank[order] = np.arange(len(group)) - np.searchsorted(g_sorted, g_sorted, "left")
    n = hi - lo
    slot = np.full(len(group), -1, np.int64)
    if len(keys):
        pick = np.minimum(lo + rank % np.maximum(n, 1), len(keys) - 1)
        slot = np.where(n > 0, by_size[pick], -1)
    # seats a joiner takes beyond the class ceiling go to new classes in the same group
    seat = np.where(slot >= 0, size[np.maximum(slot, 0)], 0) + rank // np.maximum(n, 1)
    ordinary = np.isin((group // 100) % 10, _ORDINARY_KINDS)
    overflow = (slot < 0) | (ordinary & (seat >= MAX_CLASS))
    if overflow.any():
        classes, opened = _open_classes(classes, group[overflow], keys)
        slot[overflow] = opened
    return classes, slot


def _open_classes(
    classes: Columns, group: np.ndarray, keys: np.ndarray
) -> tuple[Columns, np.ndarray]:
    """New classes for joiners who found no seat, and their class slots."""
    new_keys, count = np.unique(group, return_counts=True)
    inverse = np.searchsorted(new_keys, group)
    order = np.argsort(group, kind="stable")
    rank = np.empty(len(group), np.int64)
    rank[order] = np.arange(len(group)) - np.repeat(np.cumsum(count) - count, count)
    n_new = _classes_needed(new_keys, count)
    existing = np.searchsorted(keys, new_keys, "right") - np.searchsorted(keys, new_keys)
    added = _new_classes(new_keys, n_new, existing)
    base = len(classes["key"])
    classes = {k: np.concatenate([classes[k], added[k]]) for k in classes}
    start = base + np.cumsum(n_new) - n_new
    slot: np.ndarray = start[inverse] + rank % n_new[inverse]
    return classes, slot


def _classes_needed(keys: np.ndarray, count: np.ndarray) -> np.ndarray:
    """Classes per group: ≈22 in ordinary classes (never over 26 at start), ≈8 in special."""
    ordinary = np.isin((keys // 100) % 10, _ORDINARY_KINDS)
    regular = np.ceil(count / START_CLASS)
    other = np.where((keys // 100) % 10 == RECEPTION, np.ceil(count / 12), np.ceil(count / 8))
    return np.maximum(1, np.where(ordinary, regular, other)).astype(np.int64)


def _new_classes(keys: np.ndarray, n: np.ndarray, offset: np.ndarray) -> Columns:
    """Class rows for ``n`` classes per group key, lettered from ``offset`` on."""
    key = np.repeat(keys, n)
    letter = np.arange(len(key)) - np.repeat(np.cumsum(n) - n, n) + np.repeat(offset, n)
    inst, kind, band = key // 1000, (key // 100) % 10, key % 100
    grade = np.select(
        [np.isin(kind, (ALM, TENTH)), kind == AGI, kind == RECEPTION],
        [band, band * 2, 1],
        _BAND_LOW[np.minimum(band, 2)],
    )
    prefix = np.array([p for _, p in KINDS], dtype=object)[kind]
    stem = np.where(
        kind == AGI,
        grade.astype(str).astype(object) + "-" + (grade + 1).astype(str).astype(object),
        np.where(
            np.isin(kind, (ALM, TENTH)),
            grade.astype(str).astype(object),
            prefix + (band + 1).astype(str).astype(object),
        ),
    )
    return {
        "key": key,
        "inst": inst,
        "kind": kind,
        "grade": grade,
        "label": stem + _letters(letter),
    }


def _letters(index: np.ndarray) -> np.ndarray:
    """A, B, … Z, then AA, AB …"""
    alphabet = np.array(list("ABCDEFGHIJKLMNOPQRSTUVWXYZ"), dtype=object)
    single = alphabet[index % 26]
    result: np.ndarray = np.where(
        index < 26, single, alphabet[np.maximum(index // 26 - 1, 0) % 26] + single
    )
    return result


def class_ids(instnr: np.ndarray, label: np.ndarray) -> np.ndarray:
    """Class ids as ``instnr-label`` strings."""
    joined = instnr.astype(str).astype(object) + "-" + label
    result: np.ndarray = joined.astype(str)
    return result


def empty_classes() -> Columns:
    """No classes, before the first school start."""
    return {
        "key": np.zeros(0, np.int64),
        "inst": np.zeros(0, np.int64),
        "kind": np.zeros(0, np.int64),
        "grade": np.zeros(0, np.int64),
        "label": np.zeros(0, dtype=object),
    }
