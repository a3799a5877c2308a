"""Realistic requests for every sandbox route, keyed by (METHOD, contract path).

A planner turns a route into a `Call`: path parameters are filled from the server's own data (found through
the vendor API itself, as a connector would), queries carry the paging and change filters a connector sends,
and write bodies are what a sync writes. GET routes of PlentyONE and FreeAgent are planned generically (the
parent collection's first record supplies each path parameter); writes and Magento routes are planned
explicitly. A route no planner knows raises `NoExercise`, which the contract test reports as a failure unless
the route is listed in its UNEXERCISED table with a reason.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tests.contracts.paths import split_path
from tests.contracts.vendor_client import VendorClient

SINCE_MAGENTO = "2000-01-01 00:00:00"
SINCE_ISO = "2000-01-01T00:00:00+00:00"
_unique = itertools.count(1)


class NoExercise(LookupError):
    """No planner knows how to exercise this route."""


@dataclass
class Call:
    method: str
    path: str
    query: list[tuple[str, str]] = field(default_factory=list)
    body: Any = None
    form: dict[str, str] | None = None
    basic: tuple[str, str] | None = None
    auth: bool = True


def _fill(template: str, params: dict[str, Any]) -> str:
    """Template with its ``{name}`` / ``{name?}`` / ``:name`` parameters replaced from ``params``."""

    def sub(found: re.Match[str]) -> str:
        name = (found.group(1) or found.group(2)).rstrip("?").split(":")[0]
        return str(params[name])

    return re.sub(r"\{([^}]+)\}|:([A-Za-z_]+)", sub, template)


def _ids(found: tuple[int, dict[str, Any]]) -> tuple[int, int]:
    return found[0], int(found[1]["id"])


def _first(payload: Any) -> dict[str, Any]:
    """The first record of a list answer in any of the three vendors' shapes."""
    if isinstance(payload, list):
        rows = payload
    elif isinstance(payload, dict):
        rows = payload.get("items") or payload.get("entries")
        if rows is None:
            lists = [v for v in payload.values() if isinstance(v, list)]
            rows = lists[0] if len(lists) == 1 else None
        if rows is None and payload.get("id") is not None:
            rows = [payload]
    else:
        rows = None
    if not rows or not isinstance(rows[0], dict):
        raise AssertionError(f"expected a non-empty list answer, got {str(payload)[:200]}")
    return rows[0]


class Planner:
    """Common machinery: a vendor client for look-ups, and a memo of what was looked up."""

    system = ""

    def __init__(self, client: VendorClient) -> None:
        self.client = client
        self.memo: dict[str, Any] = {}
        self.route_path = ""

    def send(self, call: Call) -> Any:
        """Run a preparatory call (e.g. create the record a DELETE removes); its answer must be a success."""
        exchange = self.client.call(call.method, call.path, call.query, call.body, form=call.form)
        if not 200 <= exchange.status < 300:
            raise AssertionError(
                f"{call.method} {call.path} answered {exchange.status}: {str(exchange.response)[:200]}"
            )
        return exchange.response

    def get(self, path: str, query: list[tuple[str, str]] | None = None) -> Any:
        exchange = self.client.call("GET", path, query)
        if exchange.status != 200:
            raise AssertionError(f"look-up GET {path} answered {exchange.status}: {str(exchange.response)[:200]}")
        return exchange.response

    def remember(self, key: str, compute: Callable[[], Any]) -> Any:
        if key not in self.memo:
            self.memo[key] = compute()
        return self.memo[key]

    def plan(self, method: str, contract_path: str, route_path: str = "") -> Call:
        """A request for one route; ``route_path`` is the server's own template for it (store-code or
        optional-parameter variants of one contract path are exercised separately)."""
        self.route_path = route_path or contract_path
        builder = self.builders().get((method, contract_path))
        if builder is None:
            return self.generic(method, contract_path)
        return builder()

    def builders(self) -> dict[tuple[str, str], Callable[[], Call]]:
        return {}

    def generic(self, method: str, contract_path: str) -> Call:
        raise NoExercise(f"no exercise for {method} {contract_path}")


# --- Magento ---------------------------------------------------------------------------------------------------
def search_criteria(
    filters: list[tuple[str, str, str]] | None = None, page_size: int = 5, sort: str | None = "updated_at"
) -> list[tuple[str, str]]:
    """searchCriteria query as Magento connectors send it (one filter group per filter = AND)."""
    query: list[tuple[str, str]] = []
    for group, (field_, value, condition) in enumerate(filters or []):
        prefix = f"searchCriteria[filter_groups][{group}][filters][0]"
        query += [(f"{prefix}[field]", field_), (f"{prefix}[value]", value), (f"{prefix}[condition_type]", condition)]
    if sort:
        query += [("searchCriteria[sortOrders][0][field]", sort), ("searchCriteria[sortOrders][0][direction]", "ASC")]
    query += [("searchCriteria[pageSize]", str(page_size)), ("searchCriteria[currentPage]", "1")]
    return query


