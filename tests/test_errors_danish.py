"""Every error flis raises on purpose can be said in Danish: each construction passes message_da.

The scan reads the source (no imports): it finds the FlisError subclasses by their ``class``
statements and then every call that constructs one. A class whose ``__init__`` words its own
message (``UnknownRelease(release_id)``) must pass ``message_da`` to ``super().__init__`` instead.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pydantic
import pytest

from flis.errors import ConfigError, validation_da

SRC = Path(__file__).parents[1] / "src"

#: Files (or folders, ending in /) whose English-only errors are known, each with its reason.
#: An entry whose errors are all Danish must leave the list (test_the_allow_list_is_still_needed).
ALLOWED: dict[str, str] = {}


@dataclass(frozen=True)
class Finding:
    where: str
    line: int
    what: str

    def __str__(self) -> str:
        return f"{self.where}:{self.line}: {self.what}"


def _name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    return node.attr if isinstance(node, ast.Attribute) else None


def _init(cls: ast.ClassDef) -> ast.FunctionDef | None:
    return next(
        (s for s in cls.body if isinstance(s, ast.FunctionDef) and s.name == "__init__"), None
    )


def _error_classes(trees: dict[str, ast.Module]) -> dict[str, ast.ClassDef]:
    """Every FlisError subclass (and FlisError itself) by name."""
    classes = {
        n.name: n for t in trees.values() for n in ast.walk(t) if isinstance(n, ast.ClassDef)
    }
    errors = {"FlisError"}
    grown = True
    while grown:
        found = {
            name
            for name, cls in classes.items()
            if any(_name(b) in errors for b in cls.bases) and name not in errors
        }
        errors |= found
        grown = bool(found)
    return {name: classes[name] for name in errors}


def _constructor(name: str, classes: dict[str, ast.ClassDef]) -> ast.FunctionDef | None:
    """The ``__init__`` a construction of ``name`` runs (its own or the nearest ancestor's)."""
    cls = classes[name]
    own = _init(cls)
    if own is not None:
        return own
    parents = [b for b in (_name(b) for b in cls.bases) if b in classes]
    return _constructor(parents[0], classes) if parents else None


def _passes_danish(call: ast.Call) -> bool:
    """``message_da`` is given (not as None), and ``hint_da`` too when there is a ``hint``."""
    given = {kw.arg: kw.value for kw in call.keywords}
    if None in given:  # **kwargs: forwarded, checked where they are built
        return True
    message_da = given.get("message_da")
    if message_da is None or (isinstance(message_da, ast.Constant) and message_da.value is None):
        return False
    return "hint" not in given or "hint_da" in given


def _danish_default(init: ast.FunctionDef) -> ast.expr | None:
    """The default of ``message_da`` in ``init``'s signature, if it has one."""
    args = init.args
    positional = dict(zip(reversed(args.args), reversed(args.defaults), strict=False))
    keyword = dict(zip(args.kwonlyargs, args.kw_defaults, strict=True))
    defaults = {a.arg: d for a, d in (positional | keyword).items() if d is not None}
    return defaults.get("message_da")


def _english_only_call(call: ast.Call, classes: dict[str, ast.ClassDef]) -> bool:
    name = _name(call.func)
    if name not in classes:
        return False
    init = _constructor(str(name), classes)
    params = [a.arg for a in (init.args.args + init.args.kwonlyargs)] if init else []
    if init is None or "message_da" not in params:
        return False  # the class words its own message; its __init__ is checked instead
    if not call.args and not call.keywords:  # all defaults: a Danish default will do
        default = _danish_default(init)
        return default is None or (isinstance(default, ast.Constant) and default.value is None)
    return not _passes_danish(call)


def _is_super_init(call: ast.Call) -> bool:
    func = call.func
    return (
        isinstance(func, ast.Attribute)
        and func.attr == "__init__"
        and isinstance(func.value, ast.Call)
        and _name(func.value.func) == "super"
    )


def _own_init_findings(where: str, cls: ast.ClassDef) -> list[Finding]:
    init = _init(cls)
    calls = [c for c in ast.walk(init) if isinstance(c, ast.Call)] if init else []
    return [
        Finding(where, c.lineno, f"{cls.name}.__init__")
        for c in calls
        if _is_super_init(c) and not _passes_danish(c)
    ]


def english_only(trees: dict[str, ast.Module]) -> list[Finding]:
    """Constructions of FlisError subclasses, and their own ``__init__``s, without Danish."""
    classes = _error_classes(trees)
    found: list[Finding] = []
    for where, tree in sorted(trees.items()):
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef) and node.name in classes:
                if node.name != "FlisError":  # its __init__ is Exception's
                    found += _own_init_findings(where, node)
            elif isinstance(node, ast.Call) and _english_only_call(node, classes):
                found.append(Finding(where, node.lineno, str(_name(node.func))))
    return found


