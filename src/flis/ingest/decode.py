"""Turning delivered bytes into text: UTF-8 only, with BOM and CRLF tolerated and reported."""

from __future__ import annotations

from dataclasses import dataclass, field

from flis.ingest.findings import Finding

_BOM = b"\xef\xbb\xbf"
#: Bytes that Latin-1 / Windows-1252 uses for the Danish letters æ ø å Æ Ø Å (and é, ü, ö, ä).
_LATIN1_LETTERS = frozenset(b"\xe6\xf8\xe5\xc6\xd8\xc5\xe9\xfc\xf6\xe4")


@dataclass
class Decoded:
    """The text of a file (``None`` when it cannot be read) and what decoding found."""

    text: str | None
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
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        bad = data[exc.start : exc.start + 1]
        return Decoded(
            None, [*findings, Finding("encoding-not-utf8", line=line, value=_guess(data, bad))]
        )
    if "\r\n" in text:
        findings.append(
            Finding("line-ending-crlf", line=text.count("\n", 0, text.index("\r\n")) + 1)
        )
        text = text.replace("\r\n", "\n")
    return Decoded(text, findings)


def _guess(data: bytes, bad: bytes) -> str:
    if bad and bad[0] in _LATIN1_LETTERS:
        letter = bad.decode("latin-1")
        return f"it looks like Latin-1 / ISO-8859-1: byte 0x{bad[0]:02x} is '{letter}' there"
    return f"byte 0x{bad[0]:02x} is not valid UTF-8" if bad else "not valid UTF-8"
