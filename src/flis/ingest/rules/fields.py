"""Field rules: required, type, code list, pattern, range, period, municipality, cross-field.

Each rule is one SELECT over the raw record table returning finding rows
``(file_id, line_no, rule, column_name, value, expected)``; they are combined with UNION ALL.
The raw table holds the records of several files of one contract; each record carries its
file's municipality and month, so the same SQL validates them all at once.
"""

from __future__ import annotations

from dataclasses import dataclass

from flis.ingest.sql import ident, in_list, lit
from flis.ingest.types import decimal_re, human_date_format, typed_column
from flis.reference import codelist, municipalities
from flis.sources.contract import Check, Contract, FieldSpec, RecordType

CPR_CHECK = (
    "regexp_full_match({v}, '[0-9]{{10}}') "
    "AND try_strptime(substr({v}, 1, 6), '%d%m%y') IS NOT NULL"
)


#: Per-file columns every raw record table carries (the file's municipality and month).
MUNICIPALITY = '"_municipality"'
FIRST_DAY = '"_first_day"'
LAST_DAY = '"_last_day"'
PERIOD = '"_period"'


@dataclass(frozen=True)
class FieldRule:
    """One rule on one field, as SQL fragments over the raw record table."""

    rule: str
    column: str
    condition: str
    value: str
    expected: str = "NULL"

    def select(self, table: str) -> str:
        return (
            f"SELECT file_id, line_no, {lit(self.rule)} AS rule, "
            f"{lit(self.column)} AS column_name, "
            f"CAST({self.value} AS VARCHAR) AS value, CAST({self.expected} AS VARCHAR) AS expected "
            f"FROM {table} WHERE {self.condition}"
        )


def masked(spec: FieldSpec, row: str | None = None) -> str:
    """The raw value as findings may show it (CPR numbers masked); ``row`` qualifies it."""
    v = f"{row}.{ident(spec.name)}" if row else ident(spec.name)
    return f"substr({v}, 1, 6) || '-****'" if spec.type == "cpr" else v


def _type_rule(contract: Contract, spec: FieldSpec) -> FieldRule | None:
    v = ident(spec.name)
    present = f"{v} IS NOT NULL AND "
    if spec.type == "integer":
        return FieldRule("bad-integer", spec.name, present + f"{typed_column(spec)} IS NULL", v)
    if spec.type == "decimal":
        sep = contract.decimal_separator or "."
        cond = present + f"NOT regexp_full_match({v}, {lit(decimal_re(sep))})"
        return FieldRule("bad-decimal", spec.name, cond, v, lit(sep))
    if spec.type == "date":
        fmt = human_date_format(spec.date_format or "%Y-%m-%d")
        return FieldRule(
            "bad-date", spec.name, present + f"{typed_column(spec)} IS NULL", v, lit(fmt)
        )
    if spec.type == "month":
        month = typed_column(spec)
        cond = present + f"NOT (regexp_full_match({v}, '[0-9]{{6}}') AND {month} IS NOT NULL)"
        return FieldRule("bad-date", spec.name, cond, v, lit("YYYYMM"))
    if spec.type == "cpr":
        return FieldRule(
            "malformed-cpr",
            spec.name,
            present + "NOT (" + CPR_CHECK.format(v=v) + ")",
            masked(spec),
        )
    if spec.type == "code":
        codes = codelist(spec.codelist or "").code_set()
        return FieldRule(
            "unknown-code",
            spec.name,
            present + f"{v} NOT IN {in_list(sorted(codes))}",
            v,
            lit(spec.codelist),
        )
    return None


def _pattern_rule(spec: FieldSpec) -> FieldRule | None:
    if not spec.pattern:
        return None
    v = ident(spec.name)
    cond = f"{v} IS NOT NULL AND NOT regexp_full_match({v}, {lit(spec.pattern)})"
    return FieldRule("bad-format", spec.name, cond, masked(spec), lit(spec.pattern))


