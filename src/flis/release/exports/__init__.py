"""Exports of a release to subscribers' outboxes: one module per format and the outbox writer."""

from flis.release.exports.outbox import ExportError, source_files, write_outbox

__all__ = ["ExportError", "source_files", "write_outbox"]
