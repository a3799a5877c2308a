"""FreeAgent emulator over real HTTP: OAuth, paging with Link headers, updated_since, writes, limits, faults."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
import requests

from sandbox.core.testing import SandboxAdmin, running_sandbox

CLIENT = ("sandbox-client-id", "sandbox-client-secret")
REFRESH = "sandbox-refresh-token"


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    with running_sandbox(seed=3, scale="tiny", systems=("freeagent",)) as urls:
        assert urls.freeagent
        yield urls.freeagent


@pytest.fixture
def admin(base_url: str) -> SandboxAdmin:
    admin = SandboxAdmin(base_url)
    admin.reset(seed=3, scale="tiny")
    return admin


def token(base_url: str, refresh: str = REFRESH) -> requests.Response:
    return requests.post(
        f"{base_url}/v2/token_endpoint",
        auth=CLIENT,
        data={"grant_type": "refresh_token", "refresh_token": refresh},
        timeout=10,
    )


@pytest.fixture
def session(base_url: str, admin: SandboxAdmin) -> requests.Session:
    s = requests.Session()
    s.headers["Authorization"] = f"Bearer {token(base_url).json()['access_token']}"
    return s


def follow(session: requests.Session, url: str, params: dict[str, Any] | None = None) -> list[requests.Response]:
    """Every page of a list, following rel=next as a client would."""
    pages = [session.get(url, params=params, timeout=10)]
    while "next" in pages[-1].links:
        pages.append(session.get(pages[-1].links["next"]["url"], timeout=10))
    return pages


def test_token_endpoint_needs_the_client_and_a_live_refresh_token(base_url: str, admin: SandboxAdmin) -> None:
    good = token(base_url)
    assert good.status_code == 200
    assert good.json()["token_type"] == "bearer" and good.json()["expires_in"] == 3600
    wrong_client = requests.post(
        f"{base_url}/v2/token_endpoint",
        auth=("sandbox-client-id", "nope"),
        data={"grant_type": "refresh_token", "refresh_token": REFRESH},
        timeout=10,
    )
    assert wrong_client.status_code == 401 and wrong_client.json()["error"] == "invalid_client"
    in_form = requests.post(
        f"{base_url}/v2/token_endpoint",
        timeout=10,
        data={
            "grant_type": "refresh_token",
            "refresh_token": REFRESH,
            "client_id": CLIENT[0],
            "client_secret": CLIENT[1],
        },
    )
    assert in_form.status_code == 200
    unknown = token(base_url, "not-a-token")
    assert unknown.status_code == 400 and unknown.json()["error"] == "invalid_grant"
    admin.set_auth(revoke_refresh_tokens=True)
    revoked = token(base_url)
    assert revoked.status_code == 400 and revoked.json()["error"] == "invalid_grant"


def test_routes_require_a_live_access_token_and_expire_mid_run(base_url: str, admin: SandboxAdmin) -> None:
    for route in admin.routes():
        if route["path"] == "/v2/token_endpoint":
            continue
        answer = requests.request(route["method"], base_url + route["path"].replace("{id}", "1"), timeout=10)
        assert answer.status_code == 401, route
        assert answer.json() == {"errors": {"error": {"message": "Access token not recognised"}}}
    admin.set_auth(access_token_ttl_seconds=1)
    issued = token(base_url).json()
    assert issued["expires_in"] == 1
    headers = {"Authorization": f"Bearer {issued['access_token']}"}
    assert requests.get(f"{base_url}/v2/contacts", headers=headers, timeout=10).status_code == 200
    time.sleep(1.2)
    assert requests.get(f"{base_url}/v2/contacts", headers=headers, timeout=10).status_code == 401
    again = {"Authorization": f"Bearer {token(base_url).json()['access_token']}"}
    assert requests.get(f"{base_url}/v2/contacts", headers=again, timeout=10).status_code == 200


def test_seeded_contacts_share_emails_with_magento_customers(session: requests.Session, base_url: str) -> None:
    from sandbox.world import build_world

    customers = {c.email for c in build_world(3, "tiny", None).customers}
    contacts = session.get(f"{base_url}/v2/contacts", params={"per_page": 100}, timeout=10).json()["contacts"]
    shared = [c for c in contacts if c["email"] in customers]
    assert len(shared) >= 2 and len(contacts) > len(shared)
    assert all(c["url"].startswith(f"{base_url}/v2/contacts/") for c in contacts)
    assert session.get(f"{base_url}/v2/invoices", timeout=10).json() == {"invoices": []}


def test_pagination_follows_link_headers_to_the_end(
    session: requests.Session, base_url: str, admin: SandboxAdmin
) -> None:
    pages = follow(session, f"{base_url}/v2/contacts", {"per_page": 2, "sort": "created_at"})
    total = int(pages[0].headers["X-Total-Count"])
    urls = [c["url"] for page in pages for c in page.json()["contacts"]]
    assert len(urls) == len(set(urls)) == total == admin.counts()["contacts"]
    assert len(pages) == -(-total // 2)
    assert "last" in pages[0].links and "prev" not in pages[0].links
    assert "first" in pages[-1].links and "next" not in pages[-1].links
    assert "rel='next'" in pages[0].headers["Link"]  # FreeAgent quotes rel with single quotes
    capped = session.get(f"{base_url}/v2/contacts", params={"per_page": 500}, timeout=10)
    assert len(capped.json()["contacts"]) == total


def test_per_page_is_capped_at_100() -> None:
    from sandbox.freeagent.links import link_header, page_params

    assert page_params("3", "500") == (3, 100)
    assert page_params(None, None) == (1, 25)
    header = link_header("http://h", "/v2/invoices", [("view", "all"), ("page", "3")], 3, 100, 1000)
    assert "<http://h/v2/invoices?view=all&page=4&per_page=100>; rel='next'" in header
    assert "page=10&per_page=100>; rel='last'" in header


def test_updated_since_returns_only_changed_records(
    session: requests.Session, base_url: str, admin: SandboxAdmin
) -> None:
    since = datetime.fromtimestamp(time.time() - 1, UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
    touched = admin.touch("contacts", count=2)
    got = session.get(f"{base_url}/v2/contacts", params={"updated_since": since}, timeout=10).json()["contacts"]
    assert sorted(int(c["url"].rsplit("/", 1)[1]) for c in got) == sorted(touched)
    contact = got[0]["url"]
    session.post(
        f"{base_url}/v2/invoices",
        json={"invoice": {"contact": contact, "dated_on": "2026-01-05", "payment_terms_in_days": 30}},
        timeout=10,
    )
    invoices = session.get(f"{base_url}/v2/invoices", params={"updated_since": since}, timeout=10)
    assert invoices.headers["X-Total-Count"] == "1"
    later = datetime.fromtimestamp(time.time() + 60, UTC).isoformat(timespec="seconds")
    assert session.get(f"{base_url}/v2/invoices", params={"updated_since": later}, timeout=10).json()["invoices"] == []


def test_contacts_post_always_creates_and_writes_are_visible(
    session: requests.Session, base_url: str, admin: SandboxAdmin
) -> None:
    body = {"contact": {"first_name": "Zoë", "last_name": "Ångström", "email": "zoe@example.com"}}
    first = session.post(f"{base_url}/v2/contacts", json=body, timeout=10)
    second = session.post(f"{base_url}/v2/contacts", json=body, timeout=10)
    assert first.status_code == second.status_code == 201
    assert first.json()["contact"]["url"] != second.json()["contact"]["url"]
    key = int(first.json()["contact"]["url"].rsplit("/", 1)[1])
    assert admin.record("contacts", key)["last_name"] == "Ångström"
    blank = session.post(f"{base_url}/v2/contacts", json={"contact": {"email": "x@example.com"}}, timeout=10)
    assert blank.status_code == 422 and "errors" in blank.json()
    updated = session.put(first.json()["contact"]["url"], json={"contact": {"town": "Malmö"}}, timeout=10)
    assert updated.json()["contact"]["town"] == "Malmö"
    made = admin.create("contacts", {"organisation_name": "Admin Made Ltd"})
    assert made["status"] == "Active" and made["url"].startswith(f"{base_url}/v2/contacts/")
    listed = session.get(f"{base_url}/v2/contacts", params={"per_page": 100}, timeout=10).json()["contacts"]
    assert made["url"] in {c["url"] for c in listed}


def test_invoice_and_credit_note_lifecycle(session: requests.Session, base_url: str, admin: SandboxAdmin) -> None:
    contact = session.get(f"{base_url}/v2/contacts", timeout=10).json()["contacts"][0]["url"]
    missing = session.post(
        f"{base_url}/v2/invoices",
        json={"invoice": {"contact": f"{base_url}/v2/contacts/999", "dated_on": "2026-01-01"}},
        timeout=10,
    )
    assert missing.status_code == 422
    invoice = session.post(
        f"{base_url}/v2/invoices",
        json={
            "invoice": {
                "contact": contact,
                "dated_on": "2026-01-01",
                "payment_terms_in_days": 14,
                "currency": "EUR",
                "invoice_items": [
                    {
                        "description": "Schal",
                        "item_type": "Products",
                        "price": "50.0",
                        "quantity": "2",
                        "sales_tax_rate": "19",
                    }
                ],
            }
        },
        timeout=10,
    ).json()["invoice"]
    assert (invoice["net_value"], invoice["sales_tax_value"], invoice["total_value"]) == ("100.00", "19.00", "119.00")
    assert invoice["status"] == "Draft" and invoice["due_on"] == "2026-01-15"
    sent = session.put(f"{invoice['url']}/transitions/mark_as_sent", timeout=10)
    assert sent.json()["invoice"]["status"] == "Open"
    assert session.put(f"{invoice['url']}/transitions/mark_as_scheduled", timeout=10).status_code == 422
    key = int(invoice["url"].rsplit("/", 1)[1])
    assert admin.record("invoices", key)["status"] == "Open"
    listed = session.get(f"{base_url}/v2/invoices", params={"view": "open"}, timeout=10).json()["invoices"]
    assert [i["url"] for i in listed] == [invoice["url"]] and "invoice_items" not in listed[0]
    nested = session.get(f"{base_url}/v2/invoices", params={"nested_invoice_items": "true"}, timeout=10)
    assert nested.json()["invoices"][0]["invoice_items"][0]["description"] == "Schal"
    note = session.post(
        f"{base_url}/v2/credit_notes",
        json={
            "credit_note": {
                "contact": contact,
                "dated_on": "2026-01-20",
                "payment_terms_in_days": 0,
                "credit_note_items": [{"description": "Refund", "price": -50, "quantity": 1}],
            }
        },
        timeout=10,
    )
    assert note.status_code == 201 and note.json()["credit_note"]["total_value"] == "-50.00"
    cancelled = session.put(f"{note.json()['credit_note']['url']}/transitions/mark_as_cancelled", timeout=10)
    assert cancelled.json()["credit_note"]["status"] == "Cancelled"
    counts = admin.counts()
    assert counts == {**counts, "credit_notes": 1, "invoices": 1, "bank_transaction_explanations": 0}


def _document(contact: str, **fields: Any) -> dict[str, Any]:
    return {"contact": contact, "dated_on": "2026-02-01", "payment_terms_in_days": 30, **fields}


def _one_error(response: requests.Response) -> str:
    """The message of FreeAgent's single-error shape ``{"errors": {"error": {"message": ...}}}``."""
    assert response.status_code == 422, (response.status_code, response.text)
    return response.json()["errors"]["error"]["message"]


@pytest.mark.parametrize(("collection", "envelope"), [("invoices", "invoice"), ("credit_notes", "credit_note")])
def test_documents_without_the_fields_freeagent_requires_are_refused(
    session: requests.Session, base_url: str, admin: SandboxAdmin, collection: str, envelope: str
) -> None:
    """dev.freeagent.com/docs/invoices and /docs/credit_notes mark contact, dated_on and payment_terms_in_days
    required: a create without one is a 422 naming it (several: FreeAgent's list shape)."""
    contact = session.get(f"{base_url}/v2/contacts", timeout=10).json()["contacts"][0]["url"]
    url = f"{base_url}/v2/{collection}"
    no_terms = {k: v for k, v in _document(contact).items() if k != "payment_terms_in_days"}
    assert _one_error(session.post(url, json={envelope: no_terms}, timeout=10)) == (
        "Payment terms in days can't be blank"
    )
    nothing = session.post(url, json={envelope: {"currency": "GBP"}}, timeout=10)
    assert nothing.status_code == 422
    assert nothing.json() == {
        "errors": [
            {"message": "Contact can't be blank"},
            {"message": "Dated on can't be blank"},
            {"message": "Payment terms in days can't be blank"},
        ]
    }
    unknown = _document(f"{base_url}/v2/contacts/999999")
    assert _one_error(session.post(url, json={envelope: unknown}, timeout=10)) == "Contact not found"
    no_description = _document(contact, **{f"{envelope}_items": [{"price": "5.00", "quantity": "1"}]})
    assert _one_error(session.post(url, json={envelope: no_description}, timeout=10)) == (
        f"{envelope}_items.description can't be blank"
    )
    assert admin.counts()[collection] == 0, "nothing refused was stored"
    made = session.post(url, json={envelope: _document(contact, payment_terms_in_days=0)}, timeout=10)
    assert made.status_code == 201 and made.json()[envelope]["due_on"] == "2026-02-01"  # 0 = due on receipt
    cleared = session.put(made.json()[envelope]["url"], json={envelope: {"payment_terms_in_days": ""}}, timeout=10)
    assert _one_error(cleared) == "Payment terms in days can't be blank"


