"""Comparison groups: reading every kind, and user-defined groups (a key-figure collaboration).

Group ids: ``nation``, ``dst:<n>``, ``region:<code>``, ``similar:<area>:<code>`` (built by
``similarity.build_similarity``) and ``user:<name>`` (created here).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from functools import cache
from typing import Any

import duckdb

from flis.errors import NotFoundError, UsageError
from flis.reference import municipalities

MIN_MEMBERS = 2
_NAME = re.compile(r"^[a-z0-9æøå][a-z0-9æøå_-]{0,62}$")
_COLUMNS = (
    "g.group_id, g.kind, g.name, g.area, g.anchor_municipality, g.method_version, g.owner, "
    "g.description, g.created_at, m.municipality_code, m.distance, m.rank"
)


class GroupError(UsageError):
    """A user-defined group cannot be created or deleted as asked."""

    kind = "group-error"


class UnknownGroup(NotFoundError):
    kind = "unknown-group"

    def __init__(self, group_id: str) -> None:
        similar = group_id.startswith("similar:")
        hint = (
            "build the similarity groups with `flis groups build`"
            if similar
            else "see `flis groups list`; groups are similar, region, dst, a user group's name "
            "or a full id such as region:1084"
        )
        hint_da = (
            "byg grupperne af sammenlignelige kommuner med `flis groups build`"
            if similar
            else "se `flis groups list`; grupper er similar, region, dst, en brugergruppes navn "
            "eller et fuldt id som region:1084"
        )
        super().__init__(
            f"unknown comparison group '{group_id}'",
            hint=hint,
            message_da=f"ukendt sammenligningsgruppe '{group_id}'",
            hint_da=hint_da,
        )
        self.group_id = group_id


class BadGroupName(GroupError):
    kind = "bad-group-name"

    def __init__(self, name: str) -> None:
        super().__init__(
            f"'{name}' is not a valid group name",
            hint="use 1–63 lower-case letters, digits, '-' or '_', e.g. seks-byer",
            message_da=f"'{name}' er ikke et gyldigt gruppenavn",
            hint_da="brug 1–63 små bogstaver, cifre, '-' eller '_', fx seks-byer",
        )
        self.name = name


class DuplicateGroup(GroupError):
    kind = "duplicate-group"
    http_status = 409

    def __init__(self, name: str) -> None:
        super().__init__(
            f"a group named '{name}' already exists",
            hint="choose another name, or delete the old group first",
            message_da=f"der findes allerede en gruppe med navnet '{name}'",
            hint_da="vælg et andet navn, eller slet den gamle gruppe først",
        )
        self.name = name


class UnknownMember(GroupError):
    kind = "unknown-municipality"

    def __init__(self, codes: list[int]) -> None:
        listed = ", ".join(str(c) for c in codes)
        super().__init__(
            f"unknown municipality code(s) {listed}",
            hint="members are 3-digit municipality codes; see `flis municipalities`",
            message_da=f"ukendt(e) kommunekode(r) {listed}",
            hint_da="medlemmer er 3-cifrede kommunekoder; se `flis municipalities`",
        )
        self.codes = codes


class TooFewMembers(GroupError):
    kind = "too-few-members"

    def __init__(self, count: int) -> None:
        super().__init__(
            f"a group needs at least {MIN_MEMBERS} municipalities, got {count}",
            hint="list the members comma-separated, e.g. 101,461,751",
            message_da=f"en gruppe skal have mindst {MIN_MEMBERS} kommuner, fik {count}",
            hint_da="skriv medlemmerne adskilt af komma, fx 101,461,751",
        )
        self.count = count


class NotUserGroup(GroupError):
    kind = "not-a-user-group"

    def __init__(self, group_id: str) -> None:
        super().__init__(
            f"'{group_id}' is built from reference data and cannot be deleted",
            hint="only user groups (user:<name>) are deleted by hand",
            message_da=f"'{group_id}' er bygget af referencedata og kan ikke slettes",
            hint_da="kun brugergrupper (user:<navn>) slettes i hånden",
        )
        self.group_id = group_id


@dataclass(frozen=True)
class GroupMember:
    municipality_code: int
    name: str
    distance: float | None  # similar groups: rebased distance to the anchor, 0–1
    rank: int | None  # similar groups: 1 = most similar


@dataclass(frozen=True)
class Group:
    """One comparison group and its members."""

    group_id: str
    kind: str  # nation | dst | region | similar | user
    name: str
    members: tuple[GroupMember, ...]
    area: str | None = None
    anchor_municipality: int | None = None
    method_version: str | None = None
    owner: str | None = None
    description: str | None = None
    created_at: dt.datetime | None = None

    @property
    def codes(self) -> tuple[int, ...]:
        return tuple(m.municipality_code for m in self.members)

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["created_at"] = self.created_at.isoformat() if self.created_at else None
        return out


@cache
def _names() -> dict[int, str]:
    return {m.code: m.name for m in municipalities()}


def group_id_for(ref: str) -> str:
    """``nation`` and full ids (with ``:``) unchanged; a user group's name → ``user:<name>``."""
    return ref if ":" in ref or ref == "nation" else f"user:{ref}"


def get_group(conn: duckdb.DuckDBPyConnection, ref: str) -> Group:
    """One group by full id or user-group name, with its members.

    Region and DST groups come from the reference data (``dim.municipality`` is seeded from it).

    Raises:
        UnknownGroup: no such group.
    """
    gid = group_id_for(ref)
    if gid in reference_groups():  # the same data as dim.municipality, without a query
        return reference_groups()[gid]
    rows = conn.execute(
        f'SELECT {_COLUMNS} FROM keyfigures.group_member m, keyfigures."group" g '
        "WHERE m.group_id = $1 AND g.group_id = $1",
        [gid],
    ).fetchall()
    if not rows:
        raise UnknownGroup(gid)
    return _from_rows(sorted(rows, key=_member_order))


