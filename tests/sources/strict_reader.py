"""A slow, obviously-correct reader used as a test oracle for generated files.

It checks a file against its contract line by line in plain Python: framing, field counts or
widths, types, code lists, ranges, patterns and the trailer count. Only for small test worlds.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

from flis.reference import codelist
from flis.sources.contract import Contract, FieldSpec, RecordType


def _check_value(spec: FieldSpec, text: str | None, where: str) -> list[str]:
    if text is None or text == "":
        return [] if not spec.required else [f"{where}: {spec.name} is required"]
    try:
        if spec.type == "integer":
            value: float = int(text)
        elif spec.type == "decimal":
            value = float(text.replace(",", "."))
            if "." in text:
                return [f"{where}: {spec.name} uses a decimal point: {text}"]
        elif spec.type == "date":
            dt.datetime.strptime(text, spec.date_format or "%Y-%m-%d")
            value = 0
        elif spec.type == "cpr":
            if not re.fullmatch(r"\d{10}", text):
                return [f"{where}: malformed cpr"]
            dt.datetime.strptime(text[:6], "%d%m%y")
            value = 0
        else:
            value = 0
    except ValueError:
        return [f"{where}: {spec.name}={text!r} is not a {spec.type}"]
    errors = []
    if spec.codelist and text not in codelist(spec.codelist).code_set():
        errors.append(f"{where}: {spec.name}={text!r} not in {spec.codelist}")
    if (spec.min is not None and value < spec.min) or (spec.max is not None and value > spec.max):
        errors.append(f"{where}: {spec.name}={text!r} out of range")
    if spec.pattern and not re.fullmatch(spec.pattern, text):
        errors.append(f"{where}: {spec.name}={text!r} does not match {spec.pattern}")
    return errors


def _fields(rt: RecordType, values: dict[str, str | None], where: str) -> list[str]:
    errors = []
    for f in rt.fields:
        if f.name == "rt":
            continue
        errors += _check_value(f, values.get(f.name), where)
    return errors


def check_file(path: Path, contract: Contract) -> tuple[int, list[str]]:
    """(number of data records, list of problems) for one file."""
    text = path.read_bytes().decode("utf-8")
    if not text.endswith("\n"):
        return 0, ["no final newline"]
    lines = text[:-1].split("\n")
    errors: list[str] = []
    count = 0
    if contract.format == "delimited":
        (rt,) = contract.record_types
        if lines[0] != ";".join(rt.field_names):
            errors.append("header mismatch")
        trailer = lines[-1].split(";")
        for no, line in enumerate(lines[1:-1], start=2):
            parts = line.split(";")
            if len(parts) != len(rt.fields):
                errors.append(f"line {no}: {len(parts)} fields")
                continue
            errors += _fields(rt, dict(zip(rt.field_names, parts, strict=True)), f"line {no}")
            count += 1
        ok_trailer = trailer[0] == contract.trailer.marker and int(trailer[1]) == count
    elif contract.format == "fixed-width":
        for no, line in enumerate(lines[1:-1], start=2):
            rt = contract.record_type(line[:3])
            if len(line) != rt.record_length:
                errors.append(f"line {no}: length {len(line)}")
                continue
            values = {n: line[a:b].strip() for n, (a, b) in rt.offsets.items()}
            errors += _fields(rt, values, f"line {no}")
            count += 1
        ok_trailer = lines[-1][:3] == "999" and int(lines[-1][3:]) == count
    else:
        for no, line in enumerate(lines[:-1], start=1):
            obj = json.loads(line)
            rt = contract.record_type(obj["rt"])
            if list(obj) != list(rt.field_names):
                errors.append(f"line {no}: keys {list(obj)}")
            values = {k: None if v is None else str(v) for k, v in obj.items()}
            errors += _fields(rt, values, f"line {no}")
            count += 1
        last = json.loads(lines[-1])
        ok_trailer = last == {"rt": contract.trailer.marker, "antal": count}
    if not ok_trailer:
        errors.append(f"trailer {lines[-1]!r} does not match {count} records")
    return count, errors
