"""Auth flows against the sandbox: login, token caching, renewal on expiry and on 401, refused credentials."""

from __future__ import annotations

import time

import pytest

from profile_sync.connectors import FreeAgentHook, MagentoHook, PlentyHook
from profile_sync.connectors.errors import AuthenticationError

from .conftest import FAST_RETRIES


def _paths(admin_client, method: str = "POST") -> list[str]:
    return [r["path"] for r in admin_client.requests(limit=500) if r["method"] == method]


def test_magento_logs_in_once_and_logs_in_again_when_the_token_is_revoked(admin, connect) -> None:
    magento = admin("magento")
    hook = MagentoHook(connect("magento"), retry_policy=FAST_RETRIES)
    assert len(hook.get("/V1/store/storeViews")) >= 1
    hook.get("/V1/customers/1")
    assert _paths(magento).count("/rest/V1/integration/admin/token") == 1  # cached
    magento.set_auth(revoke_access_tokens=True)
    assert hook.get("/V1/customers/1")["id"] == 1  # 401 -> one new login -> the call succeeds
    assert _paths(magento).count("/rest/V1/integration/admin/token") == 2


def test_magento_wrong_password_names_the_connection_and_hides_the_password(admin, connect) -> None:
    admin("magento")
    conn_id = connect("magento", password="not-the-password-123")
    hook = MagentoHook(conn_id, retry_policy=FAST_RETRIES)
    with pytest.raises(AuthenticationError, match=conn_id) as caught:
        hook.get("/V1/customers/1")
    assert "not-the-password-123" not in str(caught.value) + caught.value.detail
    ok, message = hook.test_connection()
    assert not ok and "The account sign-in was incorrect" in message and "not-the-password-123" not in message


def test_a_refused_login_is_one_sentence_naming_the_connection_once_and_the_test_button_names_none(
    admin, connect
) -> None:
    """The task's error says once which connection to fix; the form's Test button (which runs on Airflow's
    temporary copy of the form, under a random id) gives the vendor's refusal in one sentence without advice."""
    admin("plenty")
    conn_id = connect("plenty", password="not-the-password-123")
    hook = PlentyHook(conn_id, retry_policy=FAST_RETRIES)
    with pytest.raises(AuthenticationError) as caught:
        hook.get("/rest/stockmanagement/warehouses")
    error = str(caught.value)
    assert error.startswith("plenty: the REST login was refused (POST ") and error.count("plenty: ") == 1, error
    assert "401: The user credentials were incorrect" in error
    assert error.endswith(f". Fix the Airflow connection '{conn_id}'.") and error.count(conn_id) == 1, error
    assert ".." not in error
    ok, message = hook.test_connection()
    assert not ok
    assert message.startswith("PlentyONE: the REST login was refused (POST ") and message.endswith(").")
    assert "401: The user credentials were incorrect" in message
    assert conn_id not in message and "Fix the" not in message and ". " not in message, message
    assert "not-the-password-123" not in message


@pytest.mark.parametrize(
    ("system", "hook_class"), [("magento", MagentoHook), ("plenty", PlentyHook), ("freeagent", FreeAgentHook)]
)
def test_connections_of_type_http_keep_working(admin, connect, system, hook_class) -> None:
    """Connections made before the connection types (0.1.0: type http) log in and read as before: a hook reads
    the fields, not the type (which only chooses the UI form and the Test button's hook)."""
    admin(system)
    hook = hook_class(connect(system, conn_type="http"), retry_policy=FAST_RETRIES)
    ok, message = hook.test_connection()
    assert ok and message == f"Connected to {hook.hook_name} at {hook.base_url}.", message


def test_plenty_refreshes_an_expired_token_with_the_refresh_token(admin, connect) -> None:
    plenty = admin("plenty")
    plenty.set_auth(access_token_ttl_seconds=1)
    hook = PlentyHook(connect("plenty"), retry_policy=FAST_RETRIES)
    hook.get("/rest/stockmanagement/warehouses")
    time.sleep(1.1)
    hook.get("/rest/stockmanagement/warehouses")
    calls = _paths(plenty)
    assert calls.count("/rest/login") == 1 and calls.count("/rest/login/refresh") == 1


