"""The connection types through Airflow's REST API (issue 19 point 3): ``POST /api/v2/connections/test`` runs the
product's own ``test_connection`` against the sandbox: green for the sandbox's credentials, red with the vendor's
message for a wrong one; ``http`` connections keep working; the form's fields come from the provider info.

The checkout is not pip-installed, so the test gives a real ``airflow api-server`` the one thing an install adds
for this: the distribution's metadata with its ``apache_airflow_provider`` entry point (the code stays this
checkout's, on PYTHONPATH as ``make run`` has it).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.plugin.airflow_server import ROOT, AirflowServer

pytestmark = pytest.mark.integration
SANDBOX_LOGINS = {
    "magento": {"login": "admin", "password": "sandbox-admin-pass"},
    "plentyone": {"login": "rest-user", "password": "sandbox-plenty-pass"},
    "freeagent": {
        "login": "sandbox-client-id",
        "password": "sandbox-client-secret",
        "extra": json.dumps({"refresh_token": "sandbox-refresh-token"}),
    },
}


def provider_metadata(site: Path) -> Path:
    """A dist-info for ``profile-sync`` naming the provider entry point, as ``pip install`` of the wheel writes it."""
    info = site / "profile_sync-0.0.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: profile-sync\nVersion: 0.0.0\n")
    (info / "entry_points.txt").write_text(
        "[apache_airflow_provider]\nprovider_info = profile_sync.provider_info:get_provider_info\n"
    )
    return site


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Any]:
    from sandbox.core.testing import running_sandbox

    with running_sandbox(seed=11, scale="tiny") as urls:
        yield urls


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AirflowServer]:
    site = provider_metadata(tmp_path_factory.mktemp("site"))
    home = tmp_path_factory.mktemp("airflow-home")
    server = AirflowServer(
        home,
        extra_env={
            "PYTHONPATH": os.pathsep.join((str(site), str(ROOT / "plugins"), str(ROOT / "include"))),
            "AIRFLOW__CORE__TEST_CONNECTION": "Enabled",
            "AIRFLOW__CORE__DAGS_FOLDER": str(home / "dags"),  # none needed: the start skips parsing the samples
        },
    )
    server.start()
    try:
        yield server
    finally:
        server.stop()


def _port(url: str) -> int:
    return int(str(url).rstrip("/").rsplit(":", 1)[1])


def _test(server: AirflowServer, body: dict[str, Any]) -> dict[str, Any]:
    response = server.session("admin").post(f"{server.base_url}/api/v2/connections/test", json=body, timeout=60)
    assert response.status_code == 200, response.text
    return response.json()


def _body(conn_type: str, url: str, **overrides: Any) -> dict[str, Any]:
    return {
        "connection_id": f"test_{conn_type}",
        "conn_type": conn_type,
        "host": "127.0.0.1",
        "port": _port(url),
        "schema": "http",
        **SANDBOX_LOGINS[conn_type],
        **overrides,
    }


def test_the_sandbox_connections_test_green(server: AirflowServer, sandbox: Any) -> None:
    urls = {"magento": sandbox.magento, "plentyone": sandbox.plenty, "freeagent": sandbox.freeagent}
    for conn_type, url in urls.items():
        result = _test(server, _body(conn_type, url))
        assert result["status"] is True, (conn_type, result)
        assert "Connected to" in result["message"], result


def test_a_wrong_password_is_red_with_the_vendors_message(server: AirflowServer, sandbox: Any) -> None:
    magento = _test(server, _body("magento", sandbox.magento, password="wrong-Pa55"))
    assert magento["status"] is False
    assert "The account sign-in was incorrect" in magento["message"]
    assert "wrong-Pa55" not in magento["message"]
    plenty = _test(server, _body("plentyone", sandbox.plenty, password="wrong-Pa55"))
    assert plenty["status"] is False and "The user credentials were incorrect" in plenty["message"], plenty
    freeagent = _test(server, _body("freeagent", sandbox.freeagent, password="wrong-secret"))
    assert freeagent["status"] is False and "invalid_client" in freeagent["message"], freeagent


def test_http_connections_keep_working(server: AirflowServer, sandbox: Any) -> None:
    body = {"connection_id": "plain_http", "conn_type": "http", "host": "127.0.0.1", "port": _port(sandbox.magento)}
    result = _test(server, body)
    assert set(result) >= {"status", "message"}  # HttpHook's own test, as before the connection types


def test_the_form_has_each_systems_fields(server: AirflowServer) -> None:
    response = server.session("admin").get(f"{server.base_url}/ui/connections/hook_meta", timeout=60)
    assert response.status_code == 200, response.text
    by_type = {item["connection_type"]: item for item in response.json()}
    assert {"magento", "plentyone", "freeagent", "http"} <= set(by_type)
    freeagent = by_type["freeagent"]
    assert freeagent["hook_name"] == "FreeAgent"
    assert freeagent["extra_fields"]["refresh_token"]["schema"]["format"] == "password"
    assert freeagent["standard_fields"]["login"]["title"] == "OAuth client id"
    assert by_type["plentyone"]["extra_fields"]["rate_limit_per_minute"]["schema"]["type"] == ["integer", "null"]
    assert by_type["magento"]["extra_fields"]["access_token"]["schema"]["format"] == "password"
    assert by_type["magento"]["standard_fields"]["host"]["placeholder"] == "shop.example.com"


@pytest.mark.browser
@pytest.mark.parametrize(
    ("label", "standard", "extra"),
    [
        (
            "Magento 2",
            ["Admin username", "Admin password", "shop.example.com"],
            ["Integration access token", "Admin token lifetime (s)", "Requests per minute"],
        ),
        (
            "FreeAgent",
            ["OAuth client id", "OAuth client secret", "the app's OAuth identifier"],
            ["Refresh token", "Requests per minute", "Requests per hour"],
        ),
    ],
)
def test_the_connection_form_in_chromium(
    server: AirflowServer, label: str, standard: list[str], extra: list[str]
) -> None:
    """The UI's "Add Connection" form for the type: relabelled standard fields with placeholders, and the extra
    fields; screenshots of both parts go to tests/artifacts/screenshots/connection-form-<type>-*.png."""
    from tests.plugin.test_browser import CHROMIUM, SHOTS, launch, log_in

    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    name = label.split()[0].lower()
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 1400})
            log_in(page, server.base_url, "admin", "admin")
            page.goto(f"{server.base_url}/connections")
            page.get_by_role("button", name="Add Connection").click()
            page.get_by_label("Connection ID").fill(f"{name}_default")
            page.get_by_role("combobox").fill(label)
            page.get_by_role("option", name=label).first.click()
            for part, texts in (("Standard Fields", standard), ("Extra Fields", extra)):
                page.wait_for_timeout(1000)  # the form settles on the type's fields (Standard Fields open)
                if not page.get_by_text(texts[0], exact=True).first.is_visible():
                    page.get_by_text(part, exact=True).first.click()  # one part of the form open at a time
                for text_shown in texts:
                    shown = page.get_by_text(text_shown, exact=True).or_(page.get_by_placeholder(text_shown))
                    sync_api.expect(shown.first).to_be_visible(timeout=30_000)
                shot = SHOTS / f"connection-form-{name}-{part.split()[0].lower()}.png"
                page.screenshot(path=str(shot), full_page=True)
        finally:
            browser.close()