def test_contacts_need_a_first_and_last_name_or_an_organisation(session: requests.Session, base_url: str) -> None:
    """dev.freeagent.com/docs/contacts: first_name and last_name are required unless organisation_name is given."""
    url = f"{base_url}/v2/contacts"
    message = "Contact must have a first name and last name, or an organisation name"
    for half in ({"first_name": "Ada"}, {"last_name": "Lovelace"}, {"email": "ada@example.com"}):
        assert _one_error(session.post(url, json={"contact": half}, timeout=10)) == message
    person = session.post(url, json={"contact": {"first_name": "Ada", "last_name": "Lovelace"}}, timeout=10)
    company = session.post(url, json={"contact": {"organisation_name": "Analytical Engines Ltd"}}, timeout=10)
    assert (person.status_code, company.status_code) == (201, 201)
    blanked = session.put(person.json()["contact"]["url"], json={"contact": {"last_name": ""}}, timeout=10)
    assert _one_error(blanked) == message


def test_references_are_unique_across_invoices_and_credit_notes(
    session: requests.Session, base_url: str, admin: SandboxAdmin
) -> None:
    """Credit notes use the global invoice sequence (dev.freeagent.com/docs/credit_notes, 'reference'): one
    reference names one document of either kind; an omitted one takes the sequence's next number."""
    contact = session.get(f"{base_url}/v2/contacts", timeout=10).json()["contacts"][0]["url"]
    invoice = session.post(f"{base_url}/v2/invoices", json={"invoice": _document(contact, reference="041")}, timeout=10)
    assert invoice.status_code == 201
    clash = session.post(
        f"{base_url}/v2/credit_notes", json={"credit_note": _document(contact, reference="041")}, timeout=10
    )
    assert _one_error(clash) == "Reference has already been taken"
    again = session.post(f"{base_url}/v2/invoices", json={"invoice": _document(contact, reference="041")}, timeout=10)
    assert _one_error(again) == "Reference has already been taken"
    note = session.post(f"{base_url}/v2/credit_notes", json={"credit_note": _document(contact)}, timeout=10)
    assert note.status_code == 201 and note.json()["credit_note"]["reference"] == "042"  # the shared sequence
    same = session.put(invoice.json()["invoice"]["url"], json={"invoice": {"reference": "041"}}, timeout=10)
    assert same.status_code == 200  # its own reference is no clash
    taken = session.put(invoice.json()["invoice"]["url"], json={"invoice": {"reference": "042"}}, timeout=10)
    assert _one_error(taken) == "Reference has already been taken"
    assert admin.counts()["invoices"] == admin.counts()["credit_notes"] == 1


