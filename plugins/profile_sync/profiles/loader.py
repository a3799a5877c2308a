"""Load -> validate: every profile file in a folder becomes a Profile or a list of errors, never both.

A broken file never hides the others: each file is validated on its own and the result carries the good
profiles and every error together.
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from profile_sync.profiles.catalogue import DIRECTIONS, ENTITIES, SYSTEMS, directions_for, profile_type
from profile_sync.profiles.error_report import choice_error, document_error, source_error, validation_error
from profile_sync.profiles.errors import ProfileError
from profile_sync.profiles.parse_cache import ParseCache
from profile_sync.profiles.schema import Profile, profile_model
from profile_sync.profiles.yaml_source import YamlDocument, YamlSourceError, read_yaml

DEFAULTS_FILE = "defaults.yaml"
PROFILE_SUFFIXES = (".yaml", ".yml")
KnownTypes = Mapping[str, tuple[str, str, str]]


@dataclass(frozen=True)
class LoadedProfile:
    profile: Profile
    path: Path
    derived: Any = None  # what the caller's ``derive`` made of it (cached with it: the DAG files' doc_md)


@dataclass
class LoadResult:
    profiles: list[LoadedProfile] = field(default_factory=list)
    errors: list[ProfileError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def profile_files(directory: Path, only_id: str | None = None, select: Callable[[str], bool] | None = None) -> list[Path]:
    """Profile files under ``directory``, sorted; ``only_id`` narrows to that profile's file(s), ``select`` to the
    ids (file names) it takes. Hidden files and folders are left out. One walk, no stat per file: a shard of
    10,000 profiles lists the folder at every parse."""
    found: list[Path] = []
    for root, folders, names in os.walk(directory):
        folders[:] = [name for name in folders if not name.startswith(".")]
        base = Path(root)
        for name in names:
            stem, dot, suffix = name.rpartition(".")
            if not dot or f".{suffix}" not in PROFILE_SUFFIXES or name == DEFAULTS_FILE or name.startswith("."):
                continue
            if (only_id is not None and stem != only_id) or (select is not None and not select(stem)):
                continue
            found.append(base / name)
    return sorted(found)


def load_profiles(
    directory: Path,
    *,
    only_id: str | None = None,
    known_types: KnownTypes | None = None,
    select: Callable[[str], bool] | None = None,
    cache_as: str | None = None,
    derive: Callable[[Profile, Path], Any] | None = None,
) -> LoadResult:
    """Load every profile in ``directory`` (or just ``only_id``, or the ids ``select`` takes: a file's id is its
    name, so files are chosen without reading them) on top of its ``defaults.yaml``.

    ``cache_as``: a reader's name (a DAG shard, the validation file): files unchanged since that reader's last
    load are not read again (see parse_cache). ``derive``: something to make of each valid profile, kept in the
    cache beside it (``LoadedProfile.derived``)."""
    result = LoadResult()
    defaults: YamlDocument | None = None
    defaults_path = directory / DEFAULTS_FILE
    if defaults_path.exists():
        try:
            defaults = read_yaml(defaults_path)
        except YamlSourceError as exc:
            result.errors.append(source_error(defaults_path, exc))
            result.errors.append(
                ProfileError(directory, "no profile loaded: the shared defaults file is broken", DEFAULTS_FILE)
            )
            return result
    by_id: dict[str, list[LoadedProfile]] = defaultdict(list)
    cache = ParseCache.open(directory, cache_as, sorted((known_types or {}).items())) if cache_as else None
    for path in profile_files(directory, only_id, select):
        cached = cache.get(path) if cache is not None else None
        if cached is None:
            profile, errors = load_file(path, defaults, known_types or {})
            cached = (profile, errors, derive(profile, path) if derive and profile is not None else None)
            if cache is not None:
                cache.put(path, cached)
        profile, errors, derived = cached
        result.errors.extend(errors)
        if profile is not None:
            by_id[profile.id].append(LoadedProfile(profile, path, derived))
    if cache is not None:
        cache.save()
    for profile_id, loaded in sorted(by_id.items()):
        if len(loaded) == 1:
            result.profiles.append(loaded[0])
            continue
        files = ", ".join(str(item.path) for item in loaded)
        for item in loaded:
            result.errors.append(
                ProfileError(item.path, f"id {profile_id!r} is used by more than one file: {files}", "id")
            )
    return result


def load_file(
    path: Path, defaults: YamlDocument | None, known_types: KnownTypes
) -> tuple[Profile | None, list[ProfileError]]:
    """Validate one profile file: YAML -> defaults cascade -> type check -> schema -> state lock."""
    try:
        document = read_yaml(path)
    except YamlSourceError as exc:
        return None, [source_error(path, exc)]
    raw = dict(document.data)
    raw.setdefault("id", path.stem)
    if raw["id"] != path.stem:
        return None, [
            document_error(
                document,
                ("id",),
                f"id must match the file name {path.name!r}",
                given=repr(raw["id"]),
                allowed=repr(path.stem),
                hint="rename the file or the id",
            )
        ]
    type_errors = _type_errors(document, raw)
    if type_errors:
        return None, type_errors
    merged = _deep_merge(defaults.data if defaults else {}, raw)
    kind = profile_type(raw["system"], raw["entity"], raw["direction"])
    assert kind is not None  # checked by _type_errors
    model = profile_model(kind)
    try:
        profile = model.model_validate(merged)
    except ValidationError as exc:
        return None, [validation_error(document, defaults, model, merged, item) for item in exc.errors()]
    stored = known_types.get(profile.id)
    given = (profile.system, profile.entity, profile.direction)
    if stored is not None and tuple(stored) != given:
        changed = (
            "entity" if stored[1] != profile.entity else "direction" if stored[2] != profile.direction else "system"
        )
        return None, [
            document_error(
                document,
                (changed,),
                f"profile {profile.id!r} has already synced as {' '.join(stored)}; entity and direction cannot "
                "change once a profile has synced. Create a new profile (a new file and id) for "
                f"{' '.join(given)} instead, and leave or delete this one",
                given=" ".join(given),
                allowed=" ".join(stored),
            )
        ]
    return profile, []


def _type_errors(document: YamlDocument, raw: dict[str, Any]) -> list[ProfileError]:
    """The (system, entity, direction) triple must be one of the catalogue's, checked field by field."""
    missing = [key for key in ("name", "system", "entity", "direction") if key not in raw]
    if missing:
        return [document_error(document, (), f"required setting(s) missing: {', '.join(missing)}")]
    system, entity, direction = raw["system"], raw["entity"], raw["direction"]
    if system not in SYSTEMS:
        return [choice_error(document, "system", system, SYSTEMS)]
    if entity not in ENTITIES[system]:
        return [choice_error(document, "entity", entity, ENTITIES[system], f"for system {system}")]
    if direction not in directions_for(system, entity):
        allowed = directions_for(system, entity)
        context = f"for {system} {entity}" if direction in DIRECTIONS else ""
        return [choice_error(document, "direction", direction, allowed, context)]
    return []


def _deep_merge(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = _deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged
