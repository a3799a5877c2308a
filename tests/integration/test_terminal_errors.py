"""Terminal errors fail the run in one try, naming what to fix; transient ones keep their retries (issue 18 point 2).

Real DAG runs against the sandbox with three task retries each, so that a retried task would show a second try.
"""

from __future__ import annotations

import json
import logging
import os

import pytest

from tests.integration.test_run_verdict import task_tries

pytestmark = pytest.mark.integration
RETRIES = {"retries": 3, "retry_delay_seconds": 1, "exponential_backoff": False}


def set_conn(monkeypatch: pytest.MonkeyPatch, name: str, **fields: object) -> None:
    conn = json.loads(os.environ[name])
    extra = fields.pop("extra", None)
    conn.update(fields)
    if isinstance(extra, dict):
        conn.setdefault("extra", {}).update(extra)
    monkeypatch.setenv(name, json.dumps(conn))


def failed_in_one_try(dag_id: str) -> None:
    """Some task failed, and no task of the DAG ran a second try."""
    tries = [item for task in ("fetch", "transform", "push", "finish") for item in task_tries(dag_id, task)]
    assert ("failed", 1) in tries and all(number <= 1 for _, number in tries), tries  # 0: never started


def logged(capfd: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture) -> str:
    return "".join(capfd.readouterr()) + caplog.text


@pytest.fixture(autouse=True)
def _info_logs(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)


def test_a_wrong_magento_password_fails_the_run_in_one_try_naming_the_connection(
    world, monkeypatch, capfd, caplog
) -> None:
    set_conn(monkeypatch, "AIRFLOW_CONN_MAGENTO_DEFAULT", password="not-the-password")
    world.write_profile("order_export_plenty", task_retries=RETRIES)
    run = world.run("order_export_plenty")
    assert run.state == "failed"
    assert task_tries("order_export_plenty", "fetch") == [("failed", 1)]
    text = logged(capfd, caplog)
    assert "Fix the Airflow connection 'magento_default'" in text
    assert "not-the-password" not in text


def test_a_revoked_refresh_token_fails_the_run_in_one_try(world, admin, capfd, caplog) -> None:
    admin["freeagent"].set_auth(revoke_refresh_tokens=True)
    world.write_profile("contact_export_freeagent", task_retries=RETRIES)
    try:
        run = world.run("contact_export_freeagent")
    finally:
        admin["freeagent"].set_auth(revoke_refresh_tokens=False)  # a reset keeps the auth settings
    assert run.state == "failed"
    failed_in_one_try("contact_export_freeagent")
    text = logged(capfd, caplog)
    assert "invalid_grant" in text and "'freeagent_default'" in text


def test_a_missing_connection_fails_the_run_in_one_try_naming_the_profile_field(world, capfd, caplog) -> None:
    world.write_profile("order_export_plenty", task_retries=RETRIES, connections={"plenty": "plenty_eu"})
    run = world.run("order_export_plenty")
    assert run.state == "failed"
    failed_in_one_try("order_export_plenty")
    text = logged(capfd, caplog)
    assert "plenty_eu" in text and "connections.plenty" in text


def test_a_transient_outage_keeps_its_retries(world, admin, monkeypatch) -> None:
    set_conn(monkeypatch, "AIRFLOW_CONN_MAGENTO_DEFAULT", extra={"max_attempts": 1})
    admin["magento"].set_faults(error_rate=1.0, error_codes=[503], only_paths=["/rest/V1/orders"], seed=1)
    world.write_profile("order_export_plenty", task_retries={**RETRIES, "retries": 1})
    run = world.run("order_export_plenty")
    assert run.state == "failed"
    assert task_tries("order_export_plenty", "fetch") == [("failed", 2)], "a 503 is retried by Airflow"