def _member_order(row: tuple[Any, ...]) -> tuple[int, int]:
    rank = row[11]
    return (rank if rank is not None else 1 << 30, row[9])


def list_groups(conn: duckdb.DuckDBPyConnection, *, kind: str | None = None) -> list[Group]:
    """Every stored group (or those of one kind) ordered by kind and id; reference groups too."""
    rows = conn.execute(
        f'SELECT {_COLUMNS} FROM keyfigures."group" g LEFT JOIN keyfigures.group_member m '
        "USING (group_id) WHERE (? IS NULL OR g.kind = ?) "
        "AND g.kind NOT IN ('nation', 'dst', 'region') "
        "ORDER BY g.group_id, m.rank NULLS LAST, m.municipality_code",
        [kind, kind],
    ).fetchall()
    by_id: dict[str, list[tuple[Any, ...]]] = {}
    for row in rows:
        by_id.setdefault(row[0], []).append(row)
    found = {gid: _from_rows(r) for gid, r in by_id.items()}
    for gid, group in reference_groups().items():
        if kind in (None, group.kind):
            found[gid] = group
    order = {"nation": 0, "dst": 1, "region": 2, "user": 3, "similar": 4}
    return sorted(found.values(), key=lambda g: (order.get(g.kind, 9), _sort_key(g.group_id)))


def _sort_key(group_id: str) -> tuple[tuple[int, int, str], ...]:
    """Numeric parts in numeric order, other parts by text (``user:2024`` and ``user:x`` mix)."""
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in group_id.split(":"))


def _from_rows(rows: list[tuple[Any, ...]]) -> Group:
    head = rows[0]
    members = tuple(
        GroupMember(int(r[9]), _names().get(int(r[9]), "?"), r[10], r[11])
        for r in rows
        if r[9] is not None
    )
    gid, kind, name, area, anchor, version, owner, description, created = head[:9]
    return Group(gid, kind, name, members, area, anchor, version, owner, description, created)


@cache
def reference_groups() -> dict[str, Group]:
    """The nation, the regions and the DST groups as the reference data define them."""
    names: dict[str, tuple[str, str]] = {"nation": ("nation", "Hele landet")}
    members: dict[str, list[GroupMember]] = {}
    for m in municipalities():
        member = GroupMember(m.code, m.name, None, None)
        members.setdefault("nation", []).append(member)
        for kind, code, name in (
            ("region", m.region_code, m.region_name),
            ("dst", m.dst_group_code, m.dst_group),
        ):
            names[f"{kind}:{code}"] = (kind, name)
            members.setdefault(f"{kind}:{code}", []).append(member)
    text = {
        "nation": "All 98 municipalities",
        "region": "Region",
        "dst": "Statistics Denmark's municipality group",
    }
    return {
        gid: Group(gid, *names[gid], tuple(ms), description=text[names[gid][0]])
        for gid, ms in sorted(members.items(), key=lambda item: _sort_key(item[0]))
    }


def create_group(
    conn: duckdb.DuckDBPyConnection,
    *,
    name: str,
    members: Iterable[int],
    description: str | None = None,
    owner: str | None = None,
) -> Group:
    """Store a user-defined group ``user:<name>``.

    Args:
        conn: a migrated warehouse.
        name: lower-case slug, e.g. ``seks-byer``.
        members: municipality codes (duplicates are ignored).
        description: what the collaboration is for.
        owner: who maintains it (a person, a municipality or a network).

    Returns:
        The stored group.

    Raises:
        BadGroupName, UnknownMember, TooFewMembers, DuplicateGroup.
    """
    if not _NAME.match(name):
        raise BadGroupName(name)
    codes = sorted(set(members))
    unknown = [c for c in codes if c not in _names()]
    if unknown:
        raise UnknownMember(unknown)
    if len(codes) < MIN_MEMBERS:
        raise TooFewMembers(len(codes))
    gid = group_id_for(name)
    exists = conn.execute('SELECT 1 FROM keyfigures."group" WHERE group_id = ?', [gid]).fetchone()
    if exists:
        raise DuplicateGroup(name)
    conn.execute("BEGIN TRANSACTION")
    try:
        conn.execute(
            "INSERT INTO keyfigures.\"group\" VALUES (?, 'user', ?, NULL, NULL, NULL, ?, ?, ?)",
            [gid, name, owner, description, dt.datetime.now(dt.UTC).replace(tzinfo=None)],
        )
        conn.executemany(
            "INSERT INTO keyfigures.group_member VALUES (?, ?, NULL, NULL)",
            [[gid, c] for c in codes],
        )
        conn.execute("COMMIT")
    except Exception:
        conn.execute("ROLLBACK")
        raise
    return get_group(conn, gid)


def delete_group(conn: duckdb.DuckDBPyConnection, *, name: str) -> Group:
    """Delete a user-defined group (by name or ``user:<name>``); return what was deleted.

    Raises:
        UnknownGroup: no such group.
        NotUserGroup: the group is built (similar, region, DST), not user-defined.
    """
    group = get_group(conn, name)
    if group.kind != "user":
        raise NotUserGroup(group.group_id)
    conn.execute("BEGIN TRANSACTION")
    try:
        conn.execute("DELETE FROM keyfigures.group_member WHERE group_id = ?", [group.group_id])
        conn.execute('DELETE FROM keyfigures."group" WHERE group_id = ?', [group.group_id])
        conn.execute("COMMIT")
    except Exception:
        conn.execute("ROLLBACK")
        raise
    return group
