"""``flis benchmark`` and ``flis groups``: comparing municipalities and their comparison groups.

The key-figure machinery (numpy, pyarrow) is imported in the commands that use it, so that other
commands do not pay for it on start-up.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import typer
from rich.table import Table
from rich.text import Text

from flis.cli.output import JsonOption, console, emit_json, handled
from flis.errors import UsageError
from flis.keyfigures.similarity_defaults import DEFAULT_K

if TYPE_CHECKING:
    import duckdb

    from flis.keyfigures.benchmark import BenchmarkResult, Comparison
    from flis.keyfigures.groups import Group
    from flis.keyfigures.model import KeyFigure

groups_app = typer.Typer(
    help="Comparison groups: nation, DST groups, regions, similar municipalities, user groups.",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    """Add this stage's commands to the root app."""
    app.command("benchmark")(benchmark_command)
    app.add_typer(groups_app, name="groups")


def find_keyfigure(figure_id: str) -> KeyFigure:
    """The catalogue entry; NotFoundError for an unknown id."""
    from flis.keyfigures.catalogue import keyfigure

    return keyfigure(figure_id)


@contextmanager
def _warehouse(*, write: bool) -> Iterator[duckdb.DuckDBPyConnection]:
    import duckdb

    from flis.settings import load_settings
    from flis.warehouse.connection import WarehouseError, session

    settings = load_settings()
    read_only = not write and settings.warehouse_path.exists()
    try:
        with session(settings, read_only=read_only) as conn:
            yield conn
    except duckdb.Error as exc:
        raise WarehouseError(
            f"{type(exc).__name__}: {exc}",
            hint="is the warehouse built and migrated? run `flis groups build` or the key-figure "
            "build first",
            message_da=f"{type(exc).__name__}: {exc}",
            hint_da="er lageret bygget og migreret? kør `flis groups build` eller "
            "nøgletalsberegningen først",
        ) from None


def benchmark_command(
    municipality: int = typer.Option(..., "--municipality", help="Municipality code, e.g. 461."),
    keyfigure: str = typer.Option(..., "--keyfigure", help="Key-figure id."),
    period: str = typer.Option(..., "--period", help="Month YYYY-MM."),
    group: str = typer.Option(
        "similar",
        "--group",
        help="similar, region, dst, nation, a user group's name or a group id.",
    ),
    as_json: bool = JsonOption,
) -> None:
    """Compare a municipality's key figure with its group, region, the nation and all 98."""
    from flis.keyfigures.benchmark import benchmark

    with handled(as_json), _warehouse(write=False) as conn:
        figure = find_keyfigure(keyfigure)
        result = benchmark(
            conn, municipality=municipality, keyfigure=figure, period=period, group=group
        )
    if as_json:
        emit_json(result.to_dict())
        return
    _print_result(result)


def _table(title: str, columns: list[str], rows: list[list[object]]) -> None:
    """A Rich table whose cells are plain text: ids such as similar:school:461 stay as typed."""
    table = Table(title=title)
    for name in columns:
        table.add_column(name)
    for row in rows:
        table.add_row(*(Text("" if v is None else str(v)) for v in row))
    console.print(table)


def _say(text: str) -> None:
    console.print(Text(text))


def _num(value: float | None) -> str:
    return "–" if value is None else f"{value:,.2f}"


def _print_result(r: BenchmarkResult) -> None:
    _say(
        f"{r.title_en} ({r.keyfigure}, {r.unit}): {r.municipality_name} "
        f"({r.municipality_code}), {r.period}"
    )
    own = ["own", r.municipality_name, _num(r.value), _num(r.numerator), _num(r.denominator), 1]
    rows = [own, *(_comparison_row(label, c) for label, c in _references(r))]
    _table(
        f"Sammenligning / Comparison ({r.aggregation})",
        ["", "name", "value", "numerator", "denominator", "members"],
        rows,
    )
    _say(f"Rank: {r.ranking.statement}")
    if r.ranking.percentile is not None:
        scale = "100 highest" if r.direction == "neutral" else "100 best"
        _say(f"Percentile: {r.ranking.percentile:.0f} ({scale})")
    c = r.change
    if c.reason and c.absolute is None:
        _say(f"Change since {c.previous_period}: – ({c.reason})")
    else:
        rel = "" if c.relative is None else f" ({100 * c.relative:+.1f} %)"
        word = f", {c.assessment}" if c.assessment else ""
        _say(f"Change since {c.previous_period}: {_num(c.absolute)}{rel}{word}")
    _table(
        f"Medlemmer / Members of {r.group.group_id}",
        ["code", "name", "distance", "neighbour rank", "value", "status"],
        [
            [m.municipality_code, m.name, m.distance, m.neighbour_rank, _num(m.value), m.status]
            for m in r.members
        ],
    )


