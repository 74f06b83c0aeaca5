"""``$filter`` and ``$orderby`` to SQL: columns from a whitelist, every literal a parameter."""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field

from flis.errors import UsageError

_TOKEN = re.compile(
    r"\s*(?:(?P<str>'(?:[^']|'')*')|(?P<num>-?\d+(?:\.\d+)?)(?![\w-])|(?P<lp>\()|(?P<rp>\))"
    r"|(?P<word>[A-Za-z_][A-Za-z0-9_]*))"
)
_COMPARE = {"eq": "=", "ne": "<>", "gt": ">", "ge": ">=", "lt": "<", "le": "<="}
_KEYWORDS = {"and", "or", "not", "true", "false", "null", *_COMPARE}


class BadQuery(UsageError):
    kind = "bad-odata-query"

    def __init__(self, message: str, *, message_da: str) -> None:
        super().__init__(
            message,
            hint="docs/api.md lists the supported OData query options",
            message_da=message_da,
            hint_da="docs/api.md viser de understøttede OData-forespørgselsparametre",
        )


def tokens(text: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    pos = 0
    text = text.rstrip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise BadQuery(
                f"cannot read $filter at character {pos + 1}",
                message_da=f"kan ikke læse $filter ved tegn {pos + 1}",
            )
        kind = m.lastgroup or ""
        out.append((kind, m.group(kind)))
        pos = m.end()
    return out


@dataclass
class _Parser:
    items: list[tuple[str, str]]
    columns: Collection[str]
    params: list[object] = field(default_factory=list)
    pos: int = 0

    def peek(self) -> tuple[str, str] | None:
        return self.items[self.pos] if self.pos < len(self.items) else None

    def take(self) -> tuple[str, str]:
        item = self.peek()
        if item is None:
            raise BadQuery("$filter ends too early", message_da="$filter slutter for tidligt")
        self.pos += 1
        return item

    def word(self, *words: str) -> str | None:
        item = self.peek()
        if item and item[0] == "word" and item[1].lower() in words:
            self.pos += 1
            return item[1].lower()
        return None

    def disjunction(self) -> str:
        parts = [self.conjunction()]
        while self.word("or"):
            parts.append(self.conjunction())
        return parts[0] if len(parts) == 1 else "(" + " OR ".join(parts) + ")"

    def conjunction(self) -> str:
        parts = [self.negation()]
        while self.word("and"):
            parts.append(self.negation())
        return parts[0] if len(parts) == 1 else "(" + " AND ".join(parts) + ")"

    def negation(self) -> str:
        if self.word("not"):
            return f"(NOT {self.negation()})"
        if self.peek() == ("lp", "("):
            self.pos += 1
            inner = self.disjunction()
            if self.take() != ("rp", ")"):
                raise BadQuery(
                    "a parenthesis in $filter is not closed",
                    message_da="en parentes i $filter er ikke lukket",
                )
            return inner
        return self.comparison()

    def comparison(self) -> str:
        left = self.operand()
        op = self.word(*_COMPARE)
        if op is None:
            raise BadQuery(
                "$filter expects eq, ne, gt, ge, lt or le after an operand",
                message_da="$filter forventer eq, ne, gt, ge, lt eller le efter en operand",
            )
        right = self.operand()
        if "NULL" in (left, right) and op in ("eq", "ne"):
            other = right if left == "NULL" else left
            return f"({other} IS {'NOT ' if op == 'ne' else ''}NULL)"
        return f"({left} {_COMPARE[op]} {right})"

    def operand(self) -> str:
        kind, text = self.take()
        if kind == "str":
            self.params.append(text[1:-1].replace("''", "'"))
            return "?"
        if kind == "num":
            self.params.append(float(text) if "." in text else int(text))
            return "?"
        if kind == "word" and text.lower() in ("true", "false"):
            self.params.append(text.lower() == "true")
            return "?"
        if kind == "word" and text.lower() == "null":
            return "NULL"
        if kind == "word" and text in self.columns and text.lower() not in _KEYWORDS:
            return f'"{text}"'
        raise BadQuery(
            f"'{text}' is not a property or literal here",
            message_da=f"'{text}' er hverken en egenskab eller en værdi her",
        )


def filter_sql(text: str, columns: Collection[str]) -> tuple[str, list[object]]:
    """``$filter`` → (SQL condition, parameters); only names in ``columns`` may appear."""
    parser = _Parser(tokens(text), columns)
    sql = parser.disjunction()
    if parser.peek() is not None:
        extra = parser.peek()[1]  # type: ignore[index]
        raise BadQuery(
            f"unexpected '{extra}' in $filter", message_da=f"uventet '{extra}' i $filter"
        )
    return sql, parser.params


def orderby_sql(text: str, columns: Collection[str]) -> str:
    """``$orderby=a desc,b`` → ``"a" DESC, "b" ASC``."""
    parts = []
    for item in text.split(","):
        words = item.split()
        if not words or len(words) > 2 or words[0] not in columns:
            raise BadQuery(
                f"cannot order by '{item.strip()}'",
                message_da=f"kan ikke sortere efter '{item.strip()}'",
            )
        direction = words[1].lower() if len(words) == 2 else "asc"
        if direction not in ("asc", "desc"):
            raise BadQuery(
                f"order '{direction}' is neither asc nor desc",
                message_da=f"sorteringen '{direction}' er hverken asc eller desc",
            )
        parts.append(f'"{words[0]}" {direction.upper()}')
    return ", ".join(parts)


def select_columns(text: str, columns: Collection[str]) -> list[str]:
    chosen = [c.strip() for c in text.split(",") if c.strip()]
    unknown = [c for c in chosen if c not in columns]
    if unknown:
        raise BadQuery(
            f"unknown properties in $select: {', '.join(unknown)}",
            message_da=f"ukendte egenskaber i $select: {', '.join(unknown)}",
        )
    return chosen