def test_a_sent_document_is_locked_and_items_change_by_url(session: requests.Session, base_url: str) -> None:
    """FreeAgent staff, forum thread 819: a sent invoice's items are locked (422 listing the locked attributes);
    mark it as draft, change it, mark it as sent again. Items change by their url, go with ``_destroy``, and an
    item without a url is added (the others stay)."""
    contact = session.get(f"{base_url}/v2/contacts", timeout=10).json()["contacts"][0]["url"]
    lines = [{"description": "Mantel", "price": "100.00", "quantity": "1"}, {"description": "Schal", "price": "20"}]
    made = session.post(f"{base_url}/v2/invoices", json={"invoice": _document(contact, invoice_items=lines)}, timeout=10)
    invoice = made.json()["invoice"]
    session.put(f"{invoice['url']}/transitions/mark_as_sent", timeout=10)
    locked = session.put(
        invoice["url"], json={"invoice": {"invoice_items": [{"description": "Neu", "price": "1"}]}}, timeout=10
    )
    assert locked.status_code == 422
    assert {"message": "invoice_items contain errors"} in locked.json()["errors"]
    assert {"message": "invoice_items.description is locked and cannot be changed"} in locked.json()["errors"]
    assert session.put(invoice["url"], json={"invoice": {"comments": "ok"}}, timeout=10).status_code == 200
    session.put(f"{invoice['url']}/transitions/mark_as_draft", timeout=10)
    first, second = invoice["invoice_items"]
    changes = [
        {"url": first["url"], "price": "90.00"},
        {"url": second["url"], "_destroy": True},
        {"description": "Mütze", "price": "15.00", "quantity": "2"},
    ]
    updated = session.put(invoice["url"], json={"invoice": {"invoice_items": changes}}, timeout=10).json()["invoice"]
    assert [(i["description"], i["price"]) for i in updated["invoice_items"]] == [("Mantel", "90.00"), ("Mütze", "15.00")]
    assert updated["net_value"] == "120.00"
    appended = session.put(
        invoice["url"], json={"invoice": {"invoice_items": [{"description": "Handschuhe", "price": "5"}]}}, timeout=10
    ).json()["invoice"]
    assert len(appended["invoice_items"]) == 3, "an item without a url is added; the others stay"


