"""The two log switches: bodies only when on, and never a secret in any log whatever the switches."""

from __future__ import annotations

import logging

import pytest

from profile_sync.connectors import FreeAgentHook, PlentyHook

from .conftest import FAST_RETRIES, sandbox_credentials

MARKER = "Ünïque-Marker-4711"


def _plenty_session(connect, on: bool) -> tuple[PlentyHook, str]:
    hook = PlentyHook(connect("plenty"), log_request_data=on, log_response_data=on, retry_policy=FAST_RETRIES)
    contacts = next(iter(hook.paginate("/rest/accounts/contacts", page_size=2)))
    body = {
        "typeId": 1,
        "referrerId": 1,
        "firstName": MARKER,
        "lastName": "Test",
        "email": "marker@example.org",
        "options": [{"typeId": 2, "subTypeId": 4, "value": "marker@example.org", "priority": 0}],
    }
    hook.post("/rest/accounts/contacts", json=body)
    return hook, contacts[0]["email"]


def _secrets(hook) -> list[str]:
    token = hook.current_token()
    return [s for s in (hook.password, token.access, token.refresh) if s]


def test_switches_on_log_bodies_and_no_secret(admin, connect, caplog, capsys) -> None:
    admin("plenty")
    with caplog.at_level(logging.DEBUG):
        hook, email = _plenty_session(connect, on=True)
    logged = caplog.text + "".join(capsys.readouterr())
    assert MARKER in logged and email in logged  # the request body and a response body
    assert "(credentials, not logged)" in logged
    for secret in _secrets(hook):
        assert secret not in logged
    assert "Bearer" not in logged


def test_switches_off_log_no_bodies(admin, connect, caplog, capsys) -> None:
    admin("plenty")
    with caplog.at_level(logging.DEBUG):
        hook, email = _plenty_session(connect, on=False)
    logged = caplog.text + "".join(capsys.readouterr())
    assert MARKER not in logged and email not in logged
    assert "/rest/accounts/contacts" in logged  # the DEBUG summary lines are there
    for secret in _secrets(hook):
        assert secret not in logged


def test_freeagent_oauth_secrets_never_logged_and_registered_with_airflow(
    admin, connect, caplog, capsys
) -> None:
    admin("freeagent")
    conn = sandbox_credentials()["freeagent"]
    hook = FreeAgentHook(
        connect("freeagent"), log_request_data=True, log_response_data=True, retry_policy=FAST_RETRIES
    )
    with caplog.at_level(logging.DEBUG):
        hook.get("/v2/contacts", params={"per_page": 2})
    logged = caplog.text + "".join(capsys.readouterr())
    token = hook.current_token()
    for secret in (conn["password"], conn["extra"]["refresh_token"], token.access, token.refresh):
        assert secret not in logged
    from airflow.sdk.log import redact

    assert token.access not in str(redact(f"oops {token.access}"))  # Airflow's masker knows it too


def test_an_error_message_carries_no_secret(admin, connect) -> None:
    admin("plenty")
    hook = PlentyHook(connect("plenty", password="wrong-password-xyz"), retry_policy=FAST_RETRIES)
    with pytest.raises(Exception) as caught:
        hook.get("/rest/stockmanagement/warehouses")
    assert "wrong-password-xyz" not in f"{caught.value} {getattr(caught.value, 'detail', '')}"
