"""Which properties of a request body the vendor does not take: unknown to the operation, or read-only.

A JSON schema validator only sees what a schema forbids; PlentyONE's schemas are open (they list properties but
do not close the object) and declare nothing read-only, while the real API silently drops both kinds. This walks
a body beside its schema (following ``$ref``, ``allOf``/``anyOf``/``oneOf`` and array ``items``) and names:

- ``unknown``: a key of an object whose schema lists properties and has no ``additionalProperties`` (the
  property does not exist on this route: e.g. ``texts`` on ``POST /rest/items``);
- ``read-only``: a key that the vendor documents as read-only on this model (`READ_ONLY`, below, with sources:
  the contracts carry no ``readOnly`` flag).

Each finding is ``Finding(kind, json_path, name)``; ``json_path`` writes array indexes as ``[]`` so that the
same property in every row of a list is one finding.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, order=True)
class Finding:
    kind: str  # "unknown" | "read-only"
    path: str  # "$.addresses[].externalId"
    name: str

    def text(self) -> str:
        return f"{self.kind} property {self.path}"


class SchemaWalker:
    """Resolves ``$ref`` values of a converted document (``urn:contract:<system>#/...``)."""

    def __init__(self, doc: dict[str, Any], read_only: dict[str, frozenset[str]] | None = None) -> None:
        self._doc = doc
        # component name -> read-only property names (see errata.READ_ONLY_PROPERTIES)
        self._read_only = read_only or {}

    def resolve(self, schema: Any) -> tuple[Any, str | None]:
        """(schema with its $ref chain followed, name of the last component followed or None)."""
        component = None
        seen = 0
        while isinstance(schema, dict) and "$ref" in schema and seen < 32:
            ref = str(schema["$ref"])
            pointer = ref.split("#", 1)[1] if "#" in ref else ref
            node: Any = self._doc
            for token in pointer.split("/")[1:]:
                key = token.replace("~1", "/").replace("~0", "~")
                node = node[int(key)] if isinstance(node, list) else node[key]
            component = pointer.rsplit("/", 1)[1]
            schema = node
            seen += 1
        return schema, component

    def _flatten(self, schema: Any) -> tuple[dict[str, Any], bool, frozenset[str]]:
        """(properties, open to other keys, read-only names) of an object schema with its allOf/anyOf/oneOf
        parts merged: a schema that lists no properties, or opens ``additionalProperties``, takes any key."""
        schema, component = self.resolve(schema)
        if not isinstance(schema, dict):
            return {}, True, frozenset()
        props: dict[str, Any] = dict(schema.get("properties") or {})
        opened = schema.get("additionalProperties") not in (None, False)
        read_only = set(self._read_only.get(component or "", frozenset()))
        for key in ("allOf", "anyOf", "oneOf"):
            for part in schema.get(key) or []:
                sub_props, sub_open, sub_ro = self._flatten(part)
                props = {**sub_props, **props}
                opened = opened or (sub_open and bool(sub_props))
                read_only |= sub_ro
        return props, opened or not props, frozenset(read_only)

    def findings(self, schema: Any, instance: Any, path: str = "$") -> Iterator[Finding]:
        if isinstance(instance, list):
            resolved, _ = self.resolve(schema)
            items = resolved.get("items") if isinstance(resolved, dict) else None
            if isinstance(items, dict):
                for row in instance:
                    yield from self.findings(items, row, f"{path}[]")
            return
        if not isinstance(instance, dict):
            return
        props, open_, read_only = self._flatten(schema)
        for key, value in instance.items():
            if key in read_only:
                yield Finding("read-only", f"{path}.{key}", key)
            if key in props:
                yield from self.findings(props[key], value, f"{path}.{key}")
            elif not open_:
                yield Finding("unknown", f"{path}.{key}", key)


def body_findings(walker: SchemaWalker, schema: Any, body: Any) -> list[Finding]:
    """Distinct findings of one body, sorted."""
    return sorted(set(walker.findings(schema, body)))
