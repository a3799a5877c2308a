"""The deadline alert under Airflow's own scheduler (issue 18 point 3): a profile with ``notify.deadline_minutes`` whose
run has not finished in time mails the loopback SMTP server (aiosmtpd). The run is queued on a paused DAG, so it
cannot finish; the stack is make run's (LocalStack's public start / stop / api / wait_for_dags)."""

from __future__ import annotations

import json
import shutil
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from localrun.stack import LocalStack, free_port

from tests.conftest import stack_home
from tests.integration.test_alerts import Inbox

pytestmark = [pytest.mark.integration, pytest.mark.slow]
ROOT = Path(__file__).resolve().parents[2]
PROFILE = "contact_export_freeagent"


@pytest.fixture(scope="module")
def inbox() -> Iterator[tuple[Inbox, int]]:
    from aiosmtpd.controller import Controller

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield handler, port
    finally:
        controller.stop()


@pytest.fixture(scope="module")
def stack(inbox: tuple[Inbox, int]) -> Iterator[LocalStack]:
    _, smtp_port = inbox
    home = stack_home("deadline")
    config = home / "profile_configs"
    config.mkdir()
    shutil.copy(ROOT / "profile_configs" / "defaults.yaml", config)
    data = yaml.safe_load((ROOT / "profile_configs" / f"{PROFILE}.yaml").read_text())
    data.update(schedule=None, enabled=False, notify={"email": ["sync-ops@example.com"], "deadline_minutes": 1})
    (config / f"{PROFILE}.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    smtp = {"disable_ssl": True, "disable_tls": True, "from_email": "profile-sync@example.com"}
    stack = LocalStack(
        airflow_home=home / "airflow_home",
        airflow_port=free_port(),
        sandbox_ports=(free_port(), free_port(), free_port()),
        sandbox_scale="tiny",
        extra_env={
            "PROFILE_SYNC_CONFIG_DIR": str(config),
            "AIRFLOW_CONN_SMTP_DEFAULT": json.dumps(
                {"conn_type": "smtp", "host": "127.0.0.1", "port": smtp_port, "extra": smtp}
            ),
        },
    )
    try:
        stack.start(timeout=300)
        yield stack
    finally:
        stack.stop()
        shutil.rmtree(stack.airflow_home / "postgres", ignore_errors=True)


def test_a_run_past_its_deadline_is_mailed(stack: LocalStack, inbox: tuple[Inbox, int]) -> None:
    handler, _ = inbox
    stack.wait_for_dags({PROFILE})
    api = stack.api
    api.login()
    run = api.trigger(PROFILE)  # the DAG stays paused: the run stays queued past its one-minute deadline
    deadline = time.monotonic() + 240
    while not handler.messages:
        assert time.monotonic() < deadline, f"no deadline mail; run {run['dag_run_id']} is {api.runs(PROFILE)}"
        time.sleep(3)
    [(subject, body)] = handler.texts()[:1]
    assert "a run has not finished within 1 min of being queued" in subject
    assert PROFILE in body
