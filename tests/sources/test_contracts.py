import pytest
from pydantic import ValidationError

from flis.sources.catalogue import contract, contracts, match_file
from flis.sources.contract import Contract

EXPECTED = {"economy", "cpr", "payroll-employment", "payroll-absence", "school", "central"}


def test_every_source_extract_has_a_contract() -> None:
    assert set(contracts()) == EXPECTED


@pytest.mark.parametrize("contract_id", sorted(EXPECTED))
def test_contract_names_pattern_key_roles_and_trailer(contract_id: str) -> None:
    c = contract(contract_id)
    assert c.municipality_field
    assert c.roles(), "every contract names its municipality role fields"
    assert all(rt.primary_key for rt in c.record_types)
    assert c.trailer.count_field in {f.name for f in c.trailer.fields}
    name = c.file_name(municipality=461, period="2024-09", seq=2)
    matched = match_file(name)
    assert matched is not None
    assert matched[0].id == contract_id
    assert matched[1] == {"municipality": "0461", "period": "202409", "seq": "02"}


def test_economy_trailer_carries_the_sum_of_amounts() -> None:
    assert contract("economy").trailer.sum_of == "postering.beloeb"


def test_contracts_are_strict() -> None:
    raw = contract("central").model_dump()
    raw["surprise"] = 1
    with pytest.raises(ValidationError, match="surprise"):
        Contract.model_validate(raw)


def test_fixed_width_records_have_positions() -> None:
    person = contract("cpr").record_type("001")
    assert person.offsets["rt"] == (0, 3)
    assert person.offsets["cpr"] == (3, 13)
    assert person.record_length == sum(f.width or 0 for f in person.fields)


def test_unknown_file_names_match_no_contract() -> None:
    assert match_file("OEKONOMI_0461_202409.csv") is None
