"""The run's Params decide what a run does, and hostile values are refused with the Param's name."""

from __future__ import annotations

from pathlib import Path

import pytest

from profile_sync.engine.run_settings import InvalidRunParams, RunSettings
from profile_sync.profiles import load_profiles

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def profile():
    return next(
        i.profile for i in load_profiles(ROOT / "profile_configs").profiles if i.profile.id == "order_export_plenty"
    )


def settings(profile, **params) -> RunSettings:
    return RunSettings.from_context(profile, {"params": params, "run_id": "manual__1"})


def test_default_run_follows_the_profile_behaviour_and_moves_the_watermark(profile) -> None:
    run = settings(profile, behaviour="profile")
    assert (run.mode, run.moves_watermark) == ("append", True)


def test_full_resync_targeted_retry_and_dry_run(profile) -> None:
    assert settings(profile, behaviour="replace").mode == "replace"
    targeted = settings(profile, ids=["10", "11", "10"])
    assert targeted.mode == "ids" and targeted.ids == ("10", "11") and not targeted.moves_watermark
    assert settings(profile, retry_failed=True).mode == "retry_failed"
    assert settings(profile, dry_run=True).moves_watermark is False


@pytest.mark.parametrize(
    ("params", "words"),
    [
        ({"behaviour": "delete_all"}, "Param behaviour"),
        ({"ids": "1,2"}, "Param ids"),
        ({"ids": ["ok", "bad\x00id"]}, "Param ids"),
        ({"ids": ["x" * 129]}, "Param ids"),
        ({"ids": ["1\n"]}, "Param ids"),  # JSON Schema's "$" lets a final newline through
        ({"dry_run": "yes"}, "Param dry_run"),
    ],
)
def test_hostile_params_are_refused(profile, params, words) -> None:
    with pytest.raises(InvalidRunParams, match=words):
        settings(profile, **params)


def test_ids_that_look_like_paths_sql_or_urls_stay_plain_ids(profile) -> None:
    hostile = ["../../etc/passwd", "1'; DROP TABLE id_map;--", "http://evil.example/x"]
    assert settings(profile, ids=hostile).ids == tuple(hostile)
