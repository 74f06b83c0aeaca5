"""Start-up cost: what every ``flis`` command imports before it does anything.

Each test runs a fresh interpreter, since this process has long imported everything.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

#: Third-party packages that only some commands need (the API server, exports, the key-figure
#: compiler, release checks); pandas and scipy are not even runtime dependencies.
HEAVY = {
    "fastapi",
    "frictionless",
    "jinja2",
    "openpyxl",
    "pandas",
    "scipy",
    "sqlglot",
    "starlette",
    "uvicorn",
}
#: flis packages only their own commands need.
MACHINERY = ("flis.api", "flis.cockpit", "flis.docsgen", "flis.keyfigures", "flis.release")
#: ... except these light modules, whose constants appear in ``--help`` texts (and the packages
#: above them, whose ``__init__`` is only a docstring).
ALLOWED = {
    "flis.keyfigures",
    "flis.keyfigures.similarity_defaults",
    "flis.release",
    "flis.release.subscriptions",
}


def _imported_after(code: str) -> list[str]:
    """The modules a fresh interpreter holds after running ``code``."""
    script = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", script], check=True, capture_output=True, text=True
    ).stdout
    modules: list[str] = json.loads(out.splitlines()[-1])
    return modules


def _offenders(modules: list[str]) -> list[str]:
    heavy = sorted({m.split(".")[0] for m in modules} & HEAVY)
    machinery = [
        m
        for m in modules
        if m not in ALLOWED and (m + ".").startswith(tuple(p + "." for p in MACHINERY))
    ]
    return heavy + machinery


def test_the_cli_imports_no_heavy_package_until_a_command_needs_it() -> None:
    # get_command builds every command and its options, as `flis --help` does.
    modules = _imported_after(
        "import typer.main\nimport flis.cli\ntyper.main.get_command(flis.cli.app)"
    )
    assert "flis.cli.app" in modules
    assert _offenders(modules) == []


def test_opening_a_fresh_warehouse_does_not_import_pandas(tmp_path: Path) -> None:
    # pyarrow imports pandas (≈2 s without bytecode) as soon as it converts Python values.
    path = tmp_path / "warehouse.duckdb"
    modules = _imported_after(
        "from flis.warehouse.connection import open_warehouse\n"
        f"open_warehouse({str(path)!r}).close()"
    )
    assert "duckdb" in modules
    assert path.exists()
    assert [m for m in modules if m.split(".")[0] in {"pandas", "pyarrow"}] == []


def test_ingesting_does_not_import_pandas(tmp_path: Path) -> None:
    """Ingest builds its Arrow arrays from numpy buffers and its small tables from list
    parameters: ``pyarrow.array`` would import pandas, a third of a second of every run."""
    from tests.ingest.factories import extract, file_name

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for contract in ("cpr", "school", "payroll-employment", "economy"):
        (inbox / file_name(contract, municipality=461)).write_bytes(
            extract(contract, municipality=461, n=3)
        )
    home = tmp_path / "home"
    modules = _imported_after(
        "import os\n"
        f"os.environ.update(FLIS_HOME={str(home)!r}, FLIS_DEMO='1')\n"
        "from pathlib import Path\n"
        "from flis.ingest.pipeline import ingest_paths\n"
        "from flis.settings import load_settings\n"
        f"outcomes = ingest_paths([Path({str(inbox)!r})], settings=load_settings())\n"
        "assert {o.status for o in outcomes} == {'accepted'}, [o.to_dict() for o in outcomes]"
    )
    assert "flis.ingest.pipeline" in modules
    assert [m for m in modules if m.split(".")[0] == "pandas"] == []
