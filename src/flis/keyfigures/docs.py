"""Renders ``docs/keyfigures.md`` from the catalogue: every key figure with its rules and SQL."""

from __future__ import annotations

from flis.keyfigures.catalogue import Catalogue, catalogue
from flis.keyfigures.compiler import compile_sql, window
from flis.keyfigures.model import KeyFigure, MeasureRef

_AREAS = {
    "school": "Skole / School",
    "staff": "Personale og fravær / Staff and absence",
    "citizens": "Borger / Citizens",
    "economy": "Økonomi / Economy",
}
_LEVELS = {
    "monthly": "monthly (the month)",
    "count_date": "count date {date} (stored at its month)",
    "year_to_date": "year to date (January to the month)",
    "yearly": "calendar year (stored at December)",
    "school_year": "school year August–July (stored at July)",
    "rolling_year": "last 12 months (stored at the last month)",
}


def _ref(ref: MeasureRef, cat: Catalogue) -> str:
    measure = cat.measures[ref.measure]
    source = cat.sources[measure.source]
    parts = [f"**{measure.id}** ({measure.title.en}: `{measure.expression}` over `{source.id}`)"]
    parts += [f"filter **{f}**: {source.filters[f].description.en}" for f in ref.filters]
    parts.append(f"folded over the period by {window(ref, cat)}")
    return "; ".join(parts)


def _figure(kf: KeyFigure, cat: Catalogue) -> list[str]:
    level = _LEVELS[kf.level].format(date=kf.count_date)
    contracts = sorted(
        {c for r in (kf.numerator, kf.denominator) if r for c in cat.source_of(r).contracts}
    )
    lines = [
        f"### `{kf.id}` — {kf.title.da} / {kf.title.en}",
        "",
        kf.description.da,
        "",
        kf.description.en,
        "",
        "| | |",
        "|---|---|",
        f"| Main area | {kf.main_area} |",
        f"| Unit | {kf.unit} |",
        f"| Level | {level} |",
        f"| Numerator | {_ref(kf.numerator, cat)} |",
        f"| Denominator | {_ref(kf.denominator, cat) if kf.denominator else '— (a count)'} |",
        f"| Value | {kf.scale:g} × numerator{' ÷ denominator' if kf.denominator else ''} |",
        f"| Municipality role | {kf.role} |",
        f"| Group aggregation | {kf.aggregation} |",
        f"| Direction | {kf.direction} |",
        f"| Depends on deliveries | {', '.join(contracts)} |",
    ]
    for caveat in kf.caveats:
        lines.append(f"| Caveat | {caveat.da} / {caveat.en} |")
    lines += ["", "<details><summary>SQL (DuckDB)</summary>", "", "```sql"]
    lines += [compile_sql(kf), "```", "", "</details>", ""]
    return lines


def render() -> str:
    """The key-figure catalogue document."""
    cat = catalogue()
    lines = [
        "# Nøgletal / Key figures",
        "",
        "Generated from `src/flis/keyfigures/catalogue/*.yaml` by `flis docs render`; do not edit.",
        "How values, statuses and group values are computed: [keyfigures-method.md]"
        "(keyfigures-method.md).",
        "",
        f"{len(cat.keyfigures)} key figures.",
        "",
        "| id | title | unit | level | aggregation |",
        "|---|---|---|---|---|",
    ]
    for kf in cat.keyfigures.values():
        lines.append(f"| `{kf.id}` | {kf.title.en} | {kf.unit} | {kf.level} | {kf.aggregation} |")
    lines.append("")
    for area, title in _AREAS.items():
        lines += [f"## {title}", ""]
        for kf in cat.keyfigures.values():
            if kf.area == area:
                lines += _figure(kf, cat)
    return "\n".join(lines).rstrip() + "\n"