def test_plenty_renews_on_401_and_logs_in_again_when_the_refresh_token_is_revoked(admin, connect) -> None:
    plenty = admin("plenty")
    hook = PlentyHook(connect("plenty"), retry_policy=FAST_RETRIES)
    hook.get("/rest/stockmanagement/warehouses")
    plenty.set_auth(revoke_access_tokens=True, revoke_refresh_tokens=True)
    assert hook.get("/rest/stockmanagement/warehouses")
    calls = _paths(plenty)
    assert calls.count("/rest/login") == 2 and calls.count("/rest/login/refresh") == 1


def test_plenty_test_connection_reports_success_without_secrets(admin, connect) -> None:
    admin("plenty")
    hook = PlentyHook(connect("plenty"), retry_policy=FAST_RETRIES)
    ok, message = hook.test_connection()
    assert ok, message
    assert hook.password not in message and hook.current_token().access not in message


def test_freeagent_refreshes_on_expiry_and_a_revoked_refresh_token_names_the_connection(
    admin, connect
) -> None:
    freeagent = admin("freeagent")
    freeagent.set_auth(access_token_ttl_seconds=1)
    conn_id = connect("freeagent")
    hook = FreeAgentHook(conn_id, retry_policy=FAST_RETRIES)
    hook.get("/v2/contacts", params={"per_page": 1})
    time.sleep(1.1)
    hook.get("/v2/contacts", params={"per_page": 1})
    assert _paths(freeagent).count("/v2/token_endpoint") == 2
    freeagent.set_auth(revoke_refresh_tokens=True, revoke_access_tokens=True)
    with pytest.raises(AuthenticationError, match=conn_id) as caught:
        hook.get("/v2/contacts", params={"per_page": 1})
    assert "invalid_grant" in str(caught.value) and "refresh_token" in str(caught.value)
    ok, message = FreeAgentHook(conn_id).test_connection()
    assert not ok and "invalid_grant" in message and "sandbox-client-secret" not in message


def test_a_server_refusing_every_fresh_token_ends_in_an_auth_error_after_a_few_renewals(admin, connect) -> None:
    """Tokens that expire before the server reads them: renewed more than once per call (a slow call can outlive
    a renewed token), but not forever."""
    from profile_sync.connectors.base import MAX_TOKEN_RENEWALS

    magento = admin("magento")
    magento.set_auth(access_token_ttl_seconds=0.3)
    magento.set_faults(latency_ms=500, only_paths=["/rest/V1/customers"])
    hook = MagentoHook(connect("magento"), retry_policy=FAST_RETRIES)
    with pytest.raises(AuthenticationError):
        hook.get("/V1/customers/1")
    magento.clear_faults()
    assert _paths(magento, "GET").count("/rest/V1/customers/1") == 1 + MAX_TOKEN_RENEWALS
    assert _paths(magento).count("/rest/V1/integration/admin/token") == 1 + MAX_TOKEN_RENEWALS


def _two_factor(magento, enabled: bool) -> None:  # type: ignore[no-untyped-def]
    import requests

    requests.put(f"{magento.base_url}/_sandbox/magento/two-factor-auth", json={"enabled": enabled}, timeout=10)


def test_magento_integration_access_token_works_where_two_factor_auth_closes_the_admin_login(admin, connect) -> None:
    """Issue 15 point 24: with two-factor authentication on (Magento's default since 2.4.0) the admin login is
    refused with a message that says what to do; an integration access token in the connection needs no login."""
    magento = admin("magento")
    _two_factor(magento, True)
    try:
        login_conn = connect("magento")
        with pytest.raises(AuthenticationError, match="two-factor authentication") as caught:
            MagentoHook(login_conn, retry_policy=FAST_RETRIES).get("/V1/customers/1")
        assert login_conn in str(caught.value) and "access_token" in str(caught.value)
        magento.clear_requests()
        token_conn = connect("magento", login="", password="", access_token="sandbox-integration-token")
        hook = MagentoHook(token_conn, retry_policy=FAST_RETRIES, log_request_data=True)
        assert hook.get("/V1/customers/1")["id"] == 1
        assert _paths(magento) == []  # no login call at all
        assert "sandbox-integration-token" not in hook.scrubber.text("Bearer sandbox-integration-token")  # masked
        refused = MagentoHook(connect("magento", login="", password="", access_token="revoked-token"),
                              retry_policy=FAST_RETRIES)
        with pytest.raises(AuthenticationError, match="integration access token was refused"):
            refused.get("/V1/customers/1")
    finally:
        _two_factor(magento, False)
