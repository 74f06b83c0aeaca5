"""Staff roles: the kinds of post, what their headcount follows, and the terms of each category."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from flis.reference.codelists import codelist


@dataclass(frozen=True)
class Role:
    """A kind of post: staff category on an account function, and what its headcount follows."""

    category: str
    funktion: str
    agreement: str
    driver: str  # a school column (SCHOOL_DRIVERS) or a resident group (RESIDENT_DRIVERS)
    per: float  # posts per driver unit
    base: float = 0.0  # posts per school regardless of size


@dataclass(frozen=True)
class Terms:
    """Employment terms of a staff category."""

    pay: float  # full-time monthly pay, DKK
    female: float
    part_time: float
    hourly: float
    civil: float


#: Posts per driver unit. "teach" is teacher FTE (pupils / the municipality's pupils per
#: teacher, plus 1.2 per special class), turned into heads as a few teachers work part time;
#: the other rates are heads per pupil, child, elderly resident or inhabitant, tuned so that
#: about 8.5 % of residents work for their municipality.
ROLES = (
    Role("20", "3.22.01", "LC", "teach", 1 / 0.98),
    Role("21", "3.22.01", "SKL", "pupils", 1 / 320, base=1.0),
    Role("10", "3.22.01", "HK", "pupils", 1 / 450, base=0.8),
    Role("70", "3.22.01", "3F", "pupils", 1 / 600, base=0.8),
    Role("22", "3.22.05", "BUPL", "sfo", 0.027),
    Role("31", "3.22.05", "FOAP", "sfo", 0.011),
    Role("20", "3.22.08", "LC", "special", 1 / 3.5),
    Role("22", "3.22.08", "BUPL", "special", 1 / 6),
    Role("21", "3.22.08", "SKL", "special", 1 / 90, base=0.8),
    Role("30", "5.25.14", "BUPL", "age0_5", 0.100),
    Role("31", "5.25.14", "FOAP", "age0_5", 0.070),
    Role("32", "5.25.14", "FOAP", "age0_5", 0.028),
    Role("40", "5.30.26", "FOAS", "age65", 0.040),
    Role("40", "5.30.27", "FOAS", "age80", 0.230),
    Role("41", "5.30.27", "DSR", "age80", 0.034),
    Role("41", "4.62.82", "DSR", "age0_17", 0.0045),
    Role("42", "5.38.50", "SL", "pop", 0.0085),
    Role("42", "5.28.20", "SL", "age0_17", 0.0045),
    Role("50", "5.28.21", "DS", "pop", 0.0034),
    Role("10", "6.45.51", "HK", "pop", 0.0102),
    Role("60", "6.45.51", "AC", "pop", 0.0057),
    Role("70", "2.28.20", "3F", "pop", 0.0046),
    Role("10", "3.32.50", "HK", "pop", 0.0009),
)


TERMS = {
    "10": Terms(34_000, 0.80, 0.20, 0.02, 0.10),
    "20": Terms(45_000, 0.70, 0.10, 0.03, 0.42),
    "21": Terms(60_000, 0.55, 0.00, 0.00, 0.70),
    "22": Terms(37_000, 0.75, 0.30, 0.06, 0.03),
    "30": Terms(37_000, 0.85, 0.40, 0.05, 0.03),
    "31": Terms(29_500, 0.80, 0.50, 0.10, 0.01),
    "32": Terms(31_000, 0.95, 0.10, 0.00, 0.01),
    "40": Terms(31_500, 0.90, 0.55, 0.06, 0.01),
    "41": Terms(41_000, 0.95, 0.40, 0.03, 0.03),
    "42": Terms(37_500, 0.70, 0.35, 0.05, 0.02),
    "50": Terms(41_500, 0.85, 0.15, 0.01, 0.05),
    "60": Terms(50_000, 0.60, 0.10, 0.01, 0.15),
    "70": Terms(33_000, 0.15, 0.10, 0.03, 0.08),
}


#: School columns that drive school posts, and the institution types they count.
SCHOOL_DRIVERS = {
    "teach": ("1012", "1014"),
    "pupils": ("1012", "1014"),
    "sfo": ("1012",),
    "special": ("1015", "1016"),
}


RESIDENT_DRIVERS = ("pop", "age0_5", "age0_17", "age65", "age80")


ROLE_CATEGORY = np.array([r.category for r in ROLES])


ROLE_FUNKTION = np.array([r.funktion for r in ROLES])


ROLE_AGREEMENT = np.array([r.agreement for r in ROLES])


def term(name: str) -> np.ndarray:
    """A terms attribute per role, as an array indexed by role."""
    return np.array([getattr(TERMS[r.category], name) for r in ROLES], dtype=np.float64)


def _known_codes() -> None:
    """Fail early if a role uses a code that is not in the code lists."""
    for r in ROLES:
        codelist("staff_category").get(r.category)
        codelist("funktion").get(r.funktion)
        codelist("collective_agreement").get(r.agreement)


_known_codes()
