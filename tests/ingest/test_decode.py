"""Decoding: UTF-8 only; BOM and CRLF are tolerated and reported; Latin-1 is named."""

from __future__ import annotations

from flis.ingest.decode import decode
from flis.ingest.parse import split_lines


def test_latin1_is_named() -> None:
    result = decode("a;b\nÆble;ø\n".encode("latin-1"))
    assert result.data is None
    (finding,) = result.findings
    assert (finding.code, finding.line) == ("encoding-not-utf8", 2)
    assert "Latin-1" in (finding.value or "")


def test_bom_and_crlf_are_reported_and_removed() -> None:
    result = decode(b"\xef\xbb\xbfa;b\r\nc;d\r\n")
    assert result.data == b"a;b\nc;d\n"
    assert [f.code for f in result.findings] == ["byte-order-mark", "line-ending-crlf"]


def test_lines_know_whether_the_file_ended_cleanly() -> None:
    whole, cut = split_lines("a\nb\n"), split_lines("a\nb")
    assert (whole.count, whole.complete, cut.count, cut.complete) == (2, True, 2, False)
    assert whole.text(-1) == "b"