class MagentoPlanner(Planner):
    system = "magento"

    @property
    def prefix(self) -> str:
        # the server lists /rest/V1/... and /rest/{store_code}/V1/... variants: exercise each
        return "/rest" if self.route_path.startswith("/rest/V1/") else "/rest/default"

    def _search(self, path: str, filters: list[tuple[str, str, str]] | None = None, sort: str | None = None) -> Any:
        return _first(self.get(self.prefix + path, search_criteria(filters, page_size=1, sort=sort)))

    def customer_id(self) -> int:
        return self.remember("customer", lambda: self._search("/V1/customers/search")["id"])

    def sku(self, type_id: str = "simple") -> str:
        return self.remember(
            f"sku:{type_id}", lambda: self._search("/V1/products", [("type_id", type_id, "eq")])["sku"]
        )

    def order_id(self) -> int:
        return self.remember("order", lambda: self._search("/V1/orders")["entity_id"])

    def fresh_order_id(self, state: str = "new") -> int:
        """An order in ``state`` (new: not invoiced, not shipped) not used by an earlier call."""
        used: set[int] = self.memo.setdefault("used orders", set())
        answer = self.get(self.prefix + "/V1/orders", search_criteria([("state", state, "eq")], page_size=50))
        fresh = [o["entity_id"] for o in answer.get("items", []) if o["entity_id"] not in used]
        if not fresh:
            raise AssertionError(f"no order in state {state!r} left")
        used.add(fresh[0])
        return fresh[0]

    def held_order_id(self) -> int:
        """A fresh order put on hold (for unhold; each variant of the route gets its own)."""
        order_id = self.fresh_order_id("processing")
        self.send(Call("POST", f"{self.prefix}/V1/orders/{order_id}/hold"))
        return order_id

    def new_customer(self, n: int) -> dict[str, Any]:
        return {
            "customer": {
                "email": f"contract-{n}@example.com",
                "firstname": "Zoë",
                "lastname": "Ångström",
                "website_id": 1,
                "group_id": 1,
                "store_id": 1,
            }
        }

    def new_product(self, n: int) -> dict[str, Any]:
        return {
            "product": {
                "sku": f"CONTRACT-{n}",
                "name": "Vertragstest Ü",
                "attribute_set_id": 4,
                "price": 12.5,
                "status": 1,
                "visibility": 4,
                "type_id": "simple",
                "weight": 1.2,
                "extension_attributes": {"website_ids": [1]},
                "custom_attributes": [{"attribute_code": "description", "value": "<p>Prüfung</p>"}],
            }
        }

    def new_category(self, n: int) -> dict[str, Any]:
        return {
            "category": {"parent_id": 2, "name": f"Vertrag {n} – Ünïcode", "is_active": True, "include_in_menu": True}
        }

    def delete_created(self, contract_path: str, create: str, body: dict[str, Any], key: str, param: str) -> Call:
        created = self.send(Call("POST", self.prefix + create, body=body))
        return self.call("DELETE", contract_path, **{param: created[key]})

    def delete_builders(self, n: int) -> dict[tuple[str, str], Callable[[], Call]]:
        """The delete of a Magento attribute (Attribute Import's delete_externally): one made first."""
        attribute = {
            "attribute": {
                "attribute_code": f"plenty_weg_{n}",
                "frontend_input": "select",
                "default_frontend_label": f"Weg {n}",
                "options": [{"label": "Eins", "sort_order": 1}],
            }
        }
        return {
            ("DELETE", "/V1/products/attributes/{attributeCode}"): lambda: self.delete_created(
                "/V1/products/attributes/{attributeCode}",
                "/V1/products/attributes",
                attribute,
                "attribute_code",
                "attributeCode",
            ),
        }

    def order_round_trip(self) -> dict[str, Any]:
        return self.get(f"{self.prefix}/V1/orders/{self.order_id()}")

    def removed_option(self, n: int) -> Call:
        """An option added first (as a merchant would), then removed: the seed's options stay for the others."""
        code = self.select_attribute()
        path = f"{self.prefix}/V1/products/attributes/{code}/options"
        added = self.send(Call("POST", path, body={"option": {"label": f"Entfernt {n}", "sort_order": 98}}))
        return self.call(
            "DELETE",
            "/V1/products/attributes/{attributeCode}/options/{optionId}",
            attributeCode=code,
            optionId=str(added).removeprefix("id_"),
        )

    def select_attribute(self) -> str:
        return self.remember(
            "attribute",
            lambda: self._search("/V1/products/attributes", [("frontend_input", "select", "eq")])["attribute_code"],
        )

    def category_id(self) -> int:
        return self.remember("category", lambda: self._search("/V1/categories/list", [("level", "2", "gteq")])["id"])

    def source_code(self) -> str:
        return self.remember("source", lambda: self._search("/V1/inventory/sources")["source_code"])

    def stock_item_id(self) -> int:
        return self.remember("stock_item", lambda: self.get(f"{self.prefix}/V1/stockItems/{self.sku()}")["item_id"])

    def _entity(self, path: str) -> int:
        return self.remember(path, lambda: self._search(path)["entity_id"])

    def call(
        self,
        method: str,
        contract_path: str,
        body: Any = None,
        query: list[tuple[str, str]] | None = None,
        **params: Any,
    ) -> Call:
        return Call(method, self.prefix + _fill(contract_path, params), query or [], body)

    def builders(self) -> dict[tuple[str, str], Callable[[], Call]]:
        listing = search_criteria([("updated_at", SINCE_MAGENTO, "gteq")])
        n = next(_unique)
        return {
            ("POST", "/V1/integration/admin/token"): lambda: Call(
                "POST",
                "/rest/V1/integration/admin/token",
                body={"username": self.client.connection["login"], "password": self.client.connection["password"]},
                auth=False,
            ),
            ("GET", "/V1/customers/search"): lambda: self.call("GET", "/V1/customers/search", query=listing),
            ("GET", "/V1/customers/{customerId}"): lambda: self.call(
                "GET", "/V1/customers/{customerId}", customerId=self.customer_id()
            ),
            ("PUT", "/V1/customers/{customerId}"): lambda: self.call(
                "PUT",
                "/V1/customers/{customerId}",
                customerId=self.customer_id(),
                body={
                    "customer": {
                        **self.get(f"{self.prefix}/V1/customers/{self.customer_id()}"),
                        "lastname": "Ørsted-Müller",
                    }
                },
            ),
            ("POST", "/V1/customers"): lambda: self.call("POST", "/V1/customers", body=self.new_customer(n)),
            **self.delete_builders(n),
            ("DELETE", "/V1/customers/{customerId}"): lambda: self.delete_created(
                "/V1/customers/{customerId}", "/V1/customers", self.new_customer(n), "id", "customerId"
            ),
            ("GET", "/V1/directory/countries"): lambda: self.call("GET", "/V1/directory/countries"),
            ("GET", "/V1/directory/countries/{countryId}"): lambda: self.call(
                "GET", "/V1/directory/countries/{countryId}", countryId="US"
            ),
            ("GET", "/V1/store/storeViews"): lambda: self.call("GET", "/V1/store/storeViews"),
            ("GET", "/V1/products"): lambda: self.call("GET", "/V1/products", query=listing),
            ("POST", "/V1/products"): lambda: self.call("POST", "/V1/products", body=self.new_product(n)),
            ("DELETE", "/V1/products/{sku}"): lambda: self.delete_created(
                "/V1/products/{sku}", "/V1/products", self.new_product(n), "sku", "sku"
            ),
            ("GET", "/V1/products/{sku}"): lambda: self.call("GET", "/V1/products/{sku}", sku=self.sku()),
            ("PUT", "/V1/products/{sku}"): lambda: self.call(
                "PUT", "/V1/products/{sku}", sku=self.sku(), body={"product": {"sku": self.sku(), "price": 19.99}}
            ),
            ("GET", "/V1/configurable-products/{sku}/children"): lambda: self.call(
                "GET", "/V1/configurable-products/{sku}/children", sku=self.sku("configurable")
            ),
            ("GET", "/V1/categories"): lambda: self.call("GET", "/V1/categories"),
            ("GET", "/V1/categories/list"): lambda: self.call("GET", "/V1/categories/list", query=listing),
            ("GET", "/V1/categories/{categoryId}"): lambda: self.call(
                "GET", "/V1/categories/{categoryId}", categoryId=self.category_id()
            ),
            ("POST", "/V1/categories"): lambda: self.call("POST", "/V1/categories", body=self.new_category(n)),
            ("DELETE", "/V1/categories/{categoryId}"): lambda: self.delete_created(
                "/V1/categories/{categoryId}", "/V1/categories", self.new_category(n), "id", "categoryId"
            ),
            ("PUT", "/V1/categories/{id}"): lambda: self.call(
                "PUT",
                "/V1/categories/{id}",
                id=self.category_id(),
                body={"category": {"id": self.category_id(), "name": "Umbenannt", "is_active": True}},
            ),
            ("PUT", "/V1/categories/{categoryId}/move"): lambda: self.call(
                "PUT",
                "/V1/categories/{categoryId}/move",
                categoryId=self.category_id(),
                body={"parentId": 2, "afterId": 0},
            ),
            ("GET", "/V1/products/attributes"): lambda: self.call(
                "GET", "/V1/products/attributes", query=search_criteria(sort=None)
            ),
            ("POST", "/V1/products/attributes"): lambda: self.call(
                "POST",
                "/V1/products/attributes",
                body={
                    "attribute": {
                        "attribute_code": f"plenty_pruefung_{n}",
                        "frontend_input": "select",
                        "entity_type_id": "4",
                        "is_required": False,
                        "default_frontend_label": f"Prüfung {n}",
                        "frontend_labels": [{"store_id": 2, "label": f"Prüfung {n}"}],
                        "options": [{"label": "Grün", "value": "", "sort_order": 1,
                                     "store_labels": [{"store_id": 2, "label": "Grün"}]}],
                    }
                },
            ),
            ("GET", "/V1/products/attributes/{attributeCode}"): lambda: self.call(
                "GET", "/V1/products/attributes/{attributeCode}", attributeCode=self.select_attribute()
            ),
            ("GET", "/V1/products/attributes/{attributeCode}/options"): lambda: self.call(
                "GET", "/V1/products/attributes/{attributeCode}/options", attributeCode=self.select_attribute()
            ),
            ("POST", "/V1/products/attributes/{attributeCode}/options"): lambda: self.call(
                "POST",
                "/V1/products/attributes/{attributeCode}/options",
                attributeCode=self.select_attribute(),
                body={
                    "option": {
                        "label": f"Türkis {n}",
                        "sort_order": 99,
                        "is_default": False,
                        "store_labels": [{"store_id": 1, "label": f"Türkis {n}"}],
                    }
                },
            ),
            ("GET", "/V1/orders"): lambda: self.call("GET", "/V1/orders", query=listing),
            ("GET", "/V1/orders/{id}"): lambda: self.call("GET", "/V1/orders/{id}", id=self.order_id()),
            ("GET", "/V1/orders/{id}/comments"): lambda: self.call(
                "GET", "/V1/orders/{id}/comments", id=self.order_id()
            ),
            ("POST", "/V1/orders"): lambda: self.call("POST", "/V1/orders", body={"entity": self.order_round_trip()}),
            ("PUT", "/V1/orders/create"): lambda: self.call(
                "PUT",
                "/V1/orders/create",
                body={
                    "entity": {
                        **{k: v for k, v in self.order_round_trip().items() if k not in {"entity_id", "increment_id"}},
                        "increment_id": f"CT{n:08d}",
                    }
                },
            ),
            ("POST", "/V1/inventory/sources"): lambda: self.call(
                "POST",
                "/V1/inventory/sources",
                body={
                    "source": {
                        "source_code": f"contract_{n}",
                        "name": "Lager Köln",
                        "enabled": True,
                        "country_id": "DE",
                        "postcode": "50667",
                    }
                },
            ),
            ("POST", "/V1/orders/{id}/comments"): lambda: self.call(
                "POST",
                "/V1/orders/{id}/comments",
                id=self.order_id(),
                body={
                    "statusHistory": {
                        "comment": "Exportiert nach PlentyONE",
                        "is_customer_notified": 0,
                        "is_visible_on_front": 0,
                        "parent_id": self.order_id(),
                    }
                },
            ),
            ("POST", "/V1/orders/{id}/cancel"): lambda: self.call(
                "POST", "/V1/orders/{id}/cancel", id=self.fresh_order_id()
            ),
            ("POST", "/V1/orders/{id}/hold"): lambda: self.call(
                "POST", "/V1/orders/{id}/hold", id=self.fresh_order_id("processing")
            ),
            ("POST", "/V1/orders/{id}/unhold"): lambda: self.call(
                "POST", "/V1/orders/{id}/unhold", id=self.held_order_id()
            ),
            ("POST", "/V1/order/{orderId}/ship"): lambda: self.call(
                "POST",
                "/V1/order/{orderId}/ship",
                orderId=self.fresh_order_id(),
                body={
                    "notify": False,
                    "appendComment": True,
                    "comment": {"comment": "Versendet", "is_visible_on_front": 0},
                    "tracks": [{"track_number": "00340434161094042557", "title": "DHL", "carrier_code": "dhl"}],
                },
            ),
            ("POST", "/V1/order/{orderId}/invoice"): lambda: self.call(
                "POST",
                "/V1/order/{orderId}/invoice",
                orderId=self.fresh_order_id(),
                body={"capture": True, "notify": False},
            ),
            ("GET", "/V1/invoices"): lambda: self.call("GET", "/V1/invoices", query=listing),
            ("GET", "/V1/invoices/{id}"): lambda: self.call(
                "GET", "/V1/invoices/{id}", id=self._entity("/V1/invoices")
            ),
            ("GET", "/V1/creditmemos"): lambda: self.call("GET", "/V1/creditmemos", query=listing),
            ("GET", "/V1/creditmemo/{id}"): lambda: self.call(
                "GET", "/V1/creditmemo/{id}", id=self._entity("/V1/creditmemos")
            ),
            ("GET", "/V1/inventory/sources"): lambda: self.call(
                "GET", "/V1/inventory/sources", query=search_criteria(sort=None)
            ),
            ("GET", "/V1/inventory/source-items"): lambda: self.call(
                "GET", "/V1/inventory/source-items", query=search_criteria([("sku", self.sku(), "eq")], sort=None)
            ),
            ("POST", "/V1/inventory/source-items"): lambda: self.call(
                "POST",
                "/V1/inventory/source-items",
                body={
                    "sourceItems": [{"sku": self.sku(), "source_code": self.source_code(), "quantity": 7, "status": 1}]
                },
            ),
            ("GET", "/V1/stockItems/{productSku}"): lambda: self.call(
                "GET", "/V1/stockItems/{productSku}", productSku=self.sku()
            ),
            # the legacy stock list: every item at or below a quantity above any real stock (Stock Export)
            ("GET", "/V1/stockItems/lowStock/"): lambda: self.call(
                "GET",
                "/V1/stockItems/lowStock/",
                query=[("scopeId", "0"), ("qty", "1000000000"), ("pageSize", "5"), ("currentPage", "1")],
            ),
            ("DELETE", "/V1/products/attributes/{attributeCode}/options/{optionId}"): lambda: self.removed_option(n),
            ("PUT", "/V1/products/{productSku}/stockItems/{itemId}"): lambda: self.call(
                "PUT",
                "/V1/products/{productSku}/stockItems/{itemId}",
                productSku=self.sku(),
                itemId=self.stock_item_id(),
                body={"stockItem": {"qty": 12, "is_in_stock": True}},
            ),
        }


