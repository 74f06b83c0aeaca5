"""The adversary's linear algebra answers on every system, even where LAPACK's SVD gives up."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from flis.release import linear
from flis.release.linear import DisclosureError, pinned_columns

#: A 439 × 372 relation system from a 13-month demo world on which numpy's SVD (gesdd) did not
#: converge here; the release failed with LinAlgError before the fallback existed.
NONCONVERGENT = Path(__file__).parent / "data" / "svd_nonconvergent.txt"


def _load(path: Path) -> np.ndarray[Any, np.dtype[np.float64]]:
    lines = path.read_text("utf-8").splitlines()
    rows, cols = (int(x) for x in lines[0].removeprefix("# ").split())
    out = np.zeros((rows, cols))
    for line in lines[1:]:
        i, j, code = line.split()
        out[int(i), int(j)] = 1 / 12 if code == "1/12" else float(code)
    return out


def _pinned_by_eigh(sub: np.ndarray[Any, np.dtype[np.float64]]) -> np.ndarray[Any, Any]:
    """Reference by another LAPACK route: the null space of subᵀ·sub by a symmetric eigensolver."""
    gram = sub.T @ sub
    eigenvalues, vectors = np.linalg.eigh(gram)
    null = vectors[:, eigenvalues < 1e-9 * eigenvalues.max()]
    return np.linalg.norm(null, axis=1) < 1e-6


def test_a_system_the_svd_does_not_converge_on_still_gets_the_exact_answer() -> None:
    sub = _load(NONCONVERGENT)
    flags = pinned_columns(sub)
    assert flags.shape == (372,)
    assert (flags == _pinned_by_eigh(sub)).all()


def test_the_transpose_fallback_gives_the_same_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(7)
    sub = rng.choice([-1.0, 0.0, 0.0, 1.0], size=(30, 40))
    sub[:, 5] = 0.0
    sub[0, 5] = 1.0  # one row pins cell 5 alone: 5 = the rest of row 0, which others constrain
    expected = pinned_columns(sub)
    real_svd = np.linalg.svd

    def fails_on_the_original(a: Any, **kwargs: Any) -> Any:
        if a.shape == sub.shape:
            raise np.linalg.LinAlgError("SVD did not converge")
        return real_svd(a, **kwargs)

    monkeypatch.setattr(linear.np.linalg, "svd", fails_on_the_original)
    assert (pinned_columns(sub) == expected).all()


def test_when_every_decomposition_fails_the_release_stops(monkeypatch: pytest.MonkeyPatch) -> None:
    def never(a: Any, **kwargs: Any) -> Any:
        raise np.linalg.LinAlgError("SVD did not converge")

    monkeypatch.setattr(linear.np.linalg, "svd", never)
    with pytest.raises(DisclosureError, match="could not decompose a system of 2 relations"):
        pinned_columns(np.array([[1.0, -1.0], [0.0, 1.0]]))
