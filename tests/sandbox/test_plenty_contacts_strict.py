"""PlentyONE judges contacts and addresses as its contract says (issue 14 points 1 and 2): required fields refused
with the validation shape, read-only aliases such as ``Address.externalId`` ignored (an address option is the
way to set them), and the system's country list with states."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests

from sandbox.core.testing import SandboxAdmin, running_sandbox
from sandbox.plenty.countries import EU

CREDENTIALS = {"username": "rest-user", "password": "sandbox-plenty-pass"}


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    with running_sandbox(seed=3, scale="tiny", systems=("plenty",)) as urls:
        assert urls.plenty
        yield urls.plenty


@pytest.fixture
def session(base_url: str) -> requests.Session:
    SandboxAdmin(base_url).reset(seed=3, scale="tiny")
    s = requests.Session()
    token = s.post(f"{base_url}/rest/login", json=CREDENTIALS, timeout=10).json()
    s.headers["Authorization"] = f"Bearer {token['access_token']}"
    return s


def new_contact(base_url: str, session: requests.Session) -> int:
    answer = session.post(f"{base_url}/rest/accounts/contacts", json={"typeId": 1, "referrerId": 1.0}, timeout=10)
    assert answer.status_code == 200, answer.text
    return int(answer.json()["id"])


def address(**changes: Any) -> dict[str, Any]:
    body = {"name2": "Jürgen", "name3": "Groß", "address1": "Hauptstraße", "address2": "12a", "address3": "2. OG",
            "postalCode": "80331", "town": "München", "countryId": 1}
    body.update(changes)
    return body


def test_a_contact_needs_the_contracts_required_fields(base_url: str, session: requests.Session) -> None:
    answer = session.post(f"{base_url}/rest/accounts/contacts", json={"firstName": "Jürgen"}, timeout=10)
    assert answer.status_code == 422
    assert answer.json()["error"]["message"] == "The given data was invalid."
    assert set(answer.json()["validation_errors"]) == {"typeId", "referrerId"}
    no_referrer = session.post(f"{base_url}/rest/accounts/contacts", json={"typeId": 1}, timeout=10)
    assert (no_referrer.status_code, list(no_referrer.json()["validation_errors"])) == (422, ["referrerId"])


def test_an_address_needs_town_and_a_known_country_and_state(base_url: str, session: requests.Session) -> None:
    path = f"{base_url}/rest/accounts/contacts/{new_contact(base_url, session)}/addresses"
    missing = session.post(path, json={"name2": "J"}, timeout=10)
    assert (missing.status_code, set(missing.json()["validation_errors"])) == (422, {"town", "countryId"})
    unknown = session.post(path, json=address(countryId=9999), timeout=10)
    assert (unknown.status_code, list(unknown.json()["validation_errors"])) == (422, ["countryId"])
    countries = session.get(f"{base_url}/rest/orders/shipping/countries", params={"with": "states"}, timeout=10)
    us = next(c for c in countries.json() if c["isoCode2"] == "US")
    new_york = next(s for s in us["states"] if s["name"] == "New York")
    foreign_state = session.post(path, json=address(stateId=new_york["id"]), timeout=10)  # a US state in Germany
    assert (foreign_state.status_code, list(foreign_state.json()["validation_errors"])) == (422, ["stateId"])
    ok = session.post(path, json=address(countryId=us["id"], stateId=new_york["id"], town="New York"), timeout=10)
    assert ok.status_code == 200 and ok.json()["stateId"] == new_york["id"]


def test_read_only_aliases_are_ignored_and_options_set_them(base_url: str, session: requests.Session) -> None:
    path = f"{base_url}/rest/accounts/contacts/{new_contact(base_url, session)}/addresses"
    sent = address(externalId="M-17", street="Ignored", houseNumber="99", email="x@example.de")
    created = session.post(path, json=sent, timeout=10).json()
    assert (created["externalId"], created["email"]) == ("", "")  # read-only: not stored
    assert (created["street"], created["houseNumber"], created["additional"]) == ("Hauptstraße", "12a", "2. OG")
    options = [{"typeId": 2, "value": "17"}, {"typeId": 5, "value": "j@example.de"}, {"typeId": 4, "value": "+49"}]
    updated = session.put(f"{path}/{created['id']}", json={"options": options}, timeout=10).json()
    assert (updated["externalId"], updated["email"], updated["phone"]) == ("17", "j@example.de", "+49")
    listed = session.get(path, timeout=10).json()
    assert [a["externalId"] for a in listed] == ["17"]


def test_the_country_list_names_every_country_with_iso_codes_and_states(base_url: str,
                                                                         session: requests.Session) -> None:
    plain = session.get(f"{base_url}/rest/orders/shipping/countries", timeout=10)
    assert plain.status_code == 200 and isinstance(plain.json(), list)
    by_iso = {c["isoCode2"]: c for c in plain.json()}
    eu = sorted(EU)
    assert set(eu + ["GB", "CH", "NO", "US", "CA", "AU", "JP"]) <= set(by_iso)
    assert (by_iso["DE"]["id"], by_iso["AT"]["id"], by_iso["GB"]["id"], by_iso["CA"]["id"]) == (1, 2, 12, 30)
    assert "states" not in by_iso["US"] and by_iso["US"]["isCountryStateMandatory"] is True
    with_states = session.get(f"{base_url}/rest/orders/shipping/countries", params={"with": "states"}, timeout=10)
    states = {c["isoCode2"]: c.get("states") for c in with_states.json()}
    assert {"Bayern", "Berlin"} <= {s["name"] for s in states["DE"]}
    assert states["JP"] == []
    eu_only = session.get(f"{base_url}/rest/orders/shipping/countries", params={"onlyEUCountries": 1}, timeout=10)
    assert {c["isoCode2"] for c in eu_only.json()} == set(eu)
    assert requests.get(f"{base_url}/rest/orders/shipping/countries", timeout=10).status_code == 401


def test_a_contact_language_plentyone_does_not_have_is_refused_on_create_and_update(
    base_url: str, session: requests.Session
) -> None:
    contacts = f"{base_url}/rest/accounts/contacts"
    refused = session.post(contacts, json={"typeId": 1, "referrerId": 1.0, "lang": "cs"}, timeout=10)
    assert refused.status_code == 422
    assert refused.json()["validation_errors"] == {"lang": ["The selected lang is invalid."]}
    created = session.post(contacts, json={"typeId": 1, "referrerId": 1.0, "lang": "cz"}, timeout=10)
    assert created.status_code == 200, created.text
    contact_id = created.json()["id"]
    assert session.put(f"{contacts}/{contact_id}", json={"lang": "zh"}, timeout=10).status_code == 422
    assert session.get(f"{contacts}/{contact_id}", timeout=10).json()["lang"] == "cz"  # the refused write left it
    assert session.put(f"{contacts}/{contact_id}", json={"lang": "cn"}, timeout=10).status_code == 200
