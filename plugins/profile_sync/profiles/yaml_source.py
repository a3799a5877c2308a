"""Reading one YAML file safely, with the position of every key, and bounded in size and expansion."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

MAX_FILE_BYTES = 256 * 1024
MAX_NODES = 20_000  # after alias expansion: stops "billion laughs" anchors before anything expands them
MAX_DEPTH = 32  # a profile nests four levels; deeper is an error, not a stack overflow

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
Location = tuple[str | int, ...]


class YamlSourceError(Exception):
    def __init__(self, message: str, line: int | None = None, column: int | None = None) -> None:
        super().__init__(message)
        self.message, self.line, self.column = message, line, column


@dataclass
class YamlDocument:
    path: Path
    data: dict[str, Any]
    lines: list[str]
    positions: dict[Location, tuple[int, int]] = field(default_factory=dict)  # 1-based line, column

    def position(self, location: Location) -> tuple[int, int] | None:
        """The position of ``location`` or, failing that, of its nearest parent that has one."""
        for end in range(len(location), 0, -1):
            found = self.positions.get(location[:end])
            if found:
                return found
        return None


def read_yaml(path: Path) -> YamlDocument:
    """Read a profile YAML file: safe loader, UTF-8 only, one mapping document, no duplicate keys."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise YamlSourceError(f"file is {size:,} bytes; a profile file may have at most {MAX_FILE_BYTES:,}")
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise YamlSourceError(f"file is not UTF-8 text (byte {exc.start}: {raw[exc.start]:#04x})", line) from None
    if not text.strip() or all(not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()):
        raise YamlSourceError("file is empty: a profile needs at least id, name, system, entity, direction")
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise YamlSourceError("file holds no YAML document")
        positions: dict[Location, tuple[int, int]] = {}
        _walk(node, (), positions, [0])
        if not isinstance(node, yaml.MappingNode):
            kind = {"SequenceNode": "a list", "ScalarNode": "a single value"}.get(type(node).__name__, "no mapping")
            raise YamlSourceError(
                f"file holds {kind}; a profile is a mapping of settings (id: ..., name: ...)",
                node.start_mark.line + 1,
                node.start_mark.column + 1,
            )
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if exc.context_mark is not None and mark is not None and mark.line >= len(text.splitlines()):
            mark = exc.context_mark  # the problem is "end of file": point where the unclosed thing began
        problem = " ".join(p for p in (exc.context, exc.problem) if p) or "invalid YAML"
        raise YamlSourceError(
            f"not valid YAML: {problem}", mark.line + 1 if mark else None, mark.column + 1 if mark else None
        ) from None
    except yaml.YAMLError as exc:
        raise YamlSourceError(f"not valid YAML: {exc}") from None
    finally:
        loader.dispose()
    return YamlDocument(path=path, data=data, lines=text.splitlines(), positions=positions)


def _walk(node: yaml.Node, location: Location, positions: dict, count: list[int]) -> None:
    if len(location) > MAX_DEPTH:
        raise YamlSourceError(f"settings nest deeper than {MAX_DEPTH} levels", node.start_mark.line + 1)
    count[0] += 1
    if count[0] > MAX_NODES:
        raise YamlSourceError(
            f"file expands to more than {MAX_NODES:,} values (anchors/aliases?): refusing to load it",
            node.start_mark.line + 1,
        )
    if isinstance(node, yaml.MappingNode):
        seen: dict[Any, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise YamlSourceError("a key must be a plain value", key_node.start_mark.line + 1)
            key = key_node.value
            if key == "<<":
                raise YamlSourceError("merge keys (<<) are not supported in profiles", key_node.start_mark.line + 1)
            if key in seen:
                raise YamlSourceError(
                    f"key {key!r} appears twice in the same mapping (first on line {seen[key]})",
                    key_node.start_mark.line + 1,
                    key_node.start_mark.column + 1,
                )
            seen[key] = key_node.start_mark.line + 1
            child = (*location, key)
            positions[child] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            _walk(value_node, child, positions, count)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            child = (*location, index)
            positions[child] = (item.start_mark.line + 1, item.start_mark.column + 1)
            _walk(item, child, positions, count)
