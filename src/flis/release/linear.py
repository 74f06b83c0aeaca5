"""The linear algebra of the adversary: relations as rows, and which unknowns they determine."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from flis.errors import FlisError

#: Singular values below this (relative to the largest) count as zero in the rank test.
_RANK_TOL = 1e-9
#: A suppressed cell is determined when its part of the null space is below this norm.
NULL_TOL = 1e-7

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
                message_da=f"relationen for '{self.total}' har {len(self.parts)} dele men "
                f"{len(self.coefficients)} koefficienter",
                hint_da="angiv én koefficient pr. del, eller ingen for en almindelig sum",
            )

    def terms(self) -> dict[str, float]:
        """Cell → coefficient of the homogeneous form ``Σ c·part − total = 0``."""
        out = {self.total: -1.0}
        for part, coef in zip(
            self.parts, self.coefficients or (1.0,) * len(self.parts), strict=True
        ):
            out[part] = out.get(part, 0.0) + coef
        return out


def _svd(sub: Matrix) -> tuple[Matrix, Matrix, Matrix]:
    """``u, sing, vh`` of ``sub``, with ``vh`` a full orthonormal basis of the unknowns' space.

    ``vh`` must span every column (null space included); with more rows than columns the thin
    decomposition already does, without the rows × rows factor.

    LAPACK's divide-and-conquer SVD (numpy's gesdd) now and then fails to converge on these exact
    0/±1/⅟₁₂ matrices (seen on a 439 × 372 system of a 13-month demo world); the decomposition of
    the transpose gives the same singular values and bases, so it is the fallback. If both fail
    the release stops rather than publish without the check.
    """
    try:
        u, sing, vh = np.linalg.svd(sub, full_matrices=sub.shape[0] < sub.shape[1])
        return u, sing, vh
    except np.linalg.LinAlgError:
        pass
    try:
        ut, sing, vht = np.linalg.svd(sub.T, full_matrices=True)
    except np.linalg.LinAlgError as exc:
        raise DisclosureError(
            f"the disclosure check could not decompose a system of {sub.shape[0]} relations "
            f"over {sub.shape[1]} suppressed cells ({exc})",
            hint="nothing was published; report this with the release period",
            message_da=f"fortrolighedskontrollen kunne ikke dekomponere et system af "
            f"{sub.shape[0]} relationer over {sub.shape[1]} undertrykte celler ({exc})",
            hint_da="intet blev udgivet; meld fejlen med udgivelsens periode",
        ) from exc
    return vht.T, sing, ut.T


class Decomposition:
    """One SVD of a system over unknown cells, answering every question the protector asks.

    ``null`` is an orthonormal basis of the null space (cells × nullity): a cell is determined
    when its row of ``null`` is zero. The same factors give the pseudo-inverse that tells which
    published cells would free a determined one (:meth:`freeing`).
    """

    def __init__(self, sub: Matrix):
        self.sub = sub
        if sub.shape[0] == 0:
            self.rank = 0
            self.u = np.zeros((0, 0))
            self.sing = np.zeros(0)
            self.vh = np.eye(sub.shape[1])
        else:
            self.u, self.sing, self.vh = _svd(sub)
            top = float(self.sing[0]) if self.sing.size else 0.0
            self.rank = int((self.sing > _RANK_TOL * max(1.0, top)).sum())
        self.null: Matrix = self.vh[self.rank :].T

    def pinned(self) -> npt.NDArray[np.bool_]:
        """Which unknown columns the system determines (unit vector in the row space)."""
        return np.asarray(np.linalg.norm(self.null, axis=1) < NULL_TOL)

    def freeing(self, targets: list[int], candidates: Matrix) -> npt.NDArray[np.bool_]:
        """Targets × candidates: which candidate column, added alone, frees which target.

        A determined target becomes free when a new column ``a`` gives a null vector that uses
        it: ``sub·d = −a``. That is solvable iff ``a`` is in the column space, and every solution
        has the same ``d[target]`` (null vectors of ``sub`` are zero there). Because such a
        column leaves the column space as it is, adding several of them frees exactly the
        targets that one of them frees alone, so one decomposition serves a whole batch.
        """
        r = self.rank
        if r == 0:
            return np.zeros((len(targets), candidates.shape[1]), dtype=bool)
        left = self.u[:, :r].T @ candidates  # coordinates in the column space
        residual = np.linalg.norm(candidates - self.u[:, :r] @ left, axis=0)
        scale = 1.0 + np.linalg.norm(candidates, axis=0)
        solution = -(self.vh[:r, targets].T @ (left / self.sing[:r, None]))
        inside = residual < NULL_TOL * scale
        return np.asarray(inside[None, :] & (np.abs(solution) > NULL_TOL))


def pinned_columns(sub: Matrix) -> npt.NDArray[np.bool_]:
    """Which unknown columns of ``sub`` the system determines (unit vector in the row space)."""
    return Decomposition(sub).pinned()


def freeing(sub: Matrix, target: int, candidates: Matrix) -> npt.NDArray[np.bool_]:
    """Which candidate columns, added alone to the unknowns, leave the target undetermined."""
    return np.asarray(Decomposition(sub).freeing([target], candidates)[0], dtype=bool)


def without(null: Matrix, columns: list[int]) -> Matrix:
    """The null space once ``columns`` are published (no longer unknown), from the one before.

    Publishing a cell adds the constraint ``x[cell] = 0`` to the null vectors: its row of
    ``null`` is projected out of every row, one column after the other. The result spans the
    new null space (with zero directions where constraints were removed), so its row norms are
    what :meth:`Decomposition.pinned` tests. A row already below 1e-12 is a constraint the
    space satisfies already.
    """
    out = np.array(null, dtype=np.float64)
    for j in columns:
        row = out[j]
        norm = float(np.linalg.norm(row))
        if norm > 1e-12:
            direction = row / norm
            out -= np.outer(out @ direction, direction)
    return out
