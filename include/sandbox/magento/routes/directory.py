"""Directory: ``GET /V1/directory/countries`` and ``GET /V1/directory/countries/{countryId}`` (regions)."""

from __future__ import annotations

from fastapi import APIRouter, Response

from sandbox.core.app import VendorError, json_response
from sandbox.geo import COUNTRIES
from sandbox.magento.common import mroute
from sandbox.magento.directory import country_info

router = APIRouter()

# webapi.xml of Magento_Directory: the directory routes are anonymous (no token needed)
NOT_FOUND = "Requested country is not available."


@mroute(router, "GET", "/V1/directory/countries", resource=None)
async def countries() -> Response:
    return json_response([country_info(iso2) for iso2, _, _ in COUNTRIES])


@mroute(router, "GET", "/V1/directory/countries/{countryId}", resource=None)
async def country(countryId: str) -> Response:  # noqa: N803 (the contract's name)
    info = country_info(countryId.upper())
    if info is None:
        # NoSuchEntityException, which the web API answers with 404
        raise VendorError(404, NOT_FOUND, body={"message": NOT_FOUND})
    return json_response(info)
