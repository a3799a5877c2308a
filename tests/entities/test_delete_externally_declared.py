"""``events.delete_externally`` is never a silent no-op: each profile type either deletes (its entity lists the
source's ids and deletes in the target) or its catalogue entry refuses the option, and the loader says why."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from profile_sync.entities.base import EntitySync
from profile_sync.entities.registry import SYNCS
from profile_sync.profiles.catalogue import CATALOGUE, ProfileType
from profile_sync.profiles.schema import profile_model

TYPES = sorted(CATALOGUE.values(), key=lambda kind: kind.key)


def entity_class(kind: ProfileType) -> type[EntitySync]:
    return SYNCS[kind.key]


def profile_data(kind: ProfileType, delete_externally: bool) -> dict[str, object]:
    return {
        "id": "t",
        "name": "T",
        "system": kind.system,
        "entity": kind.entity,
        "direction": kind.direction,
        "events": {"delete_externally": delete_externally},
    }


@pytest.mark.parametrize("kind", TYPES, ids=lambda kind: kind.key)
def test_a_type_either_deletes_or_refuses_the_option_with_a_reason(kind: ProfileType) -> None:
    sync = entity_class(kind)
    deletes = sync.delete is not EntitySync.delete and sync.source_ids is not EntitySync.source_ids
    if kind.delete_refused:
        assert not deletes, f"{kind.key} deletes, yet its catalogue entry refuses delete_externally"
        with pytest.raises(ValidationError) as raised:
            profile_model(kind).model_validate(profile_data(kind, True))
        assert kind.delete_refused in str(raised.value) and "delete_externally" in str(raised.value)
    else:
        assert deletes, f"{kind.key}: implement source_ids and delete, or give the catalogue entry delete_refused"
        assert profile_model(kind).model_validate(profile_data(kind, True)).events.delete_externally
    assert not profile_model(kind).model_validate(profile_data(kind, False)).events.delete_externally
