"""``flis ingest`` and ``flis deliveries``: exit codes and JSON documents."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from flis.cli import app
from tests.ingest.factories import extract, file_name

runner = CliRunner()


def _json(*args: str) -> tuple[int, dict]:  # type: ignore[type-arg]
    result = runner.invoke(app, [*args, "--json"])
    return result.exit_code, json.loads(result.stdout)


def test_exit_codes_and_listing(inbox: Path) -> None:
    (inbox / file_name("economy")).write_bytes(extract("economy"))
    code, doc = _json("ingest", str(inbox))
    assert code == 0 and doc["deliveries"][0]["status"] == "accepted"
    (inbox / file_name("economy", seq=2)).write_bytes(b"")
    code, doc = _json("ingest", str(inbox))
    assert code == 1
    assert [d["status"] for d in doc["deliveries"]] == ["duplicate", "rejected"]
    code, doc = _json("deliveries")
    assert code == 0 and [d["status"] for d in doc["deliveries"]] == ["accepted", "rejected"]
    code, doc = _json("deliveries", "show", "2")
    assert [f["rule"] for f in doc["findings"]] == ["empty-file"]
    assert doc["findings"][0]["message_en"].startswith("The file is empty.")


def test_usage_error_exits_2(tmp_path: Path) -> None:
    code, doc = _json("ingest", str(tmp_path / "nowhere"))
    assert code == 2 and doc["error"]["kind"] == "usage-error"
    code, doc = _json("deliveries", "show", "99")
    assert code == 2 and doc["error"]["kind"] == "not-found"


def test_matrix(inbox: Path) -> None:
    (inbox / file_name("economy")).write_bytes(extract("economy"))
    (inbox / file_name("cpr")).write_bytes(b"garbage")
    runner.invoke(app, ["ingest", str(inbox), "--received-at", "2024-09-05T10:00"])
    (inbox / file_name("economy", period="2024-09")).write_bytes(
        extract("economy", period="2024-09").replace(b"-08-", b"-09-")
    )
    runner.invoke(app, ["ingest", str(inbox), "--received-at", "2024-11-20T10:00"])
    code, doc = _json("deliveries", "--matrix")
    assert code == 0
    cells = {(c["municipality_code"], c["contract"], c["month"]): c["status"] for c in doc["cells"]}
    assert cells[(461, "economy", "2024-08")] == "present"
    assert cells[(461, "economy", "2024-09")] == "late"
    assert cells[(461, "cpr", "2024-08")] == "rejected"
    assert cells[(101, "economy", "2024-08")] == "missing"
    assert len(cells) == 98 * 6 * 2
    result = runner.invoke(app, ["deliveries", "--matrix"])
    assert result.exit_code == 0 and "rejected: 1" in result.stdout