def _source_trees() -> dict[str, ast.Module]:
    return {
        path.relative_to(SRC).as_posix(): ast.parse(path.read_text("utf-8"), str(path))
        for path in sorted((SRC / "flis").rglob("*.py"))
    }


def _allowed(where: str) -> bool:
    return any(where == key or (key.endswith("/") and where.startswith(key)) for key in ALLOWED)


def test_every_error_outside_the_allow_list_passes_a_danish_message() -> None:
    findings = [f for f in english_only(_source_trees()) if not _allowed(f.where)]
    assert findings == [], (
        "English-only errors (pass message_da=, and hint_da= where there is a hint):\n"
        + "\n".join(map(str, findings))
    )


def test_the_allow_list_is_still_needed() -> None:
    findings = english_only(_source_trees())
    done = [
        key
        for key in ALLOWED
        if not any(_allowed(f.where) and f.where.startswith(key) for f in findings)
    ]
    assert done == [], f"all Danish now; take them off ALLOWED: {done}"


def _scan(snippet: str) -> list[str]:
    base = (
        "class FlisError(Exception):\n"
        "    def __init__(self, message, *, hint=None, message_da=None, hint_da=None): ...\n"
        "class UsageError(FlisError): ...\n"
    )
    tree = ast.parse(base + snippet)
    return [f.what for f in english_only({"flis/example.py": tree})]


@pytest.mark.parametrize(
    ("snippet", "expected"),
    [
        ("raise UsageError('bad')", ["UsageError"]),
        ("raise UsageError('bad', hint='fix it')", ["UsageError"]),
        ("raise UsageError('bad', message_da=None)", ["UsageError"]),
        ("raise errors.UsageError('bad')", ["UsageError"]),
        ("raise UsageError('bad', message_da='forkert')", []),
        ("raise UsageError('bad', hint='fix', message_da='forkert')", ["UsageError"]),
        ("raise UsageError('bad', hint='fix', message_da='forkert', hint_da='ret')", []),
        ("raise UsageError('bad', **texts)", []),
        (
            "class Closed(UsageError):\n"
            "    def __init__(self, period):\n"
            "        super().__init__(f'{period} is closed')\n"
            "raise Closed('2025-01')",
            ["Closed.__init__"],
        ),
        (
            "class Closed(UsageError):\n"
            "    def __init__(self, period):\n"
            "        super().__init__(f'{period} is closed', message_da=f'{period} er lukket')\n"
            "raise Closed('2025-01')",
            [],
        ),
        (
            "class Refused(FlisError):\n"
            "    def __init__(self, message='no', *, message_da='nej'):\n"
            "        super().__init__(message, message_da=message_da)\n"
            "raise Refused()\n"
            "raise Refused('not you')",
            ["Refused"],
        ),
        ("raise ValueError('not ours')", []),
    ],
    ids=[
        "english-only",
        "english-hint-only",
        "danish-none",
        "qualified-name",
        "danish",
        "danish-without-danish-hint",
        "danish-with-danish-hint",
        "forwarded-kwargs",
        "self-worded-english",
        "self-worded-danish",
        "default-danish-but-own-english",
        "not-a-flis-error",
    ],
)
def test_the_scan_finds_english_only_constructions(snippet: str, expected: list[str]) -> None:
    assert _scan(snippet) == expected


class _Entry(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="forbid")
    id: str
    months: int = pydantic.Field(ge=1)
    kind: str = pydantic.Field(pattern="^(flow|stock)$")


def test_pydantic_findings_are_said_in_danish_field_by_field() -> None:
    with pytest.raises(pydantic.ValidationError) as caught:
        _Entry.model_validate({"months": 0, "kind": "x", "colour": "red"})
    assert validation_da(caught.value) == (
        "4 fejl: id: mangler; months: skal være mindst 1; "
        "kind: skal passe til mønsteret ^(flow|stock)$; colour: er ikke et kendt felt"
    )


def test_a_config_error_puts_its_location_before_the_danish_message_too() -> None:
    error = ConfigError("bad", location="x.yaml: k", message_da="forkert")
    assert (error.message_in("da"), error.message_in("en")) == (
        "x.yaml: k: forkert",
        "x.yaml: k: bad",
    )
