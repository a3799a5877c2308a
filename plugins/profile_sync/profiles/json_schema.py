"""The profile file format as JSON Schema (draft 2020-12), for editors' YAML support (``profile-sync schema``).

Built from the same pydantic models the loader validates with, so it cannot drift from them: the common fields,
``entity`` limited to the catalogue's entities, and per (system, entity, direction) the type's own
``entity_config`` options. A profile file may leave out what ``defaults.yaml`` provides, so nothing is required
here but the fields that name the type; ``id`` is the file name and may be left out too.
"""

from __future__ import annotations

from typing import Any

from profile_sync.profiles.catalogue import CATALOGUE, SYSTEMS
from profile_sync.profiles.schema import Profile

SCHEMA_ID = "https://profile-sync.invalid/profile.schema.json"
_REF_TEMPLATE = "#/$defs/{model}"


def profile_json_schema() -> dict[str, Any]:
    """The schema of one profile file."""
    schema = Profile.model_json_schema(ref_template=_REF_TEMPLATE)
    defs: dict[str, Any] = schema.setdefault("$defs", {})
    schema["required"] = ["name", "system", "entity", "direction"]
    schema["properties"]["entity"]["enum"] = sorted({key[1] for key in CATALOGUE})
    # the type's own options come from the matching branch below; the common model allows none
    schema["properties"]["entity_config"] = {"type": "object", "description": "The profile type's own options."}
    per_type: list[dict[str, Any]] = []
    for (system, entity, direction), kind in sorted(CATALOGUE.items()):
        config = kind.config_model.model_json_schema(ref_template=_REF_TEMPLATE)
        defs.update(config.pop("$defs", {}))
        name = f"EntityConfig_{system}_{entity}_{direction}"
        defs[name] = {**config, "title": f"entity_config of {kind.label}"}
        per_type.append(
            {
                "if": {
                    "properties": {
                        "system": {"const": system},
                        "entity": {"const": entity},
                        "direction": {"const": direction},
                    },
                    "required": ["system", "entity", "direction"],
                },
                "then": {"properties": {"entity_config": {"$ref": f"#/$defs/{name}"}}},
            }
        )
    known = [
        {"properties": {"system": {"const": s}, "entity": {"enum": sorted({k[1] for k in CATALOGUE if k[0] == s})}}}
        for s in SYSTEMS
    ]
    schema["allOf"] = [{"anyOf": known}, *per_type]
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID, **schema}


def defaults_json_schema() -> dict[str, Any]:
    """The schema of ``defaults.yaml``: any profile field, none required, no type-specific options checked."""
    schema = profile_json_schema()
    schema.pop("allOf")
    schema["required"] = []
    schema["$id"] = SCHEMA_ID.replace("profile.", "defaults.")
    return schema
