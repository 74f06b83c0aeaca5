"""School register records: institutions, classes and enrolments as the school contract's tables."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from flis.periods import last_day
from flis.sources.generator.classes import KINDS, SEGREGATED_KINDS, Columns, class_ids
from flis.sources.generator.cpr_numbers import cpr_text
from flis.sources.generator.days import date32, to_days
from flis.sources.generator.institutions import Institutions, instnr_text
from flis.sources.generator.school_month import SchoolMonth
from flis.sources.generator.world import World


def institution_records(m: SchoolMonth) -> pa.Table:
    """Every institution with the month's number of school days."""
    world, inst, n_days = m.world, m.inst, len(m.days)
    return pa.table(
        {
            "kommune": pa.array(world.codes[inst.kommune_idx], pa.int64()),
            "instnr": instnr_text(inst.instnr),
            "navn": pa.array(inst.name, pa.string()),
            "institutionstype": pa.array(inst.type, pa.string()),
            "skoledage": pa.array(np.full(len(inst.instnr), n_days), pa.int64()),
        }
    )


def class_records(m: SchoolMonth) -> pa.Table:
    """The school year's classes, sorted by kommune and klasse_id."""
    world, inst, cls = m.world, m.inst, m.classes
    kommune = world.codes[inst.kommune_idx[cls["inst"]]]
    class_id = class_ids(inst.instnr[cls["inst"]], cls["label"])
    order = np.lexsort((class_id, kommune))
    kind = cls["kind"][order]
    return pa.table(
        {
            "kommune": pa.array(kommune[order], pa.int64()),
            "klasse_id": pa.array(class_id[order], pa.string()),
            "instnr": instnr_text(inst.instnr[cls["inst"][order]]),
            "klassetrin": pa.array(cls["grade"][order].astype(str), pa.string()),
            "klassetype": pa.array(np.array([t for t, _ in KINDS])[kind], pa.string()),
            "skoleaar": pa.array(np.full(len(order), m.year), pa.int64()),
        }
    )


def enrolment_records(m: SchoolMonth) -> pa.Table:
    """Open enrolments and those ended this month, sorted by kommune, school, class and cpr."""
    inst, e = m.inst, m.enrol
    owner = inst.kommune_idx[e["inst"]]
    class_id = class_ids(inst.instnr[e["inst"]], m.classes["label"][e["cls"]])
    order = np.lexsort((e["cpr"], class_id, inst.instnr[e["inst"]], owner))
    e = {name: v[order] for name, v in e.items()}
    owner, class_id = owner[order], class_id[order]
    codes = m.world.codes
    payer = np.where(owner != e["home"], codes[e["home"]], -1)
    return pa.table(
        {
            "kommune": pa.array(codes[owner], pa.int64()),
            "indskrivning_id": pa.array(e["id"]).cast(pa.string()),
            "cpr": cpr_text(e["cpr"]),
            "instnr": instnr_text(inst.instnr[e["inst"]]),
            "klasse_id": pa.array(class_id, pa.string()),
            "klassetrin": pa.array(e["grade"].astype(str), pa.string()),
            "hjemkommune": pa.array(codes[e["home"]], pa.int64()),
            "betalerkommune": pa.array(payer, pa.int64(), mask=payer < 0),
            "fra_dato": date32(e["fra"]),
            "til_dato": date32(e["til"], e["til"] < 0),
        }
    )


def institutions_summary(
    *, world: World, inst: Institutions, classes: Columns, enrol: Columns, month: str
) -> pa.Table:
    """Per institution: kommune, instnr, institutionstype, pupils, classes, special_classes."""
    e = enrol
    end = to_days(last_day(month)) if month else 0
    current = (e["til"] < 0) | (e["til"] >= end)
    n_inst = len(inst.instnr)
    pupils = np.bincount(e["inst"][current], minlength=n_inst)
    used = np.unique(e["cls"][current])
    cls_inst = classes["inst"][used]
    special = np.isin(classes["kind"][used], SEGREGATED_KINDS)
    return pa.table(
        {
            "kommune": pa.array(world.codes[inst.kommune_idx], pa.int64()),
            "instnr": instnr_text(inst.instnr),
            "institutionstype": pa.array(inst.type, pa.string()),
            "pupils": pa.array(pupils, pa.int64()),
            "classes": pa.array(np.bincount(cls_inst, minlength=n_inst), pa.int64()),
            "special_classes": pa.array(
                np.bincount(cls_inst[special], minlength=n_inst), pa.int64()
            ),
        }
    )
