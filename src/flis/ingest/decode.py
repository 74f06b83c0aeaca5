"""Checking delivered bytes are text: UTF-8 only, with BOM and CRLF tolerated and reported.

The result stays bytes (UTF-8 checked, BOM removed, CRLF turned into LF): lines are cut from
them without building a Python string of the whole file (:func:`flis.ingest.parse.split_lines`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flis.ingest.findings import Finding

_BOM = b"\xef\xbb\xbf"
#: Bytes that Latin-1 / Windows-1252 uses for the Danish letters æ ø å Æ Ø Å (and é, ü, ö, ä).
_LATIN1_LETTERS = frozenset(b"\xe6\xf8\xe5\xc6\xd8\xc5\xe9\xfc\xf6\xe4")


@dataclass
class Decoded:
    """The file as checked UTF-8 bytes (``None`` when it cannot be read) and what was found."""

    data: bytes | None
    findings: list[Finding] = field(default_factory=list)


def decode(data: bytes) -> Decoded:
    """Decode ``data`` as UTF-8; name Latin-1 when the bytes look like it."""
    findings = []
    if data.startswith(_BOM):
        data = data[len(_BOM) :]
        findings.append(Finding("byte-order-mark", line=1))
    if not data.strip():
        return Decoded(None, [*findings, Finding("empty-file")])
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        bad = data[exc.start : exc.start + 1]
        return Decoded(
            None, [*findings, Finding("encoding-not-utf8", line=line, value=_guess(data, bad))]
        )
    crlf = data.find(b"\r\n")
    if crlf >= 0:
        findings.append(Finding("line-ending-crlf", line=data.count(b"\n", 0, crlf) + 1))
        data = data.replace(b"\r\n", b"\n")
    return Decoded(data, findings)


def _guess(data: bytes, bad: bytes) -> str:
    if bad and bad[0] in _LATIN1_LETTERS:
        letter = bad.decode("latin-1")
        return f"it looks like Latin-1 / ISO-8859-1: byte 0x{bad[0]:02x} is '{letter}' there"
    return f"byte 0x{bad[0]:02x} is not valid UTF-8" if bad else "not valid UTF-8"
