"""The generator end to end, on small worlds: files, determinism, subsets, scale and faults."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from flis.sources.catalogue import contract
from flis.sources.generator.run import generate
from tests.sources.strict_reader import check_file

SCALE = 0.005
MONTHS = ["2025-05", "2025-06"]
FAULT_MONTHS = ("2025-05", "2025-06", "2025-07")

MakeWorld = Callable[..., tuple[Path, dict[str, Any]]]


@pytest.fixture(scope="module")
def make_world(tmp_path_factory: pytest.TempPathFactory) -> MakeWorld:
    cache: dict[tuple[Any, ...], tuple[Path, dict[str, Any]]] = {}

    def make(
        *,
        scale: float = SCALE,
        months: tuple[str, ...] = tuple(MONTHS),
        seed: int = 7,
        municipalities: tuple[int, ...] | None = None,
        faults: str = "none",
        copy: int = 0,
    ) -> tuple[Path, dict[str, Any]]:
        key = (scale, months, seed, municipalities, faults, copy)
        if key not in cache:
            out = tmp_path_factory.mktemp("world")
            manifest = generate(
                out=out,
                scale=scale,
                months=list(months),
                seed=seed,
                municipalities=list(municipalities) if municipalities else None,
                fault_mode=faults,
            )
            cache[key] = (out, manifest)
        return cache[key]

    return make


def _files(manifest: dict[str, Any]) -> dict[str, str]:
    return {f["path"]: f["sha256"] for f in manifest["files"]}


def test_every_generated_file_parses_under_its_contract(make_world: MakeWorld) -> None:
    out, manifest = make_world()
    assert len(manifest["files"]) == 98 * 6 * len(MONTHS)
    for f in manifest["files"]:
        count, errors = check_file(out / f["path"], contract(f["contract"]))
        assert errors == [], f["path"]
        assert count == f["records"]


def test_layout_is_source_municipality_month(make_world: MakeWorld) -> None:
    out, _ = make_world()
    assert (out / "economy/461/2025-05/OEKONOMI_0461_202505_01.csv").exists()
    assert (out / "cpr/101/2025-06/CPR_0101_202506_01.txt").exists()
    assert (out / "school/851/2025-06/SKOLE_0851_202506_01.jsonl").exists()
    assert (out / "manifest.json").exists()


def test_same_arguments_give_byte_identical_files(make_world: MakeWorld) -> None:
    _, first = make_world(faults="realistic", months=FAULT_MONTHS)
    _, again = make_world(faults="realistic", months=FAULT_MONTHS, copy=1)
    assert _files(first) == _files(again)


def test_a_subset_writes_the_same_files_as_the_whole_country(make_world: MakeWorld) -> None:
    _, whole = make_world()
    _, subset = make_world(municipalities=(101, 461))
    sub = _files(subset)
    assert {p.split("/")[1] for p in sub} == {"101", "461"}
    assert sub == {p: h for p, h in _files(whole).items() if p.split("/")[1] in {"101", "461"}}


def test_record_counts_grow_with_scale(make_world: MakeWorld) -> None:
    _, small = make_world()
    _, double = make_world(
        months=(MONTHS[0],), scale=2 * SCALE, municipalities=(101, 147, 461, 751, 851)
    )

    def residents(manifest: dict[str, Any], codes: set[int]) -> int:
        return sum(
            f["records"]
            for f in manifest["files"]
            if f["contract"] == "cpr" and f["period"] == MONTHS[0] and f["municipality"] in codes
        )

    codes = {101, 147, 461, 751, 851}
    assert 1.85 < residents(double, codes) / residents(small, codes) < 2.15


def test_no_faults_are_injected_with_faults_none(make_world: MakeWorld) -> None:
    out, _ = make_world()
    assert json.loads((out / "faults.json").read_text()) == {"faults": []}


def test_faults_json_lists_exactly_what_was_injected(make_world: MakeWorld) -> None:
    out, manifest = make_world(faults="realistic", months=FAULT_MONTHS)
    faults = json.loads((out / "faults.json").read_text())["faults"]
    kinds = {f["kind"] for f in faults}
    assert kinds >= {
        "missing-delivery",
        "duplicate-file",
        "re-delivery",
        "latin-1-file",
        "truncated-file",
        "decimal-point",
        "unknown-code-staff-category",
        "unknown-code-absence-type",
        "date-outside-period",
        "double-enrolment",
        "grade-level-age",
        "weekend-absence",
        "finance-swing",
    }
    files = _files(manifest)
    broken = set()
    for f in faults:
        if f["kind"] == "missing-delivery":
            assert not any(
                p.split("/")[1] == str(f["municipality"])
                and f["period"] in p
                and contract(f["contract"]).source in p
                for p in files
                if contract(f["contract"]).file_regex.match(p.rsplit("/", 1)[1])
            )
            continue
        path = out / f["file"]
        broken.add(f["file"])
        data = path.read_bytes()
        if f["kind"] == "latin-1-file":
            with pytest.raises(UnicodeDecodeError):
                data.decode("utf-8")
        elif f["kind"] == "truncated-file":
            assert not data.endswith(b"\n")
        elif f["kind"] == "duplicate-file":
            original = f["note"].removeprefix("byte-identical copy of ")
            assert files[original] == files[f["file"]]
            broken.add(original)
        elif f["line"] is not None:
            line = data.decode("utf-8").split("\n")[f["line"] - 1]
            assert f["value"] in line, f
    contract_of = {f["path"]: f["contract"] for f in manifest["files"]}
    for path in sorted(set(files) - broken):
        assert check_file(out / path, contract(contract_of[path]))[1] == [], path
