"""Profile errors as a user reads them: a pydantic or YAML problem turned into the file, line, field, the value
given, what is allowed and the closest valid value (`profiles.errors.ProfileError`)."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any, get_args, get_origin

from pydantic import BaseModel

from profile_sync.profiles.errors import ProfileError, closest, excerpt
from profile_sync.profiles.yaml_source import Location, YamlDocument, YamlSourceError


def choice_error(
    document: YamlDocument, key: str, given: object, allowed: tuple[str, ...], context: str = ""
) -> ProfileError:
    message = f"{given!r} is not allowed" + (f" {context}" if context else "")
    return document_error(
        document, (key,), message, given=repr(given), allowed=", ".join(allowed), suggestion=closest(given, allowed)
    )


def validation_error(
    document: YamlDocument,
    defaults: YamlDocument | None,
    model: type[BaseModel],
    merged: dict[str, Any],
    item: Any,
) -> ProfileError:
    location: Location = tuple(part for part in item["loc"] if not isinstance(part, str) or part[:1] != "[")
    source = document
    if location and location not in document.positions and defaults and location in defaults.positions:
        source = defaults  # the bad value came from defaults.yaml: point there
    given = item.get("input")
    allowed = suggestion = None
    kind = item["type"]
    if kind == "extra_forbidden":
        names = _field_names(model, location[:-1])
        allowed, suggestion = ", ".join(names), closest(location[-1], names)
        message = f"unknown setting {location[-1]!r}"
        given = None
    elif kind in ("literal_error", "enum"):
        expected = str(item.get("ctx", {}).get("expected", ""))
        choices = [choice.strip(" '") for choice in expected.replace(" or ", ",").split(",") if choice.strip()]
        allowed, suggestion = ", ".join(choices), closest(given, choices)
        message = f"{given!r} is not allowed"
    elif kind == "missing":
        message, given = "required setting missing", None
    elif kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        message = item["msg"].removeprefix("Input should be ").replace("Input", "value")
        message = f"value out of range: must be {message}"
        allowed = _bounds(model, location)
    else:
        message = item["msg"].removeprefix("Value error, ")
    field = ".".join(str(part) for part in location) or None
    return document_error(source, location, message, field=field, given=_short(given), allowed=allowed, suggestion=suggestion)


def document_error(
    document: YamlDocument,
    location: Location,
    message: str,
    *,
    field: str | None = None,
    given: str | None = None,
    allowed: str | None = None,
    suggestion: str | None = None,
    hint: str | None = None,
) -> ProfileError:
    position = document.position(location) if location else None
    line, column = position if position else (None, None)
    return ProfileError(
        file=document.path,
        message=message + (f" ({hint})" if hint else ""),
        field=field or (".".join(str(part) for part in location) or None),
        line=line,
        column=column,
        given=given,
        allowed=allowed,
        suggestion=suggestion,
        excerpt=excerpt(document.lines, line) if line else None,
    )


def source_error(path: Path, exc: YamlSourceError) -> ProfileError:
    lines: list[str] = []
    if exc.line is not None:
        with contextlib.suppress(OSError):
            lines = path.read_text("utf-8", errors="replace").splitlines()
    shown = excerpt(lines, exc.line) if exc.line and exc.line <= len(lines) else None
    return ProfileError(path, exc.message, line=exc.line, column=exc.column, excerpt=shown)


def _field_names(model: type[BaseModel], location: Location) -> list[str]:
    """The settings allowed at ``location`` inside ``model`` (for "unknown setting" suggestions)."""
    current: Any = model
    for part in location:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)) or part not in current.model_fields:
            return []
        current = _model_of(current.model_fields[part].annotation)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return sorted(current.model_fields)
    return []


def _bounds(model: type[BaseModel], location: Location) -> str | None:
    """ "from 25 to 100" for a numeric setting with bounds (read from the schema, never repeated here)."""
    current: Any = model
    for part in location[:-1]:
        if isinstance(part, int) or not (isinstance(current, type) and issubclass(current, BaseModel)):
            continue
        info = current.model_fields.get(part)
        current = _model_of(info.annotation) if info else None
    if not (isinstance(current, type) and issubclass(current, BaseModel)) or location[-1] not in current.model_fields:
        return None
    low = high = None
    for meta in current.model_fields[location[-1]].metadata:
        low = getattr(meta, "ge", None) if getattr(meta, "ge", None) is not None else low
        high = getattr(meta, "le", None) if getattr(meta, "le", None) is not None else high
    if low is not None and high is not None:
        return f"from {low} to {high}"
    return f"at least {low}" if low is not None else f"at most {high}" if high is not None else None


def _model_of(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if get_origin(annotation) is not None:
        for arg in get_args(annotation):
            found = _model_of(arg)
            if found is not None:
                return found
    return None


def _short(value: object, limit: int = 120) -> str | None:
    if value is None:
        return None
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."
