"""The seed has the address cases real shops have (issue 14 point 4), at the default size: German and Austrian
streets with house numbers such as ``12a``, ``71-73`` and ``61 b`` and additional lines (``2. OG``,
``Stiege 2/Top 14``, ``c/o ...``), and company customers (a VAT id in ``taxvat``, the company on their
addresses), as Magento's records and PlentyONE's copies show them; and every seeded address passes the checks
the sandbox's Magento routes apply, so that a record read back can be written back."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

import pytest

from sandbox.core.settings import SandboxSettings
from sandbox.magento.directory import customer_address_problems, order_address_problems
from sandbox.magento.shapes import render_world
from sandbox.plenty.countries import COUNTRY_IDS
from sandbox.plenty.state import PlentyState
from sandbox.world import World, build_world

GERMAN = ("DE", "AT")
NUMBER_KINDS = {"letter": re.compile(r"\s\d+[a-z]$"), "spaced letter": re.compile(r"\s\d+ [a-z]$"),
                "range": re.compile(r"\s\d+-\d+$"), "plain": re.compile(r"\s\d+$")}
EXTRA_LINES = {"DE": ("2. OG", "Hinterhaus", "c/o Schmidt", "Aufgang B"), "AT": ("Stiege 2/Top 14", "2. Stock", "c/o Huber")}


@pytest.fixture(scope="module")
def world() -> World:
    return build_world(1, "default")


@pytest.fixture(scope="module")
def magento(world: World) -> dict[str, list[dict[str, Any]]]:
    rendered = render_world(world)
    return {table: [record for _, record, _ in rendered[table]] for table in ("customers", "orders")}


def _addresses(customers: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [a for c in customers for a in c["addresses"]]


def _kind(first_line: str) -> str | None:
    return next((kind for kind, pattern in NUMBER_KINDS.items() if pattern.search(first_line)), None)


def test_german_and_austrian_streets_have_house_numbers_of_every_kind_and_additional_lines(
    magento: dict[str, list[dict[str, Any]]],
) -> None:
    for country in GERMAN:
        addresses = [a for a in _addresses(magento["customers"]) if a["country_id"] == country]
        assert len(addresses) >= 50, country
        kinds = Counter(_kind(a["street"][0]) for a in addresses)
        assert kinds[None] == 0, country  # "Street number": the number last, always there
        assert all(kinds[k] >= 3 for k in NUMBER_KINDS), (country, kinds)
        second = [a["street"][1] for a in addresses if len(a["street"]) > 1]
        assert len(second) >= 10 and set(second) <= set(EXTRA_LINES[country]), (country, Counter(second))
        assert any(line.startswith("c/o ") for line in second), country
    # the orders carry them too (the order's billing and shipping addresses copy the customer's)
    billing = [o["billing_address"] for o in magento["orders"] if o["billing_address"]["country_id"] in GERMAN]
    assert any(len(a["street"]) > 1 for a in billing)
    assert {_kind(a["street"][0]) for a in billing} == set(NUMBER_KINDS)


def test_company_customers_have_a_vat_id_and_their_company_on_every_address(
    magento: dict[str, list[dict[str, Any]]],
) -> None:
    customers = magento["customers"]
    companies = [c for c in customers if c.get("taxvat")]
    assert len(companies) == len(customers) // 10  # every tenth customer
    for customer in companies:
        addresses = customer["addresses"]
        assert re.fullmatch(r"[A-Z]{2}\d{9}", customer["taxvat"]), customer["taxvat"]
        assert customer["taxvat"][:2] == addresses[0]["country_id"]
        assert len({a.get("company") for a in addresses}) == 1 and addresses[0].get("company"), customer["id"]
    assert {c["addresses"][0]["country_id"] for c in companies} >= set(GERMAN)
    assert len({c["addresses"][0]["company"] for c in companies}) >= 5
    by_customer = {c["id"]: c for c in companies}
    ordered = [o for o in magento["orders"] if o.get("customer_id") in by_customer]
    assert ordered and all(o["billing_address"]["company"] == by_customer[o["customer_id"]]["addresses"][0]["company"]
                           for o in ordered if o["billing_address"].get("customer_address_id")
                           == by_customer[o["customer_id"]]["addresses"][0]["id"])


def test_plentyone_holds_the_same_addresses_split_into_street_house_number_and_additional_line(
    world: World,
) -> None:
    state = PlentyState(SandboxSettings(seed=1, scale="default"))
    state.populate(world)
    german_ids = {COUNTRY_IDS[c] for c in GERMAN}
    addresses = [a for a in state.tables["addresses"].records() if a["countryId"] in german_ids]
    assert len(addresses) >= 30
    numbers = {a["address2"] for a in addresses}
    assert any(re.fullmatch(r"\d+[a-z]", n) for n in numbers)
    assert any(re.fullmatch(r"\d+ [a-z]", n) for n in numbers)
    assert any(re.fullmatch(r"\d+-\d+", n) for n in numbers)
    assert all(a["address1"] and not re.search(r"\d", a["address1"]) for a in addresses)  # the street alone
    extra = {a["address3"] for a in addresses if a["address3"]}
    assert extra and extra <= {line for lines in EXTRA_LINES.values() for line in lines}
    assert all(a["houseNumber"] == a["address2"] and a["additional"] == a["address3"] for a in addresses)
    assert any(a["name1"] for a in addresses)  # company addresses keep the company in name1


def test_every_seeded_address_passes_the_checks_of_the_magento_routes(
    magento: dict[str, list[dict[str, Any]]],
) -> None:
    bad = [(c["id"], customer_address_problems(a)) for c in magento["customers"] for a in c["addresses"]
           if customer_address_problems(a)]
    assert bad == []
    for order in magento["orders"]:
        shipping = order["extension_attributes"]["shipping_assignments"][0]["shipping"]["address"]
        for address in (order["billing_address"], shipping):
            assert order_address_problems(address) == [], (order["entity_id"], address)
