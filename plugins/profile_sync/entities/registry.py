"""Profile type -> its EntitySync class, by convention: ``profile_sync.entities.<system>.<entity>_<direction>``
exports ``SYNC``. Imported only when a task runs, so a run imports only its own type's code."""

from __future__ import annotations

from importlib import import_module

from profile_sync.entities.base import EntitySync, IdMap, NoIdMap, Systems
from profile_sync.profiles import Profile


class NotImplementedProfileType(NotImplementedError):
    pass


def module_name(profile: Profile) -> str:
    return f"profile_sync.entities.{profile.system}.{profile.entity}_{profile.direction}"


def entity_for(profile: Profile, systems: Systems, id_map: IdMap | None = None) -> EntitySync:
    name = module_name(profile)
    try:
        module = import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name != name:
            raise
        raise NotImplementedProfileType(
            f"profile type {profile.type.label} ({profile.type.key}) has no sync implementation yet ({name})"
        ) from None
    entity: EntitySync = module.SYNC(profile, systems)
    entity.id_map = id_map or NoIdMap()
    return entity
