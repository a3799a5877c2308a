"""The "Sync profiles" view in a real browser, inside a real Airflow (what `make run` starts, via LocalStack).

Headless Debian Chromium driven by Playwright's Python package (no browser download). Screenshots of every
page go to tests/artifacts/screenshots/ (ignored by git).
"""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from localrun.stack import LocalStack, free_port

from profile_sync.state import StateStore
from tests.conftest import stack_home
from tests.plugin.seed import PROFILE, bulk_mapped_records, seed_after_sync

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "tests" / "artifacts" / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DAG_ID = PROFILE[0]


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LocalStack, StateStore]]:
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    pytest.importorskip("playwright.sync_api")
    home = stack_home("ui")
    state_url = f"sqlite:///{home / 'sync_state.db'}"
    stack = LocalStack(  # no sandbox APIs: the view shows state seeded into the store, which no run may change
        serve_sandbox=False,
        airflow_home=home,
        airflow_port=free_port(),
        sandbox_ports=(free_port(), free_port(), free_port()),
        extra_env={"AIRFLOW_CONN_SYNC_STATE": json.dumps({"conn_type": "sqlite", "extra": {"url": state_url}})},
    )
    store = StateStore(state_url)
    try:
        stack.start()
        stack.wait_for_dags({DAG_ID})
        yield stack, store
    finally:
        stack.stop()
        store.close()
        shutil.rmtree(home, ignore_errors=True)


@contextmanager
def signed_in(local: LocalStack, user: str) -> Iterator[tuple[Any, str]]:
    """A headless Chromium page signed in to the stack's Airflow as ``user``, and Airflow's base url."""
    from playwright.sync_api import sync_playwright

    base_url = f"http://127.0.0.1:{local.airflow_port}"
    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            page = browser.new_page(viewport={"width": 1440, "height": 1000})
            page.set_default_timeout(60_000)
            log_in(page, base_url, user, local.users[user])
            yield page, base_url
        finally:
            browser.close()


def launch(playwright):  # type: ignore[no-untyped-def]
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


def log_in(page, base_url: str, user: str, password: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base_url}/")
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", password)
    page.click("button:has-text('Sign in')")
    page.wait_for_url(lambda url: "/auth/login" not in url, timeout=60_000)


def test_admin_sees_records_and_failures_and_retries_them(stack: tuple[LocalStack, StateStore]) -> None:
    from playwright.sync_api import expect

    local, store = stack
    ids = seed_after_sync(store)
    shutil.rmtree(SHOTS, ignore_errors=True)
    SHOTS.mkdir(parents=True)
    with signed_in(local, "admin") as (page, base_url):
        # the profile list, from Airflow's navigation
        page.goto(f"{base_url}/plugin/sync-profiles")
        frame = page.frame_locator("iframe[title='Sync profiles']")
        row = frame.locator(f"tr[data-profile='{DAG_ID}']")
        expect(row).to_contain_text("Order Export [PlentyONE]")
        expect(row.locator("td").nth(5)).to_have_text(str(len(ids["synced"])))
        expect(row.locator("td").nth(6)).to_have_text(str(len(ids["failed"])))
        expect(frame.locator("#profiles tbody tr")).to_have_count(17)
        page.screenshot(path=str(SHOTS / "01-profile-list.png"))

        # the profile: records, then the failed entries
        row.get_by_role("link", name="Order Export [PlentyONE]").click()
        expect(frame.locator("#title")).to_have_text("Order Export [PlentyONE]")
        expect(frame.locator("#records tbody tr")).to_have_count(50)
        expect(frame.locator("#records-pager")).to_contain_text(f"of {len(ids['synced'])}")
        frame.locator("#records-search").fill(ids["synced"][7])
        frame.locator("#records-filter button").click()
        expect(frame.locator("#records tbody tr")).to_have_count(1)
        expect(frame.locator("#records tbody")).to_contain_text("5007")
        page.screenshot(path=str(SHOTS / "02-profile-records.png"))

        frame.get_by_role("tab", name="Failed entries").click()
        failed_rows = frame.locator("#failed tbody tr")
        expect(failed_rows).to_have_count(len(ids["failed"]))
        expect(frame.locator("#failed tbody")).to_contain_text("has no PlentyONE variation")
        page.screenshot(path=str(SHOTS / "03-failed-entries.png"))

        frame.get_by_role("tab", name="History").click()
        frame.locator("#history-source").fill(ids["synced"][3])
        frame.locator("#history-filter button").click()
        expect(frame.locator("#history tbody")).to_contain_text("created")
        page.screenshot(path=str(SHOTS / "04-record-history.png"))

        # retry: a new DAG run, queued, with the retry Param
        api = local.api
        api.login()
        before = {run["dag_run_id"] for run in api.runs(DAG_ID)}
        retry = frame.locator("#retry-failed")
        expect(retry).to_be_enabled()
        retry.click()
        new_run = frame.locator("#new-run")
        expect(new_run).to_be_visible()
        expect(frame.locator("#action-result")).to_contain_text("queued")
        run_id = new_run.inner_text()
        page.screenshot(path=str(SHOTS / "05-retry-queued.png"))
        runs = {run["dag_run_id"]: run for run in api.runs(DAG_ID)}
        assert run_id in runs and run_id not in before
        assert runs[run_id]["conf"] == {"retry_failed": True}
        assert runs[run_id]["run_type"] == "manual" and runs[run_id]["triggering_user_name"] == "admin"

        # the same view as a tab of the DAG's own page
        page.goto(f"{base_url}/dags/{DAG_ID}/plugin/sync-records")
        tab = page.frame_locator("iframe[title='Sync records']")
        expect(tab.locator("#title")).to_have_text("Order Export [PlentyONE]")
        expect(tab.locator("#runs tbody")).to_contain_text(run_id)
        page.screenshot(path=str(SHOTS / "06-dag-tab.png"))


