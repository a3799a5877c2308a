"""Order Import [PlentyONE]: the pure mapping of a PlentyONE order to what its Magento order gets."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from profile_sync.entities.plenty.order_import import OrderImport
from profile_sync.entities.records import NO_JOIN, Fetched, NoJoin
from profile_sync.profiles import load_profiles

ROOT = Path(__file__).resolve().parents[2]
ORDER = {
    "id": 40,
    "plentyId": 1000,
    "statusId": 7.0,
    "statusName": "Outgoing items booked",
    "properties": [{"typeId": 7, "value": "000000040"}, {"typeId": 6, "value": "en"}],
    "amounts": [{"invoiceTotal": 59.9, "grossTotal": 59.9, "paidAmount": 59.9}],
}


def fetched(order: dict[str, Any]) -> Fetched[NoJoin]:
    return Fetched(order, NO_JOIN)


@pytest.fixture(scope="module")
def entity() -> OrderImport:
    loaded = load_profiles(ROOT / "profile_configs").profiles
    return OrderImport(next(i.profile for i in loaded if i.profile.id == "order_import_plenty"), None)


def test_shipped_and_paid_order_is_shipped_and_invoiced(entity: OrderImport) -> None:
    [target] = entity.transform(fetched(dict(ORDER)))
    assert (target.source_id, target.natural_key, target.store) == ("40", "000000040", "default")
    assert (target.payload["ship"], target.payload["invoice"], target.payload["cancel"]) == (True, True, False)


def test_unpaid_order_before_shipping_changes_nothing_but_the_comment(entity: OrderImport) -> None:
    order = dict(ORDER, statusId=6.0, amounts=[{"invoiceTotal": 59.9, "paidAmount": 10.0}])
    payload = entity.transform(fetched(order))[0].payload
    assert (payload["cancel"], payload["ship"], payload["invoice"], payload["plenty_status"]) == (
        False,
        False,
        False,
        6.0,
    )


@pytest.mark.parametrize("status", [8.0, 8.1])
def test_a_cancelled_order_is_cancelled_never_shipped_nor_invoiced(entity: OrderImport, status: float) -> None:
    payload = entity.transform(fetched(dict(ORDER, statusId=status)))[0].payload
    assert (payload["cancel"], payload["ship"], payload["invoice"]) == (True, False, False)


@pytest.mark.parametrize("status", [9.0, 10.0, 11.0])
def test_return_warranty_and_credit_note_statuses_ship_nothing(entity: OrderImport, status: float) -> None:
    payload = entity.transform(fetched(dict(ORDER, statusId=status)))[0].payload
    assert (payload["cancel"], payload["ship"]) == (False, False)


@pytest.mark.parametrize("type_id", [3, 4])
def test_returns_and_credit_notes_are_never_applied_to_the_sales_order(entity: OrderImport, type_id: int) -> None:
    assert entity.transform(fetched(dict(ORDER, typeId=type_id, statusId=9.0))) == []


def test_status_ranges_must_run_upwards() -> None:
    from pydantic import ValidationError

    from profile_sync.profiles.entity_configs import OrderImportConfig

    with pytest.raises(ValidationError, match="ship_statuses: from 8 is above to 7"):
        OrderImportConfig(ship_statuses=(8, 7))


def test_an_order_that_did_not_come_from_magento_is_out_of_scope(entity: OrderImport) -> None:
    assert entity.transform(fetched(dict(ORDER, properties=[{"typeId": 6, "value": "de"}]))) == []


def test_the_store_follows_the_client_and_the_order_language(entity: OrderImport) -> None:
    order = dict(ORDER, properties=[{"typeId": 7, "value": "000000041"}, {"typeId": 6, "value": "de"}])
    assert entity.transform(fetched(order))[0].store == "de"