# --- PlentyONE -------------------------------------------------------------------------------------------------
# change filter each list route supports (vendor guide), sent with a date far in the past
PLENTY_CHANGE_FILTERS = {
    "/rest/orders": ("updatedAtFrom", SINCE_ISO),
    "/rest/items": ("updatedBetween", "946684800"),
    "/rest/items/variations": ("updatedBetween", "946684800"),
    "/rest/accounts/contacts": ("updatedAtAfter", SINCE_ISO),
    "/rest/stockmanagement/stock": ("updatedAtFrom", SINCE_ISO),
    "/rest/categories": ("updatedAt", SINCE_ISO),
    "/rest/items/attributes": ("updatedAt", SINCE_ISO),
}
# path parameter -> field of the parent list's record that carries it (default: the same name, then "id")
PLENTY_PARAM_FIELDS = {"priceId": "salesPriceId", "lang": "lang", "relationTypeId": "typeId"}
# path parameters that are vendor constants rather than record ids (address type 1 = billing address)
PLENTY_PARAM_CONSTANTS = {"addressTypeId": 1}


class PlentyPlanner(Planner):
    system = "plenty"

    def __init__(self, client: VendorClient, declared_query: Callable[[str, str], set[str]]) -> None:
        super().__init__(client)
        self.declared_query = declared_query  # (method, contract path) -> declared query names

    def list_query(self, contract_path: str) -> list[tuple[str, str]]:
        names = self.declared_query("GET", contract_path)
        query = [(n, v) for n, v in (("page", "1"), ("itemsPerPage", "5")) if n in names]
        change = PLENTY_CHANGE_FILTERS.get(contract_path)
        if change and change[0] in names:
            query.append(change)
        return query

    def params_for(self, contract_path: str) -> dict[str, Any]:
        """Fill every path parameter from the first record of its parent collection."""
        params: dict[str, Any] = {}
        parts = split_path(contract_path, strip_query=False)
        for i, part in enumerate(parts):
            if not part.startswith("{"):
                continue
            name = part.strip("{}?")
            if name in PLENTY_PARAM_CONSTANTS:
                params[name] = PLENTY_PARAM_CONSTANTS[name]
                continue
            parent = "/" + "/".join(parts[:i])
            key = _fill(parent, params)
            record = self.remember(f"first:{key}", lambda p=parent, k=key: _first(self.get(k, self.list_query(p))))
            field_ = PLENTY_PARAM_FIELDS.get(name, name)
            value = record.get(field_, record.get("id"))
            if value is None:
                raise AssertionError(f"no {field_!r} or 'id' in the first record of {key}: {str(record)[:200]}")
            params[name] = value
        return params

    def path(self, contract_path: str) -> str:
        """The request path: the contract path filled, without an optional tail the server route omits."""
        path = _fill(contract_path, self.params_for(contract_path))
        route_length = len(split_path(self.route_path, strip_query=False))
        parts = split_path(path)
        return "/" + "/".join(parts[:route_length]) if route_length < len(parts) else path

    def generic(self, method: str, contract_path: str) -> Call:
        path = self.path(contract_path)
        if method == "GET":
            query = self.list_query(contract_path) if not contract_path.endswith("}") else []
            return Call("GET", path, query)
        if method == "PUT" and contract_path.endswith("}"):
            # update with what the server itself returned for this record (a round trip)
            current = self.get(path)
            record = current if isinstance(current, dict) else _first(current)
            # a connector sends the fields it sets, never nulls
            return Call("PUT", path, body={k: v for k, v in record.items() if v is not None})
        raise NoExercise(f"no exercise for {method} {contract_path}")

    def payment_body(self) -> dict[str, Any]:
        """A booked incoming payment as a connector reports a paid shop order (the contract's required fields)."""
        return {
            "amount": 49.9,
            "currency": "EUR",
            "exchangeRatio": 1,
            "mopId": 6000,
            "status": 2,
            "transactionType": 2,
            "type": "credit",
        }

    def payment_id(self) -> int:
        created = self.remember("payment", lambda: self.send(Call("POST", "/rest/payments", body=self.payment_body())))
        return int(created["id"])

    def plenty_order_id(self) -> int:
        order = self.remember("plenty order", lambda: _first(self.get("/rest/orders", self.list_query("/rest/orders"))))
        return int(order["id"])

    def builders(self) -> dict[tuple[str, str], Callable[[], Call]]:
        conn = self.client.connection
        n = next(_unique)
        return {
            ("POST", "/rest/login"): lambda: Call(
                "POST", "/rest/login", body={"username": conn["login"], "password": conn["password"]}, auth=False
            ),
            ("POST", "/rest/login/refresh"): lambda: Call(
                "POST", "/rest/login/refresh", body={"refresh_token": self.client.refresh_token}, auth=False
            ),
            ("POST", "/rest/accounts/contacts"): lambda: Call(
                "POST",
                "/rest/accounts/contacts",
                body={
                    "typeId": 1,
                    "firstName": "Zoë",
                    "lastName": "Ångström",
                    "email": f"contract-{n}@example.com",
                    "plentyId": 0,
                    "referrerId": 1,
                    "externalId": f"M-{n}",
                    "lang": "de",
                },
            ),
            ("POST", "/rest/orders"): lambda: Call("POST", "/rest/orders", body=self.order_body(n)),
            ("POST", "/rest/payments"): lambda: Call("POST", "/rest/payments", body=self.payment_body()),
            ("POST", "/rest/payment/{paymentId}/order/{orderId}"): lambda: Call(
                "POST", f"/rest/payment/{self.payment_id()}/order/{self.plenty_order_id()}"
            ),
            ("GET", "/rest/payments/orders/{orderId}"): lambda: Call(
                "GET", f"/rest/payments/orders/{self.plenty_order_id()}"
            ),
            # a connector files the shop's transaction id as payment property type 1 and finds the payment by it
            ("POST", "/rest/payments/properties"): lambda: Call(
                "POST", "/rest/payments/properties", body={"paymentId": self.payment_id(), "typeId": 1, "value": "4711"}
            ),
            ("GET", "/rest/payments/property/{propertyTypeId}/{propertyValue}"): lambda: Call(
                "GET", "/rest/payments/property/1/4711"
            ),
            ("PUT", "/rest/stockmanagement/warehouses/{warehouseId}/stock/correction"): lambda: self.correction(),
            # the contract declares one category object as the body of the bulk route
            ("PUT", "/rest/categories"): lambda: Call(
                "PUT", "/rest/categories", body={"id": self.category()["id"], "right": "all"}
            ),
            ("POST", "/rest/categories"): lambda: Call(
                "POST",
                "/rest/categories",
                body={
                    "type": "item",
                    "right": "all",
                    "linklist": "Y",
                    "sitemap": "Y",
                    "parentCategoryId": self.category()["id"],
                    "details": [{"lang": "de", "name": f"Vertrag {n}", "plentyId": self.plenty_id()}],
                },
            ),
            ("POST", "/rest/items"): lambda: Call("POST", "/rest/items", body={"variations": [self.new_variation(n)]}),
            ("POST", "/rest/items/{itemId}/variations"): lambda: Call(
                "POST", self.path("/rest/items/{itemId}/variations"), body={**self.new_variation(n), "isMain": False}
            ),
            ("POST", "/rest/items/{id}/variations/{variationId}/descriptions"): lambda: Call(
                "POST",
                self.path("/rest/items/{id}/variations/{variationId}/descriptions"),
                body={"lang": "it", "name": "Giacca", "description": "Prova è ok", "urlPath": f"giacca-{n}"},
            ),
            ("POST", "/rest/items/{id}/variations/{variationId}/variation_sales_prices"): lambda: self.new_price(),
            ("PUT", "/rest/items/{id}/variations/{variationId}/variation_sales_prices/{priceId}"): lambda: Call(
                "PUT",
                self.path("/rest/items/{id}/variations/{variationId}/variation_sales_prices/{priceId}"),
                body={"price": 11.9},
            ),
            ("POST", "/rest/items/variations/variation_sales_prices"): lambda: self.bulk_prices("POST"),
            ("PUT", "/rest/items/variations/variation_sales_prices"): lambda: self.bulk_prices("PUT"),
            ("POST", "/rest/items/{id}/variations/{variationId}/variation_categories"): lambda: Call(
                "POST",
                self.path("/rest/items/{id}/variations/{variationId}/variation_categories"),
                body={"categoryId": self.other_category_id()},
            ),
            **self.attribute_builders(n),
            **self.delete_builders(n),
            ("POST", "/rest/accounts/contacts/{contactId}/addresses"): lambda: Call(
                "POST", self.path("/rest/accounts/contacts/{contactId}/addresses"), body=self.new_address()
            ),
            ("PUT", "/rest/accounts/contacts/{contactId}/addresses/{addressId}"): lambda: Call(
                "PUT",
                self.path("/rest/accounts/contacts/{contactId}/addresses/{addressId}"),
                body={**self.new_address(), "town": "München"},
            ),
        }

    def attribute_builders(self, n: int) -> dict[tuple[str, str], Callable[[], Call]]:
        """The attribute writes of the Attribute Export: a seed attribute and value for reads and updates, fresh
        ones (made first) for the creates of names and the deletes."""
        names = "/rest/items/attributes/{attributeId}/names"
        value = "/rest/items/attributes/{attributeId}/values/{id}"
        value_names = "/rest/items/attribute_values/{valueId}/names"

        def seed() -> tuple[int, dict[str, Any]]:
            attribute_id = int(self.plenty_attribute()["id"])
            return attribute_id, _first(self.get(f"/rest/items/attributes/{attribute_id}/values"))

        return {
            ("POST", "/rest/items/attributes"): lambda: Call(
                "POST", "/rest/items/attributes", body={"backendName": f"Vertrag {n}", "position": 9}
            ),
            ("PUT", "/rest/items/attributes/{id}"): lambda: Call(
                "PUT", f"/rest/items/attributes/{self.plenty_attribute()['id']}", body={"position": 3}
            ),
            ("DELETE", "/rest/items/attributes/{id}"): lambda: Call(
                "DELETE", f"/rest/items/attributes/{self.fresh_attribute(n)}"
            ),
            ("GET", names): lambda: Call("GET", f"/rest/items/attributes/{self.plenty_attribute()['id']}/names"),
            ("POST", names): lambda: Call(
                "POST",
                f"/rest/items/attributes/{(fresh := self.fresh_attribute(n))}/names",
                body={"attributeId": fresh, "lang": "de", "name": f"Prüfung {n}"},
            ),
            ("PUT", names + "/{lang}"): lambda: Call(
                "PUT",
                f"/rest/items/attributes/{(a := self.plenty_attribute())['id']}/names/de",
                body={"attributeId": a["id"], "lang": "de", "name": "Farbe"},
            ),
            ("POST", "/rest/items/attributes/{attributeId}/values"): lambda: Call(
                "POST",
                f"/rest/items/attributes/{(a := self.plenty_attribute())['id']}/values",
                body={"attributeId": a["id"], "backendName": f"Wert {n}", "position": 5},
            ),
            ("GET", value): lambda: Call("GET", "/rest/items/attributes/{}/values/{}".format(*_ids(seed()))),
            ("PUT", value): lambda: Call(
                "PUT",
                "/rest/items/attributes/{}/values/{}".format(*_ids(found := seed())),
                body={"attributeId": found[0], "backendName": found[1]["backendName"], "position": 4},
            ),
            ("DELETE", value): lambda: Call(
                "DELETE", "/rest/items/attributes/{}/values/{}".format(*self.fresh_value(n))
            ),
            ("GET", value_names): lambda: Call("GET", f"/rest/items/attribute_values/{seed()[1]['id']}/names"),
            ("POST", value_names): lambda: Call(
                "POST",
                f"/rest/items/attribute_values/{(fresh := self.fresh_value(n)[1])}/names",
                body={"valueId": fresh, "lang": "de", "name": f"Wert {n}"},
            ),
            ("PUT", value_names + "/{lang}"): lambda: Call(
                "PUT",
                f"/rest/items/attribute_values/{(v := seed()[1]['id'])}/names/en",
                body={"valueId": v, "lang": "en", "name": "Red"},
            ),
        }

    def plenty_attribute(self) -> dict[str, Any]:
        return self.remember("attribute", lambda: _first(self.get("/rest/items/attributes")))

    def fresh_attribute(self, n: int) -> int:
        made = self.send(Call("POST", "/rest/items/attributes", body={"backendName": f"Frisch {n}"}))
        return int(made["id"])

    def fresh_value(self, n: int) -> tuple[int, int]:
        attribute_id = int(self.plenty_attribute()["id"])
        body = {"attributeId": attribute_id, "backendName": f"Frisch {n}"}
        made = self.send(Call("POST", f"/rest/items/attributes/{attribute_id}/values", body=body))
        return attribute_id, int(made["id"])

    def category(self) -> dict[str, Any]:
        return self.remember("category", lambda: _first(self.get("/rest/categories", [("itemsPerPage", "1")])))

    def plenty_id(self) -> int:
        details = self.category().get("details") or [{}]
        return int(details[0].get("plentyId") or 1000)

    def delete_builders(self, n: int) -> dict[tuple[str, str], Callable[[], Call]]:
        """The deletes of delete_externally (contacts, categories, items, variations): each of a record made first,
        so the seed stays whole for the other exercises."""

        def made(path: str, body: dict[str, Any]) -> dict[str, Any]:
            answer = self.send(Call("POST", path, body=body))
            return answer[0] if isinstance(answer, list) else answer

        def contact() -> int:
            body = {"typeId": 1, "referrerId": 1, "lastName": f"Weg {n}", "email": f"weg-{n}@example.com"}
            return int(made("/rest/accounts/contacts", body)["id"])

        def category() -> int:
            details = [{"lang": "de", "name": f"Weg {n}", "plentyId": self.plenty_id()}]
            return int(made("/rest/categories", {"type": "item", "details": details})["id"])

        def item() -> dict[str, Any]:
            return made("/rest/items", {"variations": [self.new_variation(n)]})

        def variation() -> tuple[int, int]:
            item_id = int(item()["id"])
            body = {**self.new_variation(n + 100_000), "isMain": False}
            return item_id, int(made(f"/rest/items/{item_id}/variations", body)["id"])

        return {
            ("DELETE", "/rest/accounts/contacts/{contactId}"): lambda: Call(
                "DELETE", f"/rest/accounts/contacts/{contact()}", [("checkExistingOrders", "true")]
            ),
            ("DELETE", "/rest/categories/{id}"): lambda: Call("DELETE", f"/rest/categories/{category()}"),
            ("DELETE", "/rest/items/{itemId}"): lambda: Call("DELETE", f"/rest/items/{item()['id']}"),
            ("DELETE", "/rest/items/{itemId}/variations/{variationId}"): lambda: Call(
                "DELETE", "/rest/items/{}/variations/{}".format(*variation())
            ),
        }

    def other_category_id(self) -> int:
        linked = {c.get("categoryId") for c in self.variation().get("variationCategories") or []}
        answer = self.get("/rest/categories", [("itemsPerPage", "50"), ("type", "item")])
        free = [c["id"] for c in answer.get("entries", []) if c["id"] not in linked]
        if not free:
            raise AssertionError("no category the variation is not linked to")
        return free[-1]

    def new_variation(self, n: int) -> dict[str, Any]:
        return {
            "number": f"CT-{n}",
            "name": "Vertragstest",
            "unit": {"unitId": 1, "content": 1},
            "variationCategories": [{"categoryId": self.category()["id"]}],
        }

    def new_price(self) -> Call:
        path = self.path("/rest/items/{id}/variations/{variationId}/variation_sales_prices")
        taken = {p.get("salesPriceId") for p in self.get(path) or []}
        price_id = next(i for i in range(1, 1000) if i not in taken)
        return Call("POST", path, body={"salesPriceId": price_id, "price": 9.95})

    def bulk_prices(self, method: str) -> Call:
        """A one-entry list for the bulk price routes: POST a sales price the first variation lacks, PUT one it has."""
        variation = self.variation()
        own = f"/rest/items/{variation['itemId']}/variations/{variation['id']}/variation_sales_prices"
        taken = [p.get("salesPriceId") for p in self.get(own) or []]
        if method == "POST":
            price_id = next(i for i in range(1, 1000) if i not in taken)
        elif taken:
            price_id = taken[0]
        else:
            raise AssertionError(f"variation {variation['id']} has no sales price to update")
        body = [{"variationId": variation["id"], "salesPriceId": price_id, "price": 12.5}]
        return Call(method, "/rest/items/variations/variation_sales_prices", body=body)

    def new_address(self) -> dict[str, Any]:
        return {
            "name2": "Zoë",
            "name3": "Ångström",
            "address1": "Hauptstraße",
            "address2": "1",
            "postalCode": "50667",
            "town": "Köln",
            "countryId": 1,
        }

    def variation(self) -> dict[str, Any]:
        return self.remember("variation", lambda: _first(self.get("/rest/items/variations", [("itemsPerPage", "1")])))

    def order_body(self, n: int) -> dict[str, Any]:
        variation = self.variation()
        contact_id = self.params_for("/rest/accounts/contacts/{contactId}")["contactId"]
        return {
            "typeId": 1,
            "plentyId": 0,
            "referrerId": 1,
            "statusId": 3,
            "properties": [{"typeId": 6, "value": "de"}, {"typeId": 7, "value": f"M-{n}"}],
            "relations": [{"referenceType": "contact", "referenceId": contact_id, "relation": "receiver"}],
            "orderItems": [
                {
                    "typeId": 1,
                    "itemVariationId": variation["id"],
                    "quantity": 2,
                    "orderItemName": "Jacke",
                    "countryVatId": 1,
                    "amounts": [{"currency": "EUR", "priceOriginalGross": 49.9}],
                }
            ],
        }

    def correction(self) -> Call:
        warehouse = self.params_for("/rest/stockmanagement/warehouses/{warehouseId}")["warehouseId"]
        body = {
            "corrections": [
                {"variationId": self.variation()["id"], "reasonId": 301, "quantity": 5, "storageLocationId": 0}
            ]
        }
        return Call("PUT", f"/rest/stockmanagement/warehouses/{warehouse}/stock/correction", body=body)


