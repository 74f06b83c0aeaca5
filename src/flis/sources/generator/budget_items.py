"""The budget catalogue: account lines of every municipality, as amounts per unit of a driver."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Item:
    """One account line of the budget: an amount a year per unit of a driver."""

    funktion: str
    art: str
    per: float  # DKK a year per driver unit, or share of the function's salaries
    driver: str  # "salary", a resident group or a pupil count (see finance_drivers)
    dranst: str = "1"


#: School functions: their salaries and "salary" items are split over the schools by pupils.
SCHOOL_TYPES = {"3.22.01": ("1012", "1014"), "3.22.05": ("1012",), "3.22.08": ("1015", "1016")}


ITEMS = (
    # folkeskoler: running costs as shares of salaries, scaled per municipality (school_level)
    Item("3.22.01", "2.9", 0.13, "salary"),
    Item("3.22.01", "2.2", 0.015, "salary"),
    Item("3.22.01", "2.7", 0.08, "salary"),
    Item("3.22.01", "4.9", 0.17, "salary"),
    Item("3.22.01", "4.5", 0.12, "salary"),
    Item("3.22.01", "7.2", -0.015, "salary"),
    Item("3.22.01", "4.5", 0.05, "salary", dranst="3"),
    Item("3.22.05", "2.9", 0.08, "salary"),
    Item("3.22.05", "7.2", -0.40, "salary"),  # parents' payment for after-school care
    Item("3.22.08", "2.9", 0.06, "salary"),
    Item("3.22.08", "4.9", 0.15, "salary"),
    Item("3.22.08", "7.7", -0.10, "salary"),  # pupils from other municipalities
    Item("3.22.02", "4.9", 2_500, "pupils"),
    Item("3.22.03", "4.9", 150, "pupils"),
    Item("3.22.04", "4.9", 1_300, "pupils"),
    Item("3.22.06", "4.9", 1_600, "rural_pupils"),
    Item("3.22.07", "7.6", -350, "pupils"),
    Item("3.22.10", "4.6", 6_800, "age6_16"),
    Item("3.22.12", "4.6", 1_700, "age6_16"),
    Item("3.22.15", "4.9", 160, "pop"),
    Item("3.22.17", "4.8", 300, "pupils"),
    Item("3.22.18", "4.5", 700, "age0_17"),
    Item("3.30.44", "4.6", 60, "pop"),
    Item("3.30.46", "4.9", 220, "pop"),
    Item("3.32.50", "2.9", 0.40, "salary"),
    Item("3.32.50", "4.9", 0.30, "salary"),
    Item("3.38.77", "5.9", 30, "pop"),
    Item("0.25.10", "4.5", 400, "pop"),
    Item("0.25.10", "7.1", -150, "pop"),
    Item("0.25.10", "4.5", 600, "pop", dranst="3"),
    Item("2.28.20", "4.5", 0.6, "salary"),
    Item("2.28.20", "2.3", 0.08, "salary"),
    Item("2.28.20", "2.9", 0.20, "salary"),
    Item("2.28.20", "4.5", 900, "pop", dranst="3"),
    Item("4.62.82", "2.9", 0.10, "salary"),
    Item("4.62.82", "4.8", 4_200, "pop"),  # municipal co-financing of regional health care
    Item("5.25.14", "2.2", 0.04, "salary"),
    Item("5.25.14", "2.9", 0.06, "salary"),
    Item("5.25.14", "4.9", 0.08, "salary"),
    Item("5.25.14", "7.2", -0.22, "salary"),  # parents' payment for day care
    Item("5.28.20", "4.7", 3_500, "age0_17"),
    Item("5.28.20", "4.9", 4_000, "age0_17"),
    Item("5.28.20", "8.6", -600, "age0_17", dranst="2"),
    Item("5.28.21", "5.2", 1_500, "age0_17"),
    Item("5.28.21", "4.9", 2_000, "age0_17"),
    Item("5.30.26", "2.3", 0.03, "salary"),
    Item("5.30.26", "2.9", 0.04, "salary"),
    Item("5.30.26", "4.9", 0.08, "salary"),
    Item("5.30.27", "2.2", 0.05, "salary"),
    Item("5.30.27", "2.9", 0.06, "salary"),
    Item("5.30.27", "4.5", 0.05, "salary"),
    Item("5.30.27", "7.1", -0.12, "salary"),  # residents' rent in care homes
    Item("5.30.27", "7.2", -0.04, "salary"),
    Item("5.30.27", "4.5", 500, "pop", dranst="3"),
    Item("5.38.50", "4.7", 2_500, "pop"),
    Item("5.38.50", "5.2", 14_500, "pop_need"),  # transfers to persons
    Item("5.38.50", "7.7", -600, "pop"),
    Item("5.38.50", "8.6", -4_800, "pop_need", dranst="2"),
    Item("6.45.51", "4.9", 1_800, "pop"),
    Item("6.45.51", "4.0", 300, "pop"),
    Item("6.45.51", "2.9", 200, "pop"),
    Item("6.45.51", "5.1", 400, "pop"),  # civil-servant pensions
)


SURPLUS = 0.035  # hovedkonto 7 income over budgeted operating spend