def _references(r: BenchmarkResult) -> list[tuple[str, Comparison]]:
    return [("group", r.group), ("region", r.region), ("nation", r.nation)]


def _comparison_row(label: str, c: Comparison) -> list[object]:
    members = f"{c.members} of {c.size}"
    return [
        label,
        c.group_id if c.kind == "similar" else c.name,
        _num(c.value),
        _num(c.numerator),
        _num(c.denominator),
        members,
    ]


@groups_app.command("list")
def list_command(
    kind: str = typer.Option(None, "--kind", help="Only nation, dst, region, similar or user."),
    as_json: bool = JsonOption,
) -> None:
    """List comparison groups with their members."""
    from flis.keyfigures.groups import list_groups

    with handled(as_json), _warehouse(write=False) as conn:
        items = list_groups(conn, kind=kind)
    if as_json:
        emit_json({"groups": [g.to_dict() for g in items]})
        return
    _table(
        "Sammenligningsgrupper / Comparison groups",
        ["id", "kind", "name", "members", "owner"],
        [[g.group_id, g.kind, g.name, _codes(g), g.owner] for g in items],
    )


def _codes(group: Group) -> str:
    return ",".join(str(c) for c in group.codes)


@groups_app.command("show")
def show_command(
    group: str = typer.Argument(..., help="A group id (region:1084) or a user group's name."),
    as_json: bool = JsonOption,
) -> None:
    """Show one group and its members (with distance for similar groups)."""
    from flis.keyfigures.groups import get_group

    with handled(as_json), _warehouse(write=False) as conn:
        found = get_group(conn, group)
    if as_json:
        emit_json(found.to_dict())
        return
    _print_group(found)


def _print_group(g: Group) -> None:
    details = [g.kind, g.area, g.method_version, g.owner, g.description]
    _say(f"{g.group_id}: {g.name}")
    _say(" · ".join(str(d) for d in details if d))
    _table(
        "Medlemmer / Members",
        ["code", "name", "distance", "rank"],
        [[m.municipality_code, m.name, m.distance, m.rank] for m in g.members],
    )


@groups_app.command("create")
def create_command(
    name: str = typer.Argument(..., help="Group name: lower-case letters, digits, - and _."),
    members: str = typer.Option(..., "--members", help="Municipality codes: 101,461,751."),
    description: str = typer.Option(None, "--description", help="What the group is for."),
    owner: str = typer.Option(None, "--owner", help="Who maintains the group."),
    as_json: bool = JsonOption,
) -> None:
    """Create a user-defined group (a key-figure collaboration)."""
    from flis.keyfigures.groups import create_group

    with handled(as_json), _warehouse(write=True) as conn:
        codes = _parse_codes(members)
        created = create_group(conn, name=name, members=codes, description=description, owner=owner)
    if as_json:
        emit_json(created.to_dict())
        return
    _say(f"created {created.group_id} with {len(created.members)} members")


def _parse_codes(text: str) -> list[int]:
    try:
        return [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise UsageError(
            f"'{text}' is not a list of municipality codes",
            hint="e.g. --members 101,461,751",
            message_da=f"'{text}' er ikke en liste af kommunekoder",
            hint_da="fx --members 101,461,751",
        ) from None


@groups_app.command("delete")
def delete_command(
    name: str = typer.Argument(..., help="The user group's name (or user:<name>)."),
    as_json: bool = JsonOption,
) -> None:
    """Delete a user-defined group."""
    from flis.keyfigures.groups import delete_group

    with handled(as_json), _warehouse(write=True) as conn:
        deleted = delete_group(conn, name=name)
    if as_json:
        emit_json({"deleted": deleted.to_dict()})
        return
    _say(f"deleted {deleted.group_id}")


@groups_app.command("build")
def build_command(
    k: int = typer.Option(DEFAULT_K, "--k", help="Nearest neighbours per municipality and area."),
    month: str = typer.Option(None, "--month", help="Reference month (default: latest CPR)."),
    as_json: bool = JsonOption,
) -> None:
    """Rebuild the similar-municipality groups per area; store nation, DST and region groups."""
    from flis.keyfigures.similarity import build_similarity

    with handled(as_json), _warehouse(write=True) as conn:
        report = build_similarity(conn, k=k, month=month)
    if as_json:
        emit_json(report.to_dict())
        return
    _say(
        f"built {report.groups} groups, method {report.method_version}, "
        f"reference month {report.month}, k = {report.k}"
    )
    if report.imputed:
        _say(f"{len(report.imputed)} inputs had no data and were set to the mean (z = 0)")
