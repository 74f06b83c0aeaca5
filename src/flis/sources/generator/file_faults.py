"""File faults: changes to a rendered delivery's bytes (a decimal point, truncation, Latin-1)."""

from __future__ import annotations

from flis.sources.contract import Contract


def decimal_point(data: bytes, contract: Contract, line: int) -> tuple[bytes, str]:
    """Replace the decimal comma of the amount on ``line`` with a point."""
    lines = data.split(b"\n")
    (rt,) = contract.record_types
    index = rt.field_names.index("beloeb")
    fields = lines[line - 1].split(b";")
    fields[index] = fields[index].replace(b",", b".")
    lines[line - 1] = b";".join(fields)
    return b"\n".join(lines), fields[index].decode()


def truncate(data: bytes) -> bytes:
    """Cut the file in the middle of its second-to-last record, losing the trailer."""
    lines = data.rstrip(b"\n").split(b"\n")
    keep = lines[:-2]
    partial = lines[-2][: max(1, len(lines[-2]) // 2)] if len(lines) >= 2 else b""
    return b"\n".join([*keep, partial])


def latin_1(data: bytes) -> bytes:
    """The file as a Latin-1 system would write it, with at least one non-ASCII letter.

    A file of plain ASCII is the same in both encodings, so the first record gets a Danish
    letter (as a school name in Latin-1 would carry) to make the wrong encoding visible.
    """
    text = data.decode("utf-8")
    if text.isascii():
        first, _, rest = text.partition("\n")
        marker = '"navn":"'
        first = first.replace(marker, marker + "Ø", 1) if marker in first else first + "ø"
        text = first + "\n" + rest
    return text.encode("latin-1", errors="replace")
