"""The language of an API answer, from the request's ``Accept-Language`` (RFC 9110 §12.5.4)."""

from __future__ import annotations

from flis.errors import Language

DEFAULT: Language = "da"
_SUPPORTED: tuple[Language, ...] = ("da", "en")


def _weight(params: list[str]) -> float | None:
    """The ``q`` of one range (1 when absent); None when it is malformed."""
    for param in params:
        name, _, value = param.strip().partition("=")
        if name.strip().lower() == "q":
            try:
                q = float(value.strip())
            except ValueError:
                return None
            return q if 0.0 <= q <= 1.0 else None
    return 1.0


def choose_language(header: str | None) -> Language:
    """The supported language the client weighs highest; Danish when none (or ``*``) is asked.

    ``en-GB`` counts as ``en``; ``q=0`` refuses a language; ties go to the earlier range.
    """
    best: tuple[float, Language] | None = None
    refused: set[str] = set()
    for item in (header or "").split(","):
        tag, *params = item.split(";")
        primary = tag.strip().lower().split("-")[0]
        q = _weight(params)
        if q is None:
            continue
        if q == 0.0:
            refused.add(primary)
            continue
        lang: Language | None = (
            DEFAULT if primary == "*" else next((s for s in _SUPPORTED if s == primary), None)
        )
        if lang is not None and (best is None or q > best[0]):
            best = (q, lang)
    if best is not None and best[1] not in refused:
        return best[1]
    return next((s for s in _SUPPORTED if s not in refused), DEFAULT)
