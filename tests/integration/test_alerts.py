"""Alerts as real DAG runs: mail reaches an SMTP server on loopback (aiosmtpd) through Airflow's SMTP notifier
(issue 18 point 3)."""

from __future__ import annotations

import html
import json
import socket
from collections.abc import Iterator
from email import message_from_bytes
from email.message import Message

import pytest

from tests.integration.test_run_verdict import REFUSE_WRITES
from tests.integration.test_terminal_errors import set_conn

pytestmark = pytest.mark.integration
PROFILE = "contact_export_freeagent"
NOTIFY = {"notify": {"email": ["sync-ops@example.com"]}}


class Inbox:
    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]  # noqa: N802 (aiosmtpd's name)
        message = message_from_bytes(envelope.content)
        message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        self.messages.append(message)
        return "250 OK"

    def texts(self) -> list[tuple[str, str]]:
        """(subject, body) of each mail."""
        found = []
        for message in self.messages:
            parts = [p for p in message.walk() if p.get_content_maintype() == "text"]
            body = html.unescape("".join(str(p.get_payload(decode=True).decode()) for p in parts))
            found.append((str(message["Subject"]), body))
        return found


@pytest.fixture
def inbox(monkeypatch: pytest.MonkeyPatch) -> Iterator[Inbox]:
    from aiosmtpd.controller import Controller

    handler = Inbox()
    with socket.socket() as probe:  # a free port: the controller checks it is up by connecting to its own port
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        extra = {"disable_ssl": True, "disable_tls": True, "from_email": "profile-sync@example.com"}
        monkeypatch.setenv(
            "AIRFLOW_CONN_SMTP_DEFAULT",
            json.dumps({"conn_type": "smtp", "host": "127.0.0.1", "port": port, "extra": extra}),
        )
        yield handler
    finally:
        controller.stop()


def test_records_failing_fail_the_run_and_the_mail_says_how_many(world, admin, inbox) -> None:
    world.write_profile(PROFILE, **NOTIFY)
    admin["freeagent"].set_faults(**REFUSE_WRITES)
    run = world.run(PROFILE)
    assert run.state == "failed"
    [(subject, body)] = inbox.texts()
    assert (
        subject
        == f"[profile-sync] Contact Export [FreeAgent]: {run.summary['failed_new']} records failed, the run failed"
    )
    assert "failed for the first time" in body and f"failed_new {run.summary['failed_new']}" in body
    assert inbox.messages[0]["X-Envelope-To"] == "sync-ops@example.com"


def test_a_refused_login_mails_once_naming_the_connection(world, monkeypatch, inbox) -> None:
    set_conn(monkeypatch, "AIRFLOW_CONN_MAGENTO_DEFAULT", password="Pa55-not-this")
    world.write_profile(PROFILE, **NOTIFY)
    assert world.run(PROFILE).state == "failed"
    [(subject, body)] = inbox.texts()
    assert subject == "[profile-sync] Contact Export [FreeAgent]: the run failed"
    assert "Fix the Airflow connection 'magento_default'" in body and "Pa55-not-this" not in body


def test_records_failing_below_the_threshold_mail_but_the_run_stays_green(world, admin, inbox) -> None:
    world.write_profile(PROFILE, fail_when={"new_failed": 1000}, **NOTIFY)
    admin["freeagent"].set_faults(**REFUSE_WRITES)
    run = world.run(PROFILE)
    assert run.state == "success"
    [(subject, _)] = inbox.texts()
    assert subject.endswith(f"{run.summary['failed_new']} records failed (the run passed fail_when)")


def test_no_address_no_mail(world, admin, inbox) -> None:
    world.write_profile(PROFILE)
    admin["freeagent"].set_faults(**REFUSE_WRITES)
    assert world.run(PROFILE).state == "failed"
    assert inbox.messages == []
