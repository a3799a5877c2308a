"""Every sample profile, exactly as shipped, against a freshly reset sandbox, run in dependency order (issue 14's
acceptance): each ends with 0 failed records apart from the seed's deliberate bad records, which
``include/sandbox/README.md`` lists (orders that hold a Magento-only SKU, which PlentyONE cannot take).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from profile_sync.profiles import load_profiles
from tests.integration.test_plenty_customer_export_run import assert_requests_fit_the_contracts
from tests.integration.test_plenty_order_export_run import all_records

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def sandbox() -> Iterator[object]:
    """The harness's sandbox, remembering enough requests that one run at the small scale is checked whole."""
    from sandbox.core.testing import running_sandbox

    with running_sandbox(seed=11, scale="tiny", env={"SANDBOX_REQUEST_LOG_SIZE": "20000"}) as urls:
        yield urls
ROOT = Path(__file__).resolve().parents[2]
# catalogue first (Product Import needs the attributes and categories), then what refers to it; FreeAgent's
# contacts before the documents that name them
ORDER = (
    "category_import_plenty", "attribute_import_plenty", "product_import_plenty", "category_export_plenty",
    "attribute_export_plenty", "product_export_plenty", "stock_import_plenty", "stock_export_plenty",
    "customer_export_plenty", "customer_import_plenty", "order_export_plenty", "order_import_plenty",
    "contact_export_freeagent", "contact_import_freeagent", "invoice_export_freeagent",
    "creditmemo_export_freeagent", "product_export_freeagent",
)


def load_profile(profile_id: str):  # type: ignore[no-untyped-def]
    return next(i.profile for i in load_profiles(ROOT / "profile_configs").profiles if i.profile.id == profile_id)


def shipped() -> list[str]:
    present = {p.stem for p in (ROOT / "profile_configs").glob("*.yaml") if p.stem != "defaults"}
    assert present <= set(ORDER), f"a sample profile this test does not run: {sorted(present - set(ORDER))}"
    return [p for p in ORDER if p in present]


def deliberate_bad_records(admin) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """The seed's records a sample profile must fail, per profile: FreeAgent contacts that are an organisation
    only (Magento needs a person's name), and orders with a line whose SKU exists only in Magento (PlentyONE has
    no variation for it yet) among those the Order Export reads (its status filter)."""
    contacts = all_records(admin["freeagent"], "contacts")
    organisations = [c for c in contacts if not (c.get("first_name") or c.get("last_name"))]
    numbers = {str(v["number"]) for v in all_records(admin["plenty"], "variations")}
    exported = set(load_profile("order_export_plenty").entity_config.order_statuses)
    orders = [o for o in all_records(admin["magento"], "orders") if o["status"] in exported
              and any(str(i["sku"]) not in numbers for i in o["items"] if not i.get("parent_item_id"))]
    return {"contact_import_freeagent": len(organisations), "order_export_plenty": len(orders)}


@pytest.mark.parametrize(("seed", "scale"), [(7, "tiny"), pytest.param(1, "small", marks=pytest.mark.slow)])
def test_every_sample_in_dependency_order_fails_only_the_seeds_bad_records(world, admin, sandbox, seed: int,
                                                                           scale: str) -> None:
    for client in admin.values():
        client.reset(seed=seed, scale=scale)
    assert deliberate_bad_records(admin)["contact_import_freeagent"] == 2  # the seed's two organisations
    for profile in shipped():
        world.write_profile(profile)
        # counted just before the run: the Product Export before the Order Export makes Magento-only SKUs
        # variations, so that the orders holding them are no longer bad
        expected = deliberate_bad_records(admin).get(profile, 0)
        run = world.run(profile)
        assert run.summary["failed"] == expected, (profile, run.summary)
        assert run.summary["complete"] is True, (profile, run.summary)
        # a run whose records failed is red (fail_when: new failures), one without is green
        assert run.state == ("failed" if expected else "success"), (profile, run.task_states)
        assert_requests_fit_the_contracts(sandbox)  # per run: the request log holds the last 2,000 requests
        for client in admin.values():
            client.clear_requests()
