"""Loads the source contracts from ``contracts/*.yaml`` once."""

from __future__ import annotations

from functools import cache
from importlib import resources

from pydantic import ValidationError

from flis import yamlfile
from flis.errors import ContractError, NotFoundError, validation_da
from flis.reference.codelists import codelists
from flis.sources.contract import Contract


@cache
def contracts() -> dict[str, Contract]:
    """All contracts by id, in a stable order."""
    folder = resources.files("flis.sources").joinpath("contracts")
    out: dict[str, Contract] = {}
    for entry in sorted(folder.iterdir(), key=lambda p: p.name):
        if not entry.name.endswith(".yaml"):
            continue
        location = f"flis/sources/contracts/{entry.name}"
        try:
            contract = Contract.model_validate(yamlfile.load(entry.read_text("utf-8")))
        except ValidationError as exc:
            raise ContractError(
                str(exc), location=location, message_da=validation_da(exc)
            ) from None
        if contract.id in out:
            raise ContractError(
                f"duplicate contract id '{contract.id}'",
                location=location,
                message_da=f"kontrakt-id'et '{contract.id}' findes to gange",
            )
        if entry.name != f"{contract.id}.yaml":
            raise ContractError(
                f"file should be named {contract.id}.yaml",
                location=location,
                message_da=f"filen skal hedde {contract.id}.yaml",
            )
        _check_codelists(contract, location)
        out[contract.id] = contract
    return out


def _check_codelists(contract: Contract, location: str) -> None:
    known = codelists()
    for rt in contract.record_types:
        for f in rt.fields:
            if f.codelist and f.codelist not in known:
                raise ContractError(
                    f"field '{rt.code}.{f.name}' names unknown code list '{f.codelist}'",
                    location=location,
                    message_da=f"feltet '{rt.code}.{f.name}' henviser til den ukendte kodeliste "
                    f"'{f.codelist}'",
                )


def contract(contract_id: str) -> Contract:
    try:
        return contracts()[contract_id]
    except KeyError:
        raise NotFoundError(
            f"unknown source extract '{contract_id}'",
            hint=f"known extracts: {', '.join(contracts())}",
            message_da=f"ukendt kildeudtræk '{contract_id}'",
            hint_da=f"kendte udtræk: {', '.join(contracts())}",
        ) from None


def match_file(name: str) -> tuple[Contract, dict[str, str]] | None:
    """The contract whose file pattern matches ``name``, with the parsed name parts."""
    for c in contracts().values():
        m = c.file_regex.match(name)
        if m:
            return c, m.groupdict()
    return None