def test_viewer_cannot_press_the_buttons(stack: tuple[LocalStack, StateStore]) -> None:
    from playwright.sync_api import expect

    local, _store = stack
    with signed_in(local, "viewer") as (page, base_url):
        page.goto(f"{base_url}/dags/{DAG_ID}/plugin/sync-records")
        frame = page.frame_locator("iframe[title='Sync records']")
        expect(frame.locator("#title")).to_have_text("Order Export [PlentyONE]")
        expect(frame.locator("#retry-failed")).to_be_disabled()
        expect(frame.locator("#resync")).to_be_disabled()
        page.screenshot(path=str(SHOTS / "07-viewer-read-only.png"))


def test_profile_page_with_100000_records_in_the_browser(stack: tuple[LocalStack, StateStore]) -> None:
    """Measures (does not assert on) how long the page takes to show its first 50 of 100,000 records."""
    from playwright.sync_api import expect

    local, store = stack
    big = "customer_export_plenty"
    bulk_mapped_records(store, big, 100_000)
    with signed_in(local, "viewer") as (page, base_url):
        timings = {}
        for attempt in range(3):  # the first includes the plugin's first use of the store
            started = time.perf_counter()
            page.goto(f"{base_url}/profile-sync/profiles/{big}")
            expect(page.locator("#records tbody tr")).to_have_count(50)
            expect(page.locator("#records-pager")).to_contain_text("of 100,000")
            timings[f"open #{attempt + 1}"] = time.perf_counter() - started
        started = time.perf_counter()
        page.locator("#records-search").fill("c0099999")
        page.locator("#records-filter button").click()
        expect(page.locator("#records tbody tr")).to_have_count(1)
        timings["search"] = time.perf_counter() - started
        page.screenshot(path=str(SHOTS / "08-100k-records.png"))
    print(
        "\nprofile page with 100,000 records, in Chromium (s): "
        + ", ".join(f"{name}: {seconds:.2f}" for name, seconds in timings.items())
    )


# --- the profile page's chart of the last runs -------------------------------------------------------------
CHART_PROFILE = ("stock_import_plenty", "plenty", "stock", "import")
# (created, updated, failed) per run, oldest first
RUNS = [(12, 0, 3), (0, 8, 1), (2, 5, 0), (0, 0, 6), (4, 9, 2)]


def seed_runs(store: StateStore) -> list[str]:
    profile_id = CHART_PROFILE[0]
    store.register_profile(*CHART_PROFILE)
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


def test_the_profile_page_charts_the_last_runs(stack: tuple[LocalStack, StateStore]) -> None:
    """The profile page's chart of the last runs (issue 18 point 7), screenshot 09-last-runs-chart.png; runs are
    written through the state store's API (in this module: one Airflow stack serves every browser test)."""
    from playwright.sync_api import expect

    local, store = stack
    run_ids = seed_runs(store)
    SHOTS.mkdir(parents=True, exist_ok=True)
    with signed_in(local, "viewer") as (page, base_url):
        page.goto(f"{base_url}/profile-sync/profiles/{CHART_PROFILE[0]}")
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
