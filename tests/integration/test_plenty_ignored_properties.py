"""Issue 14: the PlentyONE properties the profiles send and the vendor ignores are exactly the known list.

PlentyONE drops, without an error, a property its route does not have (``texts`` on ``POST /rest/items``) or that
is read-only; a profile that relies on one is wrong. Every sample profile that writes to PlentyONE runs once, in
dependency order (real DAG runs against the sandbox); the findings of all their traffic must be exactly
``errata.KNOWN_PLENTY_FINDINGS``: a new one fails (fix the profile, or list it with its explanation), and so does
a listed one that no profile sends any more (remove it from the list: its issue point is done).
"""

from __future__ import annotations

import pytest

from tests.contracts.errata import KNOWN_PLENTY_FINDINGS

pytestmark = pytest.mark.integration
# the PlentyONE writers among the sample profiles, parents first (categories before products, customers before
# orders)
WRITERS = ("category_export_plenty", "customer_export_plenty", "product_export_plenty", "order_export_plenty")


def test_every_known_finding_says_what_it_breaks_and_which_issue_point_removes_it() -> None:
    seen = set()
    for known in KNOWN_PLENTY_FINDINGS:
        assert known.explanation.strip() and known.fixed_by.strip(), known
        assert known.finding.startswith(("unknown property $", "read-only property $")), known
        assert (known.method, known.path, known.finding) not in seen, f"listed twice: {known}"
        seen.add((known.method, known.path, known.finding))


def test_the_ignored_properties_sent_by_the_sample_profiles_are_exactly_the_known_list(world, sandbox) -> None:
    from tests.contracts.recorded import check_traffic
    from tests.contracts.spec import shared_contracts

    if shared_contracts() is None:
        pytest.skip("vendor contracts (../shared/contracts) are absent")
    for profile in WRITERS:
        world.write_profile(profile)
        run = world.run(profile)
        assert run.state in ("success", "failed"), (profile, run.task_states)  # failed records are not this test's
    report = check_traffic([sandbox.plenty])
    assert report.findings == [], "new ignored properties (fix the profile, or list them in errata):\n" + "\n".join(
        report.findings
    )
    stale = set(KNOWN_PLENTY_FINDINGS) - report.known_findings
    assert not stale, "listed in errata.KNOWN_PLENTY_FINDINGS but no longer sent (remove them):\n" + "\n".join(
        f"{k.method} {k.path}: {k.finding}" for k in sorted(stale, key=str)
    )