# --- FreeAgent -------------------------------------------------------------------------------------------------
FREEAGENT_CHANGE_FILTERED = {"/v2/contacts", "/v2/invoices", "/v2/credit_notes"}


def _url_id(record: dict[str, Any]) -> str:
    return str(record["url"]).rstrip("/").rsplit("/", 1)[1]


class FreeAgentPlanner(Planner):
    system = "freeagent"

    def record_id(self, collection: str) -> str:
        """Id of the first record of a collection, creating one when the collection is empty."""

        def find() -> str:
            answer = self.get(collection, [("per_page", "1")])
            rows = answer.get(collection.rsplit("/", 1)[1]) if isinstance(answer, dict) else None
            return _url_id(_first(answer)) if rows else self.create(collection)

        return self.remember(collection, find)

    def create(self, collection: str) -> str:
        builder = self.builders().get(("POST", collection))
        if builder is None:
            raise NoExercise(f"cannot create a record in {collection}")
        answer = self.send(builder())
        return _url_id(next(iter(answer.values())))

    def invoice_receipt(self) -> Call:
        """A payment of a sent EUR invoice into the EUR account (Invoice Export's mark_as_paid_when_paid)."""
        made = self.send(self.builders()[("POST", "/v2/invoices")]())["invoice"]
        self.send(Call("PUT", f"/v2/invoices/{_url_id(made)}/transitions/mark_as_sent"))
        accounts = self.get("/v2/bank_accounts")["bank_accounts"]
        account = next(a for a in accounts if a["currency"] == made["currency"])
        return Call(
            "POST",
            "/v2/bank_transaction_explanations",
            body={
                "bank_transaction_explanation": {
                    "bank_account": account["url"],
                    "paid_invoice": made["url"],
                    "dated_on": "2024-05-03",
                    "gross_value": made["due_value"],
                    "foreign_currency_value": made["due_value"],
                }
            },
        )

    def contact_url(self) -> str:
        return f"{self.client.base_url.rstrip('/')}/v2/contacts/{self.record_id('/v2/contacts')}"

    def generic(self, method: str, contract_path: str) -> Call:
        parts = split_path(contract_path)
        collection = "/" + "/".join(parts[:2])
        if method == "GET" and len(parts) == 2:
            query = [("page", "1"), ("per_page", "5")]
            if collection in FREEAGENT_CHANGE_FILTERED:
                query += [("updated_since", "2000-01-01T00:00:00Z"), ("sort", "updated_at")]
            return Call("GET", contract_path, query)
        if len(parts) == 3 and parts[2] == ":id" and method == "DELETE":
            # delete a record made for the purpose (seeded contacts have invoices and cannot be deleted)
            return Call(method, contract_path.replace(":id", self.create(collection)))
        if len(parts) >= 3 and parts[2] == ":id" and (method == "GET" or "transitions" in parts):
            return Call(method, contract_path.replace(":id", self.record_id(collection)))
        raise NoExercise(f"no exercise for {method} {contract_path}")

    def builders(self) -> dict[tuple[str, str], Callable[[], Call]]:
        conn = self.client.connection
        extra = conn.get("extra") or {}
        n = next(_unique)
        return {
            ("POST", "/v2/token_endpoint"): lambda: Call(
                "POST",
                "/v2/token_endpoint",
                form={"grant_type": "refresh_token", "refresh_token": extra.get("refresh_token", "")},
                basic=(conn["login"], conn["password"]),
                auth=False,
            ),
            ("POST", "/v2/contacts"): lambda: Call(
                "POST",
                "/v2/contacts",
                body={
                    "contact": {
                        "first_name": "Zoë",
                        "last_name": "Ångström",
                        "email": f"contract-{n}@example.com",
                        "country": "Germany",
                        "locale": "de",
                    }
                },
            ),
            ("PUT", "/v2/contacts/:id"): lambda: Call(
                "PUT", f"/v2/contacts/{self.record_id('/v2/contacts')}", body={"contact": {"town": "Köln"}}
            ),
            ("POST", "/v2/invoices"): lambda: Call(
                "POST",
                "/v2/invoices",
                body={
                    "invoice": {
                        "contact": self.contact_url(),
                        "dated_on": "2024-05-01",
                        "payment_terms_in_days": 30,
                        "currency": "EUR",
                        "invoice_items": [
                            {"item_type": "Products", "description": "Jacke", "quantity": "2.0", "price": "49.90"}
                        ],
                    }
                },
            ),
            ("POST", "/v2/bank_transaction_explanations"): lambda: self.invoice_receipt(),
            ("POST", "/v2/price_list_items"): lambda: Call(
                "POST",
                "/v2/price_list_items",
                body={
                    "price_list_item": {
                        "code": f"CONTRACT-{n}",
                        "description": "Jacke",
                        "item_type": "Products",
                        "price": "49.90",
                        "quantity": "1",
                        "vat_status": "standard",
                    }
                },
            ),
            ("PUT", "/v2/price_list_items/:id"): lambda: Call(
                "PUT",
                f"/v2/price_list_items/{self.record_id('/v2/price_list_items')}",
                body={"price_list_item": {"price": "39.90"}},
            ),
            ("PUT", "/v2/invoices/:id"): lambda: Call(
                "PUT", f"/v2/invoices/{self.record_id('/v2/invoices')}", body={"invoice": {"comments": "Sync"}}
            ),
            ("POST", "/v2/credit_notes"): lambda: Call(
                "POST",
                "/v2/credit_notes",
                body={
                    "credit_note": {
                        "contact": self.contact_url(),
                        "dated_on": "2024-05-02",
                        "payment_terms_in_days": 0,
                        "currency": "EUR",
                        "credit_note_items": [
                            {"item_type": "Products", "description": "Retoure", "quantity": "1.0", "price": "-49.90"}
                        ],
                    }
                },
            ),
            ("PUT", "/v2/credit_notes/:id"): lambda: Call(
                "PUT",
                f"/v2/credit_notes/{self.record_id('/v2/credit_notes')}",
                body={"credit_note": {"comments": "Sync"}},
            ),
        }
