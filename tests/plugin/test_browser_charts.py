"""The profile page's chart of the last runs (issue 18 point 7), in headless Chromium inside a real Airflow, with a
screenshot (tests/artifacts/screenshots/09-last-runs-chart.png). Runs are written through the state store's API."""

from __future__ import annotations

import pytest

from profile_sync.state import StateStore
from tests.plugin.test_browser import SHOTS, launch, log_in, stack  # noqa: F401  (the module's LocalStack fixture)

pytestmark = pytest.mark.browser
PROFILE = ("stock_import_plenty", "plenty", "stock", "import")
# (created, updated, failed) per run, oldest first
RUNS = [(12, 0, 3), (0, 8, 1), (2, 5, 0), (0, 0, 6), (4, 9, 2)]


def seed_runs(store: StateStore) -> list[str]:
    profile_id = PROFILE[0]
    store.register_profile(*PROFILE)
    run_ids = []
    for index, (created, updated, failed) in enumerate(RUNS):
        run_id = f"scheduled__2026-02-0{index + 1}T00:00:00+00:00"
        run_ids.append(run_id)
        for n in range(created + updated):
            action = "created" if n < created else "updated"
            store.record_synced(profile_id, "default", f"v{index}-{n}", f"{n}", f"h{index}", action, run_id, True)
        for n in range(failed):
            store.record_failed(profile_id, "default", f"bad{index}-{n}", "no warehouse", run_id, history=True)
    return run_ids


def test_the_profile_page_charts_the_last_runs(stack) -> None:  # noqa: F811
    from playwright.sync_api import expect, sync_playwright

    local, store = stack
    run_ids = seed_runs(store)
    SHOTS.mkdir(parents=True, exist_ok=True)
    base_url = f"http://127.0.0.1:{local.airflow_port}"
    with sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page(viewport={"width": 1440, "height": 1000})
        page.set_default_timeout(60_000)
        log_in(page, base_url, "viewer", local.users["viewer"])
        page.goto(f"{base_url}/profile-sync/profiles/{PROFILE[0]}")
        chart = page.locator("#trend-chart svg")
        expect(chart).to_be_visible()
        bars = chart.locator("g.run")
        expect(bars).to_have_count(len(RUNS))
        for index, (run_id, (created, updated, failed)) in enumerate(zip(run_ids, RUNS, strict=True)):
            bar = bars.nth(index)  # oldest left
            assert bar.get_attribute("data-run") == run_id
            for key, count in (("created", created), ("updated", updated), ("failed", failed)):
                rect = bar.locator(f"rect.{key}")
                expect(rect).to_have_count(1 if count else 0)
                if count:
                    assert rect.get_attribute("data-count") == str(count)
        # taller bar for more records: run 1 (15 records) over run 4 (6)
        heights = [sum(float(r.get_attribute("height")) for r in bars.nth(i).locator("rect").all()) for i in (0, 3)]
        assert heights[0] > heights[1] > 0
        expect(page.locator("#trend-queue")).to_contain_text("waiting in the export queue")
        page.locator("#trend").screenshot(path=str(SHOTS / "09-last-runs-chart.png"))
        browser.close()
