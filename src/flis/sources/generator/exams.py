"""Leaving-exam grades: June exams of 9th graders in folkeskole classes, on the 7-step scale."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from flis.periods import month_index
from flis.reference import codelist
from flis.sources.generator.classes import AGI, ALM, S202, S203, Columns
from flis.sources.generator.cpr_numbers import cpr_text
from flis.sources.generator.days import date32, to_days
from flis.sources.generator.hashing import hash_uniform
from flis.sources.generator.institutions import instnr_text
from flis.sources.generator.pupil_traits import PupilTraits
from flis.sources.generator.school_month import SchoolMonth

_GRADE_CODES = np.array(["-3", "00", "02", "4", "7", "10", "12"])


#: Standard-normal cut points giving shares 1/4/9/16/26/27/17 % (mean grade ≈ 7.35).
_GRADE_CUTS = np.array([-2.326, -1.645, -1.080, -0.524, 0.151, 0.954])


_HUMANISTIC = np.array(["EN_SKR", "TY_MDT", "HI_MDT", "SA_MDT", "KR_MDT"])


_SCIENCE = np.array(["BI_SKR", "GE_SKR", "FK_SKR", "MA_MDT"])


def grade_records(m: SchoolMonth) -> pa.Table:
    """June: leaving-exam grades of 9th graders in folkeskole classes (else no rows)."""
    world, inst, e, month, days = m.world, m.inst, m.enrol, m.month, m.days
    kind = m.classes["kind"][e["cls"]]
    sitting = (e["grade"] == 9) & (e["til"] < 0) & np.isin(kind, (ALM, AGI, S202, S203))
    if month[5:7] != "06" or not days or not sitting.any():
        return _empty_grades()
    rows = np.flatnonzero(sitting)
    rng = world.rng("school.exams", month_index(month))
    subjects, exam_type, taken, grade = _sit_exams(
        rng, e, rows, special=np.isin(kind[rows], (S202, S203)), traits=m.traits
    )
    pupil, col = np.nonzero(taken)
    exam_day = np.array([to_days(d) for d in days])
    src = rows[pupil]
    owner = inst.kommune_idx[e["inst"][src]]
    order = np.lexsort((subjects[pupil, col], e["cpr"][src], owner))
    pupil, col, src = pupil[order], col[order], src[order]
    return pa.table(
        {
            "kommune": pa.array(world.codes[owner[order]], pa.int64()),
            "cpr": cpr_text(e["cpr"][src]),
            "instnr": instnr_text(inst.instnr[e["inst"][src]]),
            "fag": pa.array(subjects[pupil, col], pa.string()),
            "proevetype": pa.array(exam_type[pupil, col], pa.string()),
            "karakter": pa.array(grade[pupil, col], pa.string()),
            "dato": date32(exam_day[np.minimum(col * 2, len(exam_day) - 1)]),
        }
    )


def _sit_exams(
    rng: np.random.Generator,
    e: Columns,
    rows: np.ndarray,
    *,
    special: np.ndarray,
    traits: PupilTraits,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Subjects, exam types, exams sat and grades (pupils × 10) of the sitting enrolments."""
    subjects, exam_type, taken = _exam_plan(
        rng, e["cls"][rows], e["pid"][rows], special=special, salt=traits.salt["draw"]
    )
    ability = traits.normal(e["pid"][rows], "ability")
    # pupil level from ability and the municipality's socio trait, plus exam-day noise
    level = 0.1 * e["socio"][rows] + 0.74 * ability - 0.8 * special
    latent = level[:, None] + 0.67 * rng.standard_normal(subjects.shape)
    grade = _special_codes(rng, _GRADE_CODES[np.searchsorted(_GRADE_CUTS, latent)], exam_type)
    return subjects, exam_type, taken, grade


def _exam_plan(
    rng: np.random.Generator, cls: np.ndarray, pid: np.ndarray, *, special: np.ndarray, salt: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Subjects (pupils × 10), exam types and which exams each pupil sits."""
    compulsory = np.array(codelist("exam_subject").where(compulsory=True))
    n = len(cls)
    # the two drawn subjects are drawn per class, like the ministry's draw per school
    hum = _HUMANISTIC[(hash_uniform(cls, salt) * len(_HUMANISTIC)).astype(np.int64)]
    sci = _SCIENCE[(hash_uniform(cls, salt + 1) * len(_SCIENCE)).astype(np.int64)]
    subjects = np.concatenate([np.tile(compulsory, (n, 1)), hum[:, None], sci[:, None]], axis=1)
    exam_type = np.where(np.arange(subjects.shape[1]) < len(compulsory), "B", "U")
    exam_type = np.tile(exam_type, (n, 1))
    skips_all = special & (hash_uniform(pid, salt + 2) < 0.4)
    partial = special[:, None] & (rng.random(subjects.shape) < 0.3)
    taken = ~skips_all[:, None] & ~partial
    return subjects, exam_type, taken


def _special_codes(
    rng: np.random.Generator, grade: np.ndarray, exam_type: np.ndarray
) -> np.ndarray:
    """A few exempted (FR, whole pupil), ill (SY) and absent (IM) compulsory exams."""
    out = grade.astype(object)
    u = rng.random(grade.shape)
    compulsory = exam_type == "B"
    out[compulsory & (u < 0.006)] = "SY"
    out[compulsory & (u >= 0.006) & (u < 0.010)] = "IM"
    exempt = rng.random(len(grade)) < 0.012
    out[exempt[:, None] & compulsory] = "FR"
    return out


def _empty_grades() -> pa.Table:
    return pa.table(
        {
            "kommune": pa.array([], pa.int64()),
            "cpr": pa.array([], pa.string()),
            "instnr": pa.array([], pa.string()),
            "fag": pa.array([], pa.string()),
            "proevetype": pa.array([], pa.string()),
            "karakter": pa.array([], pa.string()),
            "dato": pa.array([], pa.date32()),
        }
    )
