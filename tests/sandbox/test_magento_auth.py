"""Magento admin token: required everywhere, issued for the right credentials, expires, and logging in again works."""

from __future__ import annotations

import time

import requests

from sandbox.core.testing import SandboxAdmin
from tests.sandbox.magento_client import MagentoClient


def test_every_route_needs_a_token(magento_admin: SandboxAdmin, magento_url: str) -> None:
    anonymous = MagentoClient(magento_url)
    response = anonymous.get("/V1/customers/search")
    assert response.status_code == 401
    assert response.json() == {"message": "The consumer isn't authorized to access %resources.",
                               "parameters": [{"resources": "Magento_Customer::manage"}]}  # as the contract has it
    anonymous.session.headers["Authorization"] = "Bearer not-a-token"
    assert anonymous.get("/V1/orders").status_code == 401


def test_wrong_password_is_refused_and_right_one_gives_a_token_string(magento_admin: SandboxAdmin,
                                                                      magento_url: str) -> None:
    client = MagentoClient(magento_url)
    refused = client.session.post(f"{client.base}/V1/integration/admin/token",
                                  json={"username": "admin", "password": "wrong"}, timeout=10)
    assert refused.status_code == 401 and "sign-in was incorrect" in refused.json()["message"]
    missing = client.session.post(f"{client.base}/V1/integration/admin/token", json={"username": "admin"}, timeout=10)
    assert missing.status_code == 400
    token = client.login()
    assert isinstance(token, str) and len(token) >= 32
    assert client.get("/V1/customers/1").status_code == 200


def test_token_expires_and_a_new_login_works(magento_admin: SandboxAdmin, magento_url: str) -> None:
    magento_admin.set_auth(access_token_ttl_seconds=1)
    client = MagentoClient(magento_url)
    client.login()
    assert client.get("/V1/customers/1").status_code == 200
    time.sleep(1.2)
    assert client.get("/V1/customers/1").status_code == 401
    client.login()
    assert client.get("/V1/customers/1").status_code == 200


def test_store_code_prefixes_and_localised_names(magento: MagentoClient, magento_url: str) -> None:
    headers = {"Authorization": f"Bearer {magento.token}"}
    english = requests.get(f"{magento_url}/rest/V1/products/MS-00001", headers=headers, timeout=10).json()
    german = requests.get(f"{magento_url}/rest/de/V1/products/MS-00001", headers=headers, timeout=10).json()
    everywhere = requests.get(f"{magento_url}/rest/all/V1/products/MS-00001", headers=headers, timeout=10)
    assert english["sku"] == german["sku"] == "MS-00001" and english["name"] != german["name"]
    assert everywhere.status_code == 200 and everywhere.json()["name"] == english["name"]
    unknown = requests.get(f"{magento_url}/rest/xx/V1/products/MS-00001", headers=headers, timeout=10)
    assert unknown.status_code == 400


def test_two_factor_auth_closes_the_admin_token_route_and_an_integration_token_still_works(
    magento_admin: SandboxAdmin, magento_url: str
) -> None:
    """Issue 14 point 3: with Magento_TwoFactorAuth (the default since 2.4.0) the admin token route checks the
    credentials, then answers 401 naming the 2FA providers; an integration's access token needs no login."""
    switch = f"{magento_url}/_sandbox/magento/two-factor-auth"
    assert requests.put(switch, json={"enabled": True}, timeout=10).json() == {"enabled": True}
    try:
        client = MagentoClient(magento_url)
        wrong = client.session.post(f"{client.base}/V1/integration/admin/token",
                                    json={"username": "admin", "password": "wrong"}, timeout=10)
        assert wrong.status_code == 401 and "sign-in was incorrect" in wrong.json()["message"]
        refused = client.session.post(f"{client.base}/V1/integration/admin/token",
                                      json={"username": "admin", "password": "sandbox-admin-pass"}, timeout=10)
        assert refused.status_code == 401
        assert refused.json() == {"message": "Please use the 2fa provider-specific endpoints to obtain a token.",
                                  "parameters": [{"active_providers": ["google"]}]}
        client.session.headers["Authorization"] = "Bearer sandbox-integration-token"
        assert client.get("/V1/customers/1").status_code == 200
    finally:
        requests.put(switch, json={"enabled": False}, timeout=10)
    assert requests.get(switch, timeout=10).json() == {"enabled": False}
    assert MagentoClient(magento_url).login()
