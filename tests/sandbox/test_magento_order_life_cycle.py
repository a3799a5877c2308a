"""Magento order life-cycle routes as Magento 2.4.7+ answers them: comments keep the status, cancel answers
true/false, hold/unhold refuse what they cannot do, an offline invoice is paid without a provider capture."""

from __future__ import annotations

from typing import Any

from sandbox.core.testing import SandboxAdmin
from tests.sandbox.magento_client import MagentoClient

ENTITY = {"customer_email": "gast@example.de", "customer_firstname": "Jürgen", "customer_lastname": "Bär",
          "grand_total": 20.0, "base_grand_total": 20.0, "store_id": 2,
          "payment": {"method": "checkmo"},
          "items": [{"sku": "MS-00002", "qty_ordered": 2, "price": 10.0, "name": "x"}]}


def new_order(magento: MagentoClient, **changes: Any) -> dict[str, Any]:
    created = magento.post("/V1/orders", {"entity": dict(ENTITY, **changes)})
    assert created.status_code == 200, created.text
    return created.json()


def comment(order_id: int, status: str | None = None) -> dict[str, Any]:
    history: dict[str, Any] = {"comment": "PlentyONE status 7", "is_customer_notified": 0,
                               "is_visible_on_front": 0, "parent_id": order_id}
    if status:
        history["status"] = status
    return {"statusHistory": history}


def test_a_comment_never_changes_the_order_status(magento: MagentoClient) -> None:
    order = new_order(magento)
    assert magento.post(f"/V1/orders/{order['entity_id']}/comments", comment(order["entity_id"], "complete")
                        ).json() is True
    after = magento.get(f"/V1/orders/{order['entity_id']}").json()
    assert after["status"] == "pending"  # 2.4.7+: magento/magento2#38723, #38659
    assert after["status_histories"][0]["comment"] == "PlentyONE status 7"
    assert after["status_histories"][0]["status"] == "pending"


def test_cancel_answers_true_then_false_and_refuses_what_cannot_be_cancelled(magento: MagentoClient) -> None:
    order = new_order(magento)
    order_id = order["entity_id"]
    assert magento.post(f"/V1/orders/{order_id}/cancel", {}).json() is True
    cancelled = magento.get(f"/V1/orders/{order_id}").json()
    assert (cancelled["state"], cancelled["status"]) == ("canceled", "canceled")
    assert cancelled["items"][0]["qty_canceled"] == 2
    assert magento.post(f"/V1/orders/{order_id}/cancel", {}).json() is False  # already cancelled
    assert magento.post(f"/V1/order/{order_id}/ship", {}).status_code == 400
    assert magento.post(f"/V1/order/{order_id}/invoice", {}).status_code == 400

    invoiced = new_order(magento)
    assert isinstance(magento.post(f"/V1/order/{invoiced['entity_id']}/invoice", {"capture": False}).json(), int)
    assert magento.post(f"/V1/orders/{invoiced['entity_id']}/cancel", {}).json() is False  # fully invoiced
    assert magento.get(f"/V1/orders/{invoiced['entity_id']}").json()["status"] == "processing"
    missing = magento.post("/V1/orders/9999/cancel", {})
    assert missing.status_code == 404 and "doesn't exist" in missing.json()["message"]


def test_hold_and_unhold(magento: MagentoClient) -> None:
    order_id = new_order(magento)["entity_id"]
    assert magento.post(f"/V1/orders/{order_id}/unhold", {}).json()["message"] == "You cannot remove the hold."
    assert magento.post(f"/V1/orders/{order_id}/hold", {}).json() is True
    held = magento.get(f"/V1/orders/{order_id}").json()
    assert (held["state"], held["status"]) == ("holded", "holded")
    second = magento.post(f"/V1/orders/{order_id}/hold", {})
    assert (second.status_code, second.json()["message"]) == (400, "A hold action is not available.")
    assert magento.post(f"/V1/order/{order_id}/ship", {}).status_code == 400
    assert magento.post(f"/V1/orders/{order_id}/cancel", {}).json() is False  # held orders cannot be cancelled
    assert magento.post(f"/V1/orders/{order_id}/unhold", {}).json() is True
    assert magento.get(f"/V1/orders/{order_id}").json()["status"] == "pending"


def test_an_offline_invoice_is_paid_and_only_a_gateway_capture_asks_the_provider(
    magento: MagentoClient, magento_admin: SandboxAdmin
) -> None:
    offline = new_order(magento)
    invoice_id = magento.post(f"/V1/order/{offline['entity_id']}/invoice", {"capture": False}).json()
    assert magento.get(f"/V1/orders/{offline['entity_id']}").json()["total_paid"] == 20.0
    assert "transaction_id" not in magento.get(f"/V1/invoices/{invoice_id}").json()
    gateway = new_order(magento, payment={"method": "braintree"})
    captured = magento.post(f"/V1/order/{gateway['entity_id']}/invoice", {"capture": True}).json()
    assert magento.get(f"/V1/invoices/{captured}").json()["transaction_id"].startswith("capture-")
