"""``GET /rest/items/variations`` filters the Stock Import reads by (issue 15 point 23): ``id`` takes a comma
separated list (contract: "More than one ID should be separated by commas"), and ``numberExact`` is a filter that
lists every variation with the number, a legacy duplicate too (the sandbox refuses a duplicate on write, as
PlentyONE does; older data may hold one)."""

from __future__ import annotations

import requests

from sandbox.core.testing import SandboxAdmin
from tests.sandbox.test_plenty_api import admin, all_pages, base_url, session  # noqa: F401 (fixtures)

VARIATIONS = "/rest/items/variations"


def test_id_takes_a_comma_separated_list_and_pages_it(
    base_url: str, session: requests.Session, admin: SandboxAdmin  # noqa: F811
) -> None:
    every, _ = all_pages(session, f"{base_url}{VARIATIONS}", per_page=50)
    wanted = sorted(v["id"] for v in every)[2:9]
    found = session.get(f"{base_url}{VARIATIONS}", params={"id": ",".join(map(str, wanted))}, timeout=10).json()
    assert sorted(v["id"] for v in found["entries"]) == wanted
    assert (found["totalsCount"], found["isLastPage"]) == (len(wanted), True)
    paged, first = all_pages(session, f"{base_url}{VARIATIONS}", {"id": ",".join(map(str, wanted))}, per_page=3)
    assert sorted(v["id"] for v in paged) == wanted and first["lastPageNumber"] == 3
    unknown = session.get(f"{base_url}{VARIATIONS}", params={"id": "999999"}, timeout=10).json()
    assert unknown["entries"] == []
    refused = session.get(f"{base_url}{VARIATIONS}", params={"id": "1,x"}, timeout=10)
    assert refused.status_code == 422


def test_number_exact_lists_every_holder_of_a_duplicated_number(
    base_url: str, session: requests.Session, admin: SandboxAdmin  # noqa: F811
) -> None:
    every, _ = all_pages(session, f"{base_url}{VARIATIONS}", per_page=50)
    original = next(v for v in every if v.get("number"))
    admin.create("variations", {"id": 990_100, "itemId": original["itemId"], "isMain": False,
                                "mainVariationId": None, "number": original["number"]})
    found = session.get(f"{base_url}{VARIATIONS}", params={"numberExact": original["number"]}, timeout=10).json()
    assert sorted(v["id"] for v in found["entries"]) == sorted([original["id"], 990_100])
    assert all(v["number"] == original["number"] for v in found["entries"])
    other = next(v for v in every if v.get("number") and v["number"] != original["number"])
    alone = session.get(f"{base_url}{VARIATIONS}", params={"numberExact": other["number"]}, timeout=10).json()
    assert [v["id"] for v in alone["entries"]] == [other["id"]]
