"""What the options that no other test exercised do, as real DAG runs (issue 16 point 7). Options tested
elsewhere: delete_externally (test_delete_externally_run.py), add_new_to_export_queue (Customer Export and
Import), mark_as_paid_when_paid (Invoice Export), collection_size (Category Import, tests/entities/test_page_sizes),
log.records (test_sync_log.py), fail_when (test_run_verdict.py)."""

from __future__ import annotations

import time
from typing import Any

import pytest

from profile_sync.profiles.catalogue import CATALOGUE
from tests.integration.test_plenty_order_export_run import all_records

pytestmark = pytest.mark.integration


def run_ok(world, profile: str, conf: dict[str, Any] | None = None) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    run = world.run(profile, conf)
    assert run.state == "success", run.task_states
    return run.summary


def attempts(world, profile: str, source_id: str) -> int | None:  # type: ignore[no-untyped-def]
    with world.state() as state:
        entry = next((e for e in state.failed_entries(profile) if e.source_id == source_id), None)
    return entry.attempts if entry else None


def test_a_failed_record_is_retried_until_max_failed_attempts_then_parked(world, admin) -> None:
    profile = "contact_export_freeagent"
    bad = admin["magento"].create(
        "customers", {"email": "not-an-address", "firstname": "Kein", "lastname": "Mail", "website_id": 1}
    )
    # an hour of overlap: every append run reads the bad record again, so only the failed entry's attempts can
    # decide whether it is tried (the same holds for a record stamped in the watermark's own second)
    world.write_profile(
        profile,
        schedule_config={"max_failed_attempts": 2, "retry_on_error": True},
        api={"overlap_seconds": 3600},
        fail_when="never",
    )
    run_ok(world, profile)
    assert attempts(world, profile, str(bad["id"])) == 1
    admin["magento"].touch("customers", count=1)  # one other change, so that each run has work
    second = run_ok(world, profile)
    assert attempts(world, profile, str(bad["id"])) == 2 and second["failed_repeated"] == 1
    admin["magento"].touch("customers", count=1)
    third = run_ok(world, profile)
    assert attempts(world, profile, str(bad["id"])) == 2 and third["failed"] == 0  # parked: not tried again
    time.sleep(1.1)  # Magento stamps seconds: the change must be newer than the watermark to be one
    admin["magento"].touch("customers", ids=[bad["id"]])  # the merchant edits it: a change is tried again
    fourth = run_ok(world, profile)
    assert attempts(world, profile, str(bad["id"])) == 3 and fourth["failed"] == 1


@pytest.mark.parametrize("enable_history", [True, False])
def test_history_is_kept_only_when_enable_history_is_on(world, enable_history: bool) -> None:
    profile = "contact_export_freeagent"
    world.write_profile(profile, schedule_config={"enable_history": enable_history}, fail_when="never")
    summary = run_ok(world, profile)
    with world.state() as state:
        kept = state.list_history(profile, limit=1).total
    assert summary["created"] + summary["matched"] > 0
    assert (kept > 0) is enable_history


@pytest.mark.parametrize(
    ("profile", "collection"),
    [("invoice_export_freeagent", "invoices"), ("creditmemo_export_freeagent", "credit_notes")],
)
def test_documents_stay_drafts_when_mark_as_sent_is_off(world, admin, profile: str, collection: str) -> None:
    world.write_profile(profile, entity_config={"mark_as_sent": False})
    summary = run_ok(world, profile)
    statuses = {d["status"] for d in all_records(admin["freeagent"], collection)}
    assert summary["created"] > 0 and statuses <= {"Draft", "Cancelled"}
    assert "Draft" in statuses  # with the option on they are Open (the types' own run tests)


@pytest.mark.parametrize("include_hidden", [True, False])
def test_hidden_contacts_are_imported_only_with_include_hidden(world, admin, include_hidden: bool) -> None:
    profile = "contact_import_freeagent"
    hidden = admin["freeagent"].create(
        "contacts",
        {
            "first_name": "Verborgen",
            "last_name": "Kontakt",
            "email": "hidden-contact@example.com",
            "status": "Hidden",
            "country": "United Kingdom",
        },
    )
    world.write_profile(profile, entity_config={"include_hidden": include_hidden}, fail_when="never")
    run_ok(world, profile)
    with world.state() as state:
        imported = [sid for store in ("default", "*") for sid in state.mapped_source_ids(profile, store)]
    assert (hidden["url"] in imported) is include_hidden
    emails = {c["email"] for c in all_records(admin["magento"], "customers")}
    assert ("hidden-contact@example.com" in emails) is include_hidden


def sample_profiles() -> list[str]:
    return sorted(f"{t.entity}_{t.direction}_{t.system}" for t in CATALOGUE.values())


@pytest.mark.slow  # three runs of each of the 17 types (105 s on the loaded machine); make test-all runs it
@pytest.mark.parametrize("profile", sample_profiles())
def test_a_replace_run_reads_everything_again_and_writes_only_what_changed(world, admin, profile: str) -> None:
    """behaviour replace (a full resync): every record of the source is read again, whatever the watermark, and
    records unchanged since the last run are skipped, never written twice."""
    world.write_profile(profile, fail_when="never")
    first = run_ok(world, profile)
    append = run_ok(world, profile)
    replace = run_ok(world, profile, {"behaviour": "replace"})
    assert replace["mode"] == "replace"
    assert replace["fetched"] == first["fetched"] >= append["fetched"]  # everything again, the watermark aside
    assert (replace["created"], replace["matched"], replace["updated"]) == (0, 0, 0)  # nothing changed: no write
    assert replace["skipped"] == first["created"] + first["matched"] + first["updated"]
