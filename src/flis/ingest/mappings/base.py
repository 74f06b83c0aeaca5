"""The mapping model: which typed record columns fill which information-model columns."""

from __future__ import annotations

from dataclasses import dataclass, field

#: Temporary table of the batch's deliveries that load, one row per file in commit order:
#: ``file_id``, ``_delivery_id``, ``_month``, ``_month_end``, ``_keeps`` (its facts stay: not
#: superseded later in the batch) and ``_order`` (commit order).
LOADED_FILES = "loaded_files"


@dataclass(frozen=True)
class Load:
    """Rows of one record type inserted into one fact table.

    ``columns`` maps each fact column to SQL over the typed record (``<field>`` typed value,
    ``<cpr field>__key`` person key). ``delivery_id``, ``month`` and ``source_line`` are added.
    """

    table: str
    record_type: str
    columns: dict[str, str]


@dataclass(frozen=True)
class PersonSource:
    """Where a record type's person attributes come from (default: derived from the CPR)."""

    record_type: str
    cpr_field: str
    birth_date: str | None = None
    sex: str | None = None


@dataclass(frozen=True)
class Mapping:
    """Everything one contract loads: facts, persons and extra dimension statements.

    ``dimension_sql`` statements run once per batch in its transaction and read the typed
    tables ``typed_<record type>`` (rows of several files) joined with ``loaded_files``
    (:data:`LOADED_FILES`); the result must be as if each delivery had been applied alone, in
    commit order.
    """

    loads: tuple[Load, ...]
    persons: tuple[PersonSource, ...] = ()
    dimension_sql: tuple[str, ...] = field(default_factory=tuple)

    @property
    def tables(self) -> list[str]:
        return sorted({load.table for load in self.loads})
