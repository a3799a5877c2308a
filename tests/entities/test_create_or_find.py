"""create_or_find: a create whose answer was lost is looked up (after the server had time to finish it) before
it is ever sent again, and the caller learns that the answer never came."""

from __future__ import annotations

import time

import pytest

from profile_sync.connectors.errors import UncertainWriteError
from profile_sync.entities.base import CREATE_ATTEMPTS, create_or_find


def test_an_answered_create_is_returned_as_answered() -> None:
    assert create_or_find(lambda: "T-1", lambda: pytest.fail("no lookup needed")) == ("T-1", True)


def test_a_lost_answer_is_looked_up_after_the_settle_time_and_reported_unanswered() -> None:
    sent: list[float] = []
    looked: list[float] = []

    def create() -> str:
        sent.append(time.monotonic())
        raise UncertainWriteError("timed out", system="x", settle_seconds=0.2)

    def find() -> str | None:
        looked.append(time.monotonic())
        return "T-9"

    assert create_or_find(create, find) == ("T-9", False)
    assert len(sent) == 1 and looked[0] - sent[0] >= 0.2


def test_a_create_that_did_not_land_is_sent_again_and_never_more_than_the_attempts() -> None:
    sent: list[int] = []

    def create() -> str:
        sent.append(1)
        raise UncertainWriteError("500 after the write?", system="x")

    with pytest.raises(UncertainWriteError):
        create_or_find(create, lambda: None)
    assert len(sent) == CREATE_ATTEMPTS
