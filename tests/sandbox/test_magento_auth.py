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
