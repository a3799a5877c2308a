"""Every field of every profile model is read by the product (issue 16's acceptance): a setting that nothing
reads is accepted by the schema and silently does nothing, which is worse than a refused one.

The scan walks the pydantic models (``Profile``, its groups, and every type's ``entity_config`` model from the
catalogue) and looks for an attribute access ``<owner>.<field>`` in ``plugins/profile_sync`` (outside the
``profiles`` package's own definitions), where ``<owner>`` ends in a name the code uses for an instance of that
model: the field that holds it (``api.collection_size``, ``events.delete_externally``), or an alias listed below
with where it is used (``self.config.mark_as_sent``). A field read only under another name, or not at all, fails.
"""

from __future__ import annotations

import ast
import re
import types
import typing
from collections import defaultdict
from pathlib import Path

import pytest
from pydantic import BaseModel, create_model

from profile_sync.profiles.catalogue import CATALOGUE
from profile_sync.profiles.entity_configs import EntityConfig
from profile_sync.profiles.schema import Profile

PACKAGE = Path(__file__).resolve().parents[2] / "plugins" / "profile_sync"
# how the code names an instance of a model besides the field that holds it (and where)
ALIASES: dict[str, set[str]] = {
    "Profile": {"profile", "_profile"},  # everywhere: self.profile, entity.profile, scope.profile ...
    "EntityConfig": {"config", "options", "entity_config"},  # entities: self.config = profile.entity_config
    "ContactOptions": {"contact_options", "options", "config"},  # freeagent.contact_fields(options=...)
    "StoreMapping": {"mapping", "m", "admin", "store_mapping"},  # loops over profile.store.mapping
    "FailWhen": {"fail_when", "rule"},  # engine.verdict
    "Notify": {"notify"},
    "SlackNotify": {"slack"},
    "ScheduleAfter": {"schedule", "after"},  # factory: profile.schedule.after
    "TaskRetries": {"retries"},  # factory.dag_builder: retries = profile.task_retries
    "PriceTaxOptions": {"options"},  # entities.prices: the price conversions take the options
}
# fields read by name at run time, with the expression that reads them (it must be in the code)
DYNAMIC = {
    ("Connections", "magento"): r"getattr\(\s*[\w.]*connections,",
    ("Connections", "plenty"): r"getattr\(\s*[\w.]*connections,",
    ("Connections", "freeagent"): r"getattr\(\s*[\w.]*connections,",
}


def models() -> dict[type[BaseModel], set[str]]:
    """Every model reachable from a profile of any type, with the field names that hold it."""
    found: dict[type[BaseModel], set[str]] = defaultdict(set)
    roots = [Profile, *(kind.config_model for kind in CATALOGUE.values())]

    def visit(model: type[BaseModel], holder: str | None) -> None:
        seen = model in found
        if holder:
            found[model].add(holder)
        else:
            found.setdefault(model, set())
        if seen:
            return
        for name, info in model.model_fields.items():
            for inner in nested(info.annotation):
                visit(inner, name)

    for root in roots:
        visit(root, "entity_config" if issubclass(root, EntityConfig) else None)
    return found


def nested(annotation: object) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    out = []
    for arg in typing.get_args(annotation):
        out += nested(arg)
    if isinstance(annotation, types.UnionType):
        out += [a for a in annotation.__args__ if isinstance(a, type) and issubclass(a, BaseModel)]
    return out


def owners(model: type[BaseModel], holders: set[str]) -> set[str]:
    names = set(holders)
    for cls in model.__mro__:
        names |= ALIASES.get(cls.__name__, set())
    return names


def accesses(root: Path = PACKAGE) -> tuple[set[tuple[str, str]], str]:
    """(owner's last name, attribute) of every attribute access in the product, and its whole source text."""
    pairs: set[tuple[str, str]] = set()
    texts = []
    for path in sorted(root.rglob("*.py")):
        source = path.read_text()
        texts.append(source)
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Attribute):
                owner = node.value
                last = owner.attr if isinstance(owner, ast.Attribute) else owner.id if isinstance(owner, ast.Name) else ""
                pairs.add((last, node.attr))
    return pairs, "\n".join(texts)


def unread(found: dict[type[BaseModel], set[str]], pairs: set[tuple[str, str]], text: str) -> list[str]:
    missing = []
    for model, holders in found.items():
        names = owners(model, holders)
        for field in model.model_fields:
            pattern = DYNAMIC.get((model.__name__, field))
            if pattern is not None:
                if not re.search(pattern, text):
                    missing.append(f"{model.__name__}.{field} (read by name, but {pattern!r} is not in the code)")
                continue
            if not any((owner, field) in pairs for owner in names):
                missing.append(f"{model.__name__}.{field} (looked for as {', '.join(sorted(names))}.{field})")
    return sorted(missing)


def test_every_field_of_every_profile_model_is_read_by_the_product() -> None:
    found = models()
    assert Profile in found and len(found) > 20  # the walk reaches the groups and every type's options
    pairs, text = accesses()
    missing = unread(found, pairs, text)
    assert not missing, "settings nothing reads (read them, or remove them):\n" + "\n".join(missing)


@pytest.mark.parametrize("name", ["unused_switch", "collection_size_typo"])
def test_the_scan_fails_for_a_field_nothing_reads(name: str) -> None:
    """The scan can fail: a field added to a real model that no code reads is reported."""
    widened = create_model("ApiConfigPlus", __base__=Profile.model_fields["api"].annotation, **{name: (bool, False)})
    pairs, text = accesses()
    assert unread({widened: {"api"}}, pairs, text) == [f"ApiConfigPlus.{name} (looked for as api.{name})"]
