"""Findings: what validation reports, as records (never exceptions)."""

from __future__ import annotations

from dataclasses import dataclass

from flis.ingest.rules.catalogue import rule


@dataclass(frozen=True)
class Finding:
    """One problem in a delivery: rule, where (line, column) and the offending value."""

    code: str
    line: int | None = None
    column: str | None = None
    value: str | None = None
    expected: str | None = None

    @property
    def severity(self) -> str:
        return rule(self.code).severity

    @property
    def rejects(self) -> bool:
        """True when the finding rejects the whole delivery."""
        r = rule(self.code)
        return r.severity == "error" and r.scope == "file"

    def to_dict(self) -> dict[str, object]:
        return {
            "rule": self.code,
            "severity": self.severity,
            "line": self.line,
            "column": self.column,
            "value": self.value,
            "expected": self.expected,
            "message_da": self.message("da"),
            "message_en": self.message("en"),
        }

    def message(self, lang: str) -> str:
        return rule(self.code).message(
            lang, column=self.column, value=self.value, expected=self.expected
        )
