"""The linear algebra of the adversary: relations as rows, and which unknowns they determine."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from flis.errors import FlisError

#: Singular values below this (relative to the largest) count as zero in the rank test.
_RANK_TOL = 1e-9
#: A suppressed cell is determined when its part of the null space is below this norm.
_NULL_TOL = 1e-7

Matrix = npt.NDArray[np.float64]


class DisclosureError(FlisError):
    """The relations make a sensitive cell recoverable whatever else is suppressed."""

    kind = "disclosure-error"


@dataclass(frozen=True)
class Relation:
    """An additive relation the adversary knows: ``Σ coefficients[i]·parts[i] = total``."""

    total: str
    parts: tuple[str, ...]
    coefficients: tuple[float, ...] | None = None  # None = all 1.0

    def __post_init__(self) -> None:
        if self.coefficients is not None and len(self.coefficients) != len(self.parts):
            raise DisclosureError(
                f"relation for '{self.total}' has {len(self.parts)} parts but "
                f"{len(self.coefficients)} coefficients",
                hint="give one coefficient per part, or none for a plain sum",
            )

    def terms(self) -> dict[str, float]:
        """Cell → coefficient of the homogeneous form ``Σ c·part − total = 0``."""
        out = {self.total: -1.0}
        for part, coef in zip(
            self.parts, self.coefficients or (1.0,) * len(self.parts), strict=True
        ):
            out[part] = out.get(part, 0.0) + coef
        return out


def _right_basis(sub: Matrix) -> tuple[Matrix, Matrix]:
    """Singular values of ``sub`` and a full orthonormal basis of its column space's domain.

    LAPACK's divide-and-conquer SVD (numpy's gesdd) now and then fails to converge on these exact
    0/±1/⅟₁₂ matrices (seen on a 439 × 372 system of a 13-month demo world); the decomposition of
    the transpose gives the same singular values and basis, so it is the fallback. If both fail
    the release stops rather than publish without the check.
    """
    try:
        _, sing, vh = np.linalg.svd(sub, full_matrices=sub.shape[0] < sub.shape[1])
        return sing, vh
    except np.linalg.LinAlgError:
        pass
    try:
        u, sing, _ = np.linalg.svd(sub.T, full_matrices=True)
    except np.linalg.LinAlgError as exc:
        raise DisclosureError(
            f"the disclosure check could not decompose a system of {sub.shape[0]} relations "
            f"over {sub.shape[1]} suppressed cells ({exc})",
            hint="nothing was published; report this with the release period",
        ) from exc
    return sing, u.T


def _pinv(sub: Matrix) -> Matrix:
    """The pseudo-inverse, with the same transpose fallback as :func:`_right_basis`."""
    try:
        return np.asarray(np.linalg.pinv(sub, rcond=_RANK_TOL), dtype=np.float64)
    except np.linalg.LinAlgError:
        return np.asarray(np.linalg.pinv(sub.T, rcond=_RANK_TOL).T, dtype=np.float64)


def pinned_columns(sub: Matrix) -> npt.NDArray[np.bool_]:
    """Which unknown columns of ``sub`` the system determines (unit vector in the row space)."""
    if sub.shape[0] == 0:
        return np.zeros(sub.shape[1], dtype=bool)
    # vh must span every column (null space included); with more rows than columns the thin
    # decomposition already does, without the rows × rows factor
    sing, vh = _right_basis(sub)
    rank = int((sing > _RANK_TOL * max(1.0, float(sing[0]) if sing.size else 0.0)).sum())
    return np.asarray(np.linalg.norm(vh[rank:], axis=0) < _NULL_TOL)


def freeing(sub: Matrix, target: int, candidates: Matrix) -> npt.NDArray[np.bool_]:
    """Which candidate columns, added alone to the unknowns, leave the target undetermined.

    The target is determined by ``sub``; with one more column ``a`` a null vector must use it:
    ``sub·d = −a``. That is solvable iff ``a`` is in the column space, and every solution has the
    same ``d[target]`` (null vectors of ``sub`` are zero there), so one pseudo-inverse decides.
    """
    solution = -_pinv(sub) @ candidates
    residual = np.linalg.norm(sub @ solution + candidates, axis=0)
    scale = 1.0 + np.linalg.norm(candidates, axis=0)
    return np.asarray((residual < _NULL_TOL * scale) & (np.abs(solution[target]) > _NULL_TOL))
