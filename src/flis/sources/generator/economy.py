"""Finance postings: each month's actuals and the month's share of the budgets.

Salaries come from the payroll (the workforce summary); other accounts follow the residents,
pupils and salaries they serve, with a level per municipality drawn from its traits. Taxes and
grants on hovedkonto 7 are set to cover the budgeted operating spend with a small surplus.
"""

from __future__ import annotations

import pyarrow as pa

from flis.sources.generator.account_plan import accounts
from flis.sources.generator.budget_postings import budget_lines
from flis.sources.generator.finance_drivers import drivers
from flis.sources.generator.postings import actual_lines, finish
from flis.sources.generator.world import World


def month_postings(
    world: World, month: str, residents: pa.Table, institutions: pa.Table, payroll: pa.Table
) -> pa.Table:
    """All municipalities' finance postings of ``month``: actuals, original and corrected budget.

    Args:
        world: the run's world (random streams, municipalities, traits).
        month: ``YYYY-MM``.
        residents: residents at month end (kommune, birth_date, ...).
        institutions: schools (kommune, instnr, institutionstype, pupils, ...).
        payroll: ``Workforce.summary()`` (kommune, funktion, personalekategori, fte, pay).

    Returns:
        The economy contract's ``postering`` columns, sorted by kommune and bilagsnr.
    """
    units = drivers(world, month, residents, institutions)
    acc = accounts(world, month, units, institutions, payroll)
    actual = actual_lines(world, month, acc)
    budget = budget_lines(world, month, acc)
    return finish(month, pa.concat_tables([actual, budget]))