def test_rate_limits_minute_and_hour_budgets(session: requests.Session, base_url: str, admin: SandboxAdmin) -> None:
    admin.set_limits(per_minute=3)
    codes = [session.get(f"{base_url}/v2/contacts", timeout=10) for _ in range(4)]
    assert [c.status_code for c in codes] == [200, 200, 200, 429]
    assert int(codes[3].headers["Retry-After"]) >= 1 and "errors" in codes[3].json()
    admin.set_limits(per_minute=120, per_hour=2)  # an hourly budget nearly spent, exhausted mid-run
    codes = [session.get(f"{base_url}/v2/contacts", timeout=10).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    admin.clear_limits()
    assert session.get(f"{base_url}/v2/contacts", timeout=10).status_code == 200


def test_each_fault_kind(session: requests.Session, base_url: str, admin: SandboxAdmin) -> None:
    url = f"{base_url}/v2/contacts"
    admin.set_faults(error_rate=1.0, error_codes=[502])
    assert session.get(url, timeout=10).status_code == 502
    admin.set_faults(rate_429=1.0, retry_after_seconds=3)
    limited = session.get(url, timeout=10)
    assert limited.status_code == 429 and limited.headers["Retry-After"] == "3"
    admin.set_faults(truncate_rate=1.0)
    cut = session.get(url, timeout=10)
    assert cut.status_code == 200
    with pytest.raises(ValueError):
        cut.json()
    admin.set_faults(hang_rate=1.0, hang_seconds=1.0)
    with pytest.raises(requests.exceptions.Timeout):
        session.get(url, timeout=0.3)
    admin.set_faults(latency_ms=250, only_paths=["/v2/contacts"])
    started = time.monotonic()
    assert session.get(url, timeout=10).status_code == 200
    assert time.monotonic() - started >= 0.25
    admin.set_faults(process_then_fail_rate=1.0, error_codes=[500])
    before = admin.counts()["contacts"]
    failed = session.post(url, json={"contact": {"organisation_name": "Ghost Ltd"}}, timeout=10)
    assert failed.status_code == 500
    assert admin.counts()["contacts"] == before + 1  # the write happened although the answer was an error
    admin.clear_faults()
    assert session.get(url, timeout=10).status_code == 200
