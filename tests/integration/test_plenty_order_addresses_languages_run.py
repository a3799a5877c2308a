"""Order Export [PlentyONE]: the order's addresses and language, as real DAG runs (issue 15 points 19 and 15).

Point 19: the profile's ``addresses.street_format`` (the Customer Export's option, same model) splits the street
lines of the order's billing and delivery addresses: a rule for Belgium that writes the house number first
("12 Rue Neuve") gives PlentyONE street "Rue Neuve" and house number "12", where the default (number last)
would leave the whole line in ``address1`` and no house number. Point 15: an order from a store view mapped to
a Swedish or Czech locale reaches PlentyONE in PlentyONE's own codes (``se``, ``cz``; never ``sv``, ``cs``), on
the order (property type 6, the documents' language) and on the contact the order creates.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.test_plenty_order_export_run import all_records
from tests.integration.test_plenty_order_life_cycle_run import magento_client, shared_skus

pytestmark = pytest.mark.integration
PROFILE = "order_export_plenty"
PROPERTY_LANGUAGE, PROPERTY_EXTERNAL_ID = 6, 7
ADDRESS_BILLING, ADDRESS_DELIVERY = 1, 2
STORE_IDS = {"default": 1, "de": 2, "fr": 3}


def _address(country: str, street: list[str], city: str, postcode: str, tag: str) -> dict[str, Any]:
    return {"firstname": "Zoë", "lastname": "Brønné", "street": street, "city": city, "postcode": postcode,
            "country_id": country, "telephone": "+32 2 1", "email": f"{tag}@example.be"}


def _order(products: list[dict[str, Any]], tag: str, store: str, billing: dict[str, Any],
           delivery: dict[str, Any]) -> dict[str, Any]:
    product = products[0]
    price = float(product["price"])
    gross = round(price * 1.19, 2)
    return {
        "customer_email": f"{tag}@example.be", "customer_firstname": "Zoë", "customer_lastname": "Brønné",
        "store_id": STORE_IDS[store], "grand_total": gross, "base_grand_total": gross, "subtotal": price,
        "tax_amount": round(gross - price, 2), "shipping_amount": 0.0, "shipping_incl_tax": 0.0,
        "items": [{"sku": product["sku"], "name": product["name"], "qty_ordered": 1, "price": price,
                   "price_incl_tax": gross, "tax_percent": 19, "row_total": price, "row_total_incl_tax": gross,
                   "tax_amount": round(gross - price, 2), "product_type": "simple"}],
        "billing_address": dict(billing, address_type="billing"), "payment": {"method": "checkmo"},
        "extension_attributes": {"shipping_assignments": [
            {"shipping": {"address": dict(delivery, address_type="shipping"), "method": "flatrate_flatrate"}}]},
    }


def _create_orders(sandbox, admin, orders: dict[str, tuple[str, dict[str, Any], dict[str, Any]]]) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """Magento orders (tag -> (store code, billing, delivery)) -> tag -> the created order."""
    magento, products = magento_client(sandbox), shared_skus(admin)[:1]
    created = {}
    for tag, (store, billing, delivery) in orders.items():
        answer = magento.post("/V1/orders", {"entity": _order(products, tag, store, billing, delivery)})
        assert answer.status_code == 200, answer.text
        created[tag] = answer.json()
    return created


def _plenty_orders(admin) -> dict[str, dict[str, Any]]:  # type: ignore[no-untyped-def]
    """The PlentyONE sales orders by external order id (the Magento increment id)."""
    found = {}
    for order in all_records(admin["plenty"], "orders"):
        for prop in order.get("properties") or []:
            if prop.get("typeId") == PROPERTY_EXTERNAL_ID and order.get("typeId") == 1:
                found[str(prop["value"])] = order
    return found


def test_the_delivery_address_honours_the_profiles_street_format(world, admin, sandbox) -> None:
    """Belgian streets written number first (a shop's French-speaking customers): the rule {"BE":
    "number_first"} splits the delivery address's first line into street and house number and keeps the second
    line as the additional one; the German billing address keeps the default (number last). Without the option
    (before the fix Order Export always used the defaults) address1 was "12 Rue Neuve" and address2 empty."""
    billing = _address("DE", ["Bahnhofstraße 61 b"], "Köln", "50667", "streets")
    delivery = _address("BE", ["12 Rue Neuve", "Boîte 3"], "Bruxelles", "1000", "streets")
    [order] = _create_orders(sandbox, admin, {"streets": ("default", billing, delivery)}).values()
    world.write_profile(PROFILE, entity_config={"addresses": {"street_format": {"BE": "number_first"}}})
    run = world.run(PROFILE, {"ids": [str(order["entity_id"])]})
    assert run.state == "success", run.task_states
    assert (run.summary["created"], run.summary["failed"]) == (1, 0), run.summary
    plenty = _plenty_orders(admin)[str(order["increment_id"])]
    relations = {r["typeId"]: int(r["addressId"]) for r in plenty["addressRelations"]}
    shipped_to = admin["plenty"].record("addresses", relations[ADDRESS_DELIVERY])
    billed_to = admin["plenty"].record("addresses", relations[ADDRESS_BILLING])
    assert (shipped_to["address1"], shipped_to["address2"], shipped_to["address3"]) == ("Rue Neuve", "12", "Boîte 3")
    assert (shipped_to["town"], shipped_to["postalCode"]) == ("Bruxelles", "1000")
    assert (billed_to["address1"], billed_to["address2"], billed_to["address3"]) == ("Bahnhofstraße", "61 b", "")


def test_orders_from_swedish_and_czech_store_views_carry_plentyones_language_codes(world, admin, sandbox) -> None:
    """The de store view mapped to sv_SE, the fr one to cs_CZ: their orders reach PlentyONE with ``se`` and
    ``cz`` as the order's language (property 6) and as the new contact's ``lang``; the default store's (en_GB)
    with ``en``. The sandbox refuses a language PlentyONE does not have (``sv``, ``cs``) with a 422."""
    address = _address("DE", ["Hauptstraße 5"], "München", "80331", "lang")
    created = _create_orders(sandbox, admin, {
        "lang-se": ("de", address, address), "lang-cz": ("fr", address, address), "lang-en": ("default", address, address),
    })
    world.write_profile(PROFILE, store={"restrict": False, "mapping": [
        {"store": "default", "locale": "en_GB", "plenty_id": 1000, "referrer_id": 1},
        {"store": "de", "locale": "sv_SE", "plenty_id": 1000, "referrer_id": 1},
        {"store": "fr", "locale": "cs_CZ", "plenty_id": 1000, "referrer_id": 1},
    ]})
    run = world.run(PROFILE, {"ids": [str(o["entity_id"]) for o in created.values()]})
    assert run.state == "success", run.task_states
    assert (run.summary["created"], run.summary["failed"]) == (3, 0), run.summary
    plenty = _plenty_orders(admin)
    contacts = {c["id"]: c for c in all_records(admin["plenty"], "contacts")}
    for tag, expected in (("lang-se", "se"), ("lang-cz", "cz"), ("lang-en", "en")):
        order = plenty[str(created[tag]["increment_id"])]
        languages = [p["value"] for p in order["properties"] if p["typeId"] == PROPERTY_LANGUAGE]
        assert languages == [expected], (tag, order["properties"])
        [receiver] = [r["referenceId"] for r in order["relations"] if r["referenceType"] == "contact"]
        assert contacts[int(receiver)]["lang"] == expected, tag