def _account_rule(spec: FieldSpec) -> FieldRule | None:
    if spec.type != "account":
        return None
    v = ident(spec.name)
    parts = [
        ("substr({v}, 1, 7)", "funktion"),
        ("substr({v}, 9, 1)", "dranst"),
        ("substr({v}, 11, 3)", "art"),
    ]
    unknown = " OR ".join(
        f"{expr.format(v=v)} NOT IN {in_list(sorted(codelist(cl).code_set()))}"
        for expr, cl in parts
    )
    ok = f"regexp_full_match({v}, {lit(spec.pattern)})" if spec.pattern else "TRUE"
    return FieldRule(
        "unknown-account",
        spec.name,
        f"{v} IS NOT NULL AND {ok} AND ({unknown})",
        v,
        lit("funktion.dranst.art"),
    )


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _value_rules(contract: Contract, spec: FieldSpec) -> list[FieldRule]:
    t = typed_column(spec)
    v = ident(spec.name)
    out = []
    if spec.min is not None or spec.max is not None:
        lo = "-∞" if spec.min is None else _number(spec.min)
        hi = "∞" if spec.max is None else _number(spec.max)
        conds = [
            f"{t} < {spec.min}" if spec.min is not None else "",
            f"{t} > {spec.max}" if spec.max is not None else "",
        ]
        out.append(
            FieldRule(
                "out-of-range", spec.name, " OR ".join(c for c in conds if c), v, lit(f"{lo}–{hi}")
            )
        )
    if spec.in_period:
        cond = f"{t} NOT BETWEEN {FIRST_DAY} AND {LAST_DAY}"
        out.append(FieldRule("date-outside-period", spec.name, cond, v, PERIOD))
    if spec.not_future:
        cond = f"{t} > {LAST_DAY}"
        out.append(FieldRule("future-date", spec.name, cond, v, LAST_DAY))
    return out


def _municipality_rules(contract: Contract, spec: FieldSpec) -> list[FieldRule]:
    is_home_field = spec.name == contract.municipality_field
    if not (is_home_field or spec.role) or spec.type != "integer":
        return []
    t = typed_column(spec)
    v = ident(spec.name)
    codes = in_list(sorted(m.code for m in municipalities()))
    out = [FieldRule("unknown-municipality", spec.name, f"{t} NOT IN {codes}", v)]
    if is_home_field:
        cond = f"{t} IN {codes} AND {t} <> {MUNICIPALITY}"
        out.append(FieldRule("municipality-mismatch", spec.name, cond, v, MUNICIPALITY))
    return out


def _check_rule(contract: Contract, rt: RecordType, check: Check) -> FieldRule:
    a = typed_column(rt.field(check.field))
    b = typed_column(rt.field(check.other))
    expected = f"{lit(check.other + ' ')} || {ident(check.other)}"
    return FieldRule("to-before-from", check.field, f"{a} < {b}", ident(check.field), expected)


def field_rules(contract: Contract, rt: RecordType) -> list[FieldRule]:
    """Every field and cross-field rule of record type ``rt``, in a stable order."""
    out: list[FieldRule] = []
    for spec in rt.fields:
        if spec.name == contract.record_type_field:
            continue
        if spec.required:
            out.append(
                FieldRule("required-missing", spec.name, f"{ident(spec.name)} IS NULL", "NULL")
            )
        for r in (_type_rule(contract, spec), _pattern_rule(spec), _account_rule(spec)):
            if r is not None:
                out.append(r)
        out += _value_rules(contract, spec)
        out += _municipality_rules(contract, spec)
    out += [_check_rule(contract, rt, c) for c in rt.checks]
    return out


#: The two rules of the delivering municipality's own field, which ``bad_condition`` merges.
_HOME_RULES = ("unknown-municipality", "municipality-mismatch")


def bad_condition(contract: Contract, rt: RecordType) -> str:
    """SQL that is true exactly when at least one field rule of ``rt`` reports the record.

    The OR of the rules' conditions, with one equivalent rewrite: on the field of the
    delivering municipality, "not one of the 98 codes" OR "one of them but not the delivery's"
    is "not the delivery's municipality" (a known code: a file named for an unknown one is
    rejected before its records are read), one comparison instead of two lists of 98 codes.
    """
    rules = field_rules(contract, rt)
    home = [r for r in rules if r.column == contract.municipality_field and r.rule in _HOME_RULES]
    conditions = [r.condition for r in rules if r not in home]
    if len(home) == len(_HOME_RULES):
        typed = typed_column(rt.field(contract.municipality_field))
        conditions.append(f"{typed} <> {MUNICIPALITY}")
    else:
        conditions += [r.condition for r in home]
    return " OR ".join(f"({c})" for c in conditions) if conditions else "FALSE"


def field_findings_sql(contract: Contract, rt: RecordType, table: str) -> str | None:
    """UNION ALL of every field rule over ``table``; None when the record type has none."""
    selects = [r.select(table) for r in field_rules(contract, rt)]
    return " UNION ALL ".join(selects) if selects else None
