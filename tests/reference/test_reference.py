from collections import Counter

import pytest

from flis.errors import NotFoundError
from flis.reference import codelist, codelists, municipalities, municipality, regions


def test_there_are_98_municipalities_in_5_regions() -> None:
    assert len(municipalities()) == 98
    assert {r.code: len(r.municipality_codes) for r in regions()} == {
        1081: 11,
        1082: 19,
        1083: 22,
        1084: 29,
        1085: 17,
    }


def test_dst_groups_have_the_published_sizes() -> None:
    assert Counter(m.dst_group_code for m in municipalities()) == {1: 24, 2: 3, 3: 16, 4: 24, 5: 31}


def test_population_adds_up_to_denmark() -> None:
    assert 5_800_000 < sum(m.population for m in municipalities()) < 6_000_000


def test_lookup_by_three_or_four_digit_code() -> None:
    assert municipality(461).name == "Odense"
    assert municipality("0101").name == "København"
    with pytest.raises(NotFoundError, match="unknown municipality code '999'"):
        municipality(999)


def test_code_lists_the_contracts_need_are_present() -> None:
    needed = {
        "hovedkonto",
        "funktion",
        "dranst",
        "art",
        "institution_type",
        "class_type",
        "grade_level",
        "exam_subject",
        "exam_type",
        "grade",
        "pupil_absence_type",
        "staff_category",
        "collective_agreement",
        "employment_form",
        "staff_absence_type",
        "civil_status",
        "citizenship_group",
    }
    assert needed <= set(codelists())


def test_grade_scale_is_the_seven_step_scale() -> None:
    numeric = [c.attrs["numeric"] for c in codelist("grade").codes if "numeric" in c.attrs]
    assert numeric == [-3, 0, 2, 4, 7, 10, 12]


def test_eight_compulsory_exams() -> None:
    assert len(codelist("exam_subject").where(compulsory=True)) == 8


def test_segregated_institution_and_class_types() -> None:
    assert codelist("institution_type").where(segregated=True) == ("1015", "1016")
    assert codelist("class_type").where(segregated=True) == ("S202", "S203")


def test_every_funktion_has_a_known_parent() -> None:
    parents = codelist("hovedfunktion").code_set()
    assert all(c.parent in parents for c in codelist("funktion").codes)
