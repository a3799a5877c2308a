"""Helpers of the hostile-input tests (issue 10, points 4 and 5): hostile values, expectations record by record,
and the run's accounting (every fetched record is pushed, matched, skipped or failed: none silently dropped)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from profile_sync.engine.finish import SUMMARY_KEYS

# 100,000 characters (more bytes: umlauts and an emoji in the pattern), never cut by the product
BIG = ("Lörem ípsum dolor 🌍 sit ämet " * 4000)[:100_000]
# right-to-left scripts with combining marks, a right-to-left mark and override, emoji with joiners and skin tones
RTL_FIRST = "مَرْيَم\u200f 🌸"
RTL_LAST = "כֹּהֵן \u202eשלום\u202c 👨\u200d👩\u200d👧 👋🏽"
EMOJI = "🦄🔥 Ünïcødé ✓"


@dataclass
class Expect:
    """What must become of one hostile record: a failed entry whose reason holds every `words`, or pushed and
    then `check(target_id)` passes."""

    name: str
    source_id: str
    words: tuple[str, ...] = ()
    check: Callable[[str], None] | None = None
    pushed: bool = field(init=False)

    def __post_init__(self) -> None:
        self.pushed = self.check is not None
        assert self.pushed != bool(self.words), f"{self.name}: either the reason's words or a check"


def failed(name: str, source_id: Any, *words: str) -> Expect:
    return Expect(name, str(source_id), words=words)


def pushed(name: str, source_id: Any, check: Callable[[str], None]) -> Expect:
    return Expect(name, str(source_id), check=check)


def accounted(summary: dict[str, Any]) -> int:
    """Every outcome a fetched record can have; their sum is what was fetched (one target per record)."""
    return sum(int(summary.get(key, 0)) for key in SUMMARY_KEYS if key != "fetched")


def verify(world: Any, profile_id: str, run: Any, expectations: list[Expect], store: str | None = None) -> int:
    """Assert the run and every expectation, record by record; returns how many records were verified."""
    summary = run.summary
    assert summary is not None and summary["complete"], summary
    # records failing for the first time fail the run (fail_when's default), in finish, after it committed all
    red = bool(summary.get("failed_new"))
    assert run.state == ("failed" if red else "success"), run.task_states
    assert all(str(state) == "success" for key, state in run.task_states.items() if key[0] != "finish"), run.task_states
    assert str(run.task_states[("finish", -1)]) == ("failed" if red else "success"), run.task_states
    assert ("failed_run" in summary) is red, summary
    assert summary["fetched"] == accounted(summary), f"records silently dropped: {summary}"
    with world.state() as state:
        reasons = {entry.source_id: entry.reason for entry in state.failed_entries(profile_id)}
        problems = []
        for expect in expectations:
            reason = reasons.get(expect.source_id)
            if not expect.pushed:
                if reason is None:
                    problems.append(f"{expect.name}: not a failed entry")
                elif missing := [w for w in expect.words if w.lower() not in reason.lower()]:
                    problems.append(f"{expect.name}: reason {reason[:300]!r} does not name {missing}")
                continue
            if reason is not None:
                problems.append(f"{expect.name}: failed ({reason[:300]}) where it should be pushed")
                continue
            stores = [store] if store else ["*", "default"]
            entry = next(
                (
                    found
                    for s in stores
                    if (found := state.lookup(profile_id, s, [expect.source_id]).get(expect.source_id))
                ),
                None,
            )
            if entry is None or not entry.target_id or entry.status != "synced":
                problems.append(f"{expect.name}: neither failed nor synced ({entry})")
                continue
            try:
                assert expect.check is not None
                expect.check(str(entry.target_id))
            except AssertionError as exc:
                problems.append(f"{expect.name}: pushed, but the target differs: {str(exc)[:500]}")
    assert not problems, "\n".join(problems)
    return len(expectations)


def same(actual: Any, expected: Any, what: str) -> None:
    """Byte-for-byte equality, with a short message (a 100 KB value is never printed whole)."""
    if actual != expected:
        a, e = str(actual), str(expected)
        raise AssertionError(f"{what}: {len(a)} chars {a[:80]!r}... != {len(e)} chars {e[:80]!r}...")


def verify_duplicate(world: Any, profile_id: str, pair: tuple[str, str], key: str, store: str = "*") -> str:
    """Two source records with one natural key `key`: the first pushed holds the target record, the other is a
    failed entry whose reason names the duplicate (which one came first depends on the run's task order).
    Returns the holder's source id."""
    with world.state() as state:
        reasons = {e.source_id: e.reason for e in state.failed_entries(profile_id) if e.source_id in pair}
        mapped = state.lookup(profile_id, store, list(pair))
    assert len(reasons) == 1, f"duplicates {pair} of {key!r}: failed entries {reasons}"
    [(loser, reason)] = reasons.items()
    [holder] = [source_id for source_id in pair if source_id != loser]
    assert "duplicate" in reason and key.lower() in reason.lower() and holder in reason, reason
    assert mapped[holder].status == "synced", mapped
    assert loser not in mapped or mapped[loser].target_id != mapped[holder].target_id, mapped
    return holder
