"""Customers: ``/V1/customers/search``, ``/V1/customers/{customerId}`` (GET, PUT, DELETE), ``POST /V1/customers``."""

from __future__ import annotations

import time
from typing import Any

from fastapi import APIRouter, Request, Response

from sandbox.core.app import VendorError, json_response
from sandbox.geo import MAGENTO_REGIONS
from sandbox.magento.common import (
    MagentoDep,
    found,
    json_body,
    mroute,
    no_such_entity,
    public,
    require,
    search_response,
)
from sandbox.magento.directory import check_customer_address, region_id_of
from sandbox.magento.search import EntitySpec, magento_time
from sandbox.magento.state import MagentoState
from sandbox.magento.strict import Dto, check_body

router = APIRouter()

RESOURCE = "Magento_Customer::manage"
SPEC = EntitySpec(aliases={"entity_id": "id"}, eav=True)  # a sort on "id" is ignored (search.EntitySpec.eav)
_API = "Magento\\Customer\\Api\\Data\\"
# the properties of the data interfaces, as admin-schema-2.4.8.yaml declares them
REGION = Dto(_API + "RegionInterface", ("region_code", "region", "region_id"))
ADDRESS = Dto(_API + "AddressInterface",
              ("id", "customer_id", "region", "region_id", "country_id", "street", "company", "telephone", "fax",
               "postcode", "city", "firstname", "lastname", "middlename", "prefix", "suffix", "vat_id",
               "default_shipping", "default_billing"),
              nested={"region": REGION}, extension=Dto(_API + "AddressExtensionInterface", ()))
CUSTOMER = Dto(_API + "CustomerInterface",
               ("id", "group_id", "default_billing", "default_shipping", "confirmation", "created_at", "updated_at",
                "created_in", "dob", "email", "firstname", "lastname", "middlename", "prefix", "suffix", "gender",
                "store_id", "taxvat", "website_id", "addresses", "disable_auto_group_change"),
               nested={"addresses": ADDRESS},
               extension=Dto(_API + "CustomerExtensionInterface", ("is_subscribed", "assistance_allowed",
                                                                   "company_attributes")))


def _with_region(address: dict[str, Any]) -> dict[str, Any]:
    """The address as Magento stores it: a known region id also fills the region object (code and name)."""
    country = str(address.get("country_id") or "").upper()
    region_id = region_id_of(address)
    known = next((r for r in MAGENTO_REGIONS.get(country, ()) if str(r[0]) == str(region_id)), None)
    if known is None:
        return address
    return dict(address, region_id=known[0], region={"region_code": known[1], "region": known[2],
                                                     "region_id": known[0]})


def _clean_customer(state: MagentoState, data: dict[str, Any], key: int, existing: dict[str, Any] | None,
                    now: float) -> dict[str, Any]:
    for name in ("email", "firstname", "lastname"):
        if not data.get(name) and not (existing and existing.get(name)):
            raise VendorError(400, f'"{name}" is required. Enter and try again.',
                              body={"message": '"%fieldName" is required. Enter and try again.',
                                    "parameters": [{"fieldName": name}]})
    record = dict(existing or {"group_id": 1, "store_id": 1, "website_id": 1, "created_in": "Default Store View",
                               "disable_auto_group_change": 0, "addresses": [],
                               "created_at": magento_time(now)})
    record.update({k: v for k, v in data.items() if k not in ("id", "created_at", "updated_at")})
    record["id"] = key
    record["updated_at"] = magento_time(now)
    email = str(record["email"]).lower()
    clash = next((c for c in state.tables["customers"].records()
                  if c["id"] != key and str(c.get("email", "")).lower() == email
                  and c.get("website_id") == record.get("website_id")), None)
    if clash is not None:
        raise VendorError(400, "A customer with the same email address already exists in an associated website.")
    next_address = max((a.get("id", 0) for c in state.tables["customers"].records()
                        for a in c.get("addresses") or ()), default=0) + 1
    addresses = []
    for address in record.get("addresses") or []:
        check_customer_address(address)
        address = dict(_with_region(address), customer_id=key)
        if not address.get("id"):
            address["id"] = next_address
            next_address += 1
        addresses.append(address)
    record["addresses"] = addresses
    return record


@mroute(router, "GET", "/V1/customers/search", resource=RESOURCE)
async def search(state: MagentoDep, request: Request) -> Response:
    return search_response(request, state.tables["customers"], SPEC)


@mroute(router, "GET", "/V1/customers/{customerId}", resource=RESOURCE)
async def get_customer(state: MagentoDep, customerId: int) -> Response:  # noqa: N803 (the contract's name)
    record = found(state.tables["customers"], customerId, "customerId")
    return json_response(public(record))


@mroute(router, "POST", "/V1/customers", resource=RESOURCE)
async def create_customer(state: MagentoDep, request: Request) -> Response:
    body = await json_body(request)
    check_body(body, {"customer": CUSTOMER})
    data = CUSTOMER.normalize(require(body, "customer"))
    if not isinstance(data, dict):
        raise VendorError(400, "customer must be an object")
    table = state.tables["customers"]
    if data.get("id"):
        raise VendorError(400, "A customer with the same email address already exists in an associated website."
                          if data["id"] in table else f"No such entity with customerId = {data['id']}")
    now = time.time()
    key = table.next_key()
    record = _clean_customer(state, data, key, None, now)
    table.put(key, record, now)
    return json_response(public(record))


@mroute(router, "PUT", "/V1/customers/{customerId}", resource=RESOURCE)
async def update_customer(state: MagentoDep, customerId: int, request: Request) -> Response:  # noqa: N803
    body = await json_body(request)
    check_body(body, {"customer": CUSTOMER})
    data = CUSTOMER.normalize(require(body, "customer"))
    table = state.tables["customers"]
    existing = found(table, customerId, "customerId")
    now = time.time()
    record = _clean_customer(state, data, customerId, existing, now)
    table.put(customerId, record, now)
    return json_response(public(record))


@mroute(router, "DELETE", "/V1/customers/{customerId}", resource=RESOURCE)
async def delete_customer(state: MagentoDep, customerId: int) -> Response:  # noqa: N803
    if state.tables["customers"].delete(customerId) is None:
        raise no_such_entity("customerId", customerId)
    return json_response(True)
