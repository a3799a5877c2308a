"""Find the vendor contracts beside the checkout and load them through a file-hash keyed pickle cache.

Parsing the 1 MB Magento YAML takes about a second; the converted, pickled form loads in milliseconds. The
cache key covers the contract file and the code that converts it, so editing either rebuilds the entry.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from tests.contracts import errata, freeagent_fields, postman, schema_dialect

PROJECT_ROOT = Path(__file__).resolve().parents[2]
CONTRACT_FILES = {
    "magento": Path("magento/admin-schema-2.4.8.yaml"),
    "plenty": Path("plenty/openApiV3.min.json"),
    "freeagent": Path("freeagent/FreeAgent.postman_collection.json"),
}
_CONVERTER_SOURCES = (
    schema_dialect.__file__,
    errata.__file__,
    postman.__file__,
    freeagent_fields.__file__,
    __file__,
)


def contracts_dir() -> Path:
    """``../shared/contracts`` beside the project checkout."""
    return PROJECT_ROOT.parent / "shared" / "contracts"


def cache_dir() -> Path:
    return PROJECT_ROOT / "var" / "contract-cache"


def _convert_magento(raw: bytes) -> dict[str, Any]:
    doc = yaml.load(raw, Loader=yaml.CSafeLoader)
    converted = schema_dialect.convert_swagger2(doc, "magento", closed_objects=True)
    errata.apply_errata(converted, "magento")
    return converted


def _convert_plenty(raw: bytes) -> dict[str, Any]:
    # Plenty's schemas are generated loosely (relations from `with=` are undeclared), so objects stay open
    converted = schema_dialect.convert_openapi3(json.loads(raw), "plenty", closed_objects=False)
    errata.apply_errata(converted, "plenty")
    errata.apply_required_relaxations(converted, "plenty")
    return converted


def _convert_freeagent(raw: bytes) -> dict[str, Any]:
    converted = postman.extract_requests(json.loads(raw))
    converted["requests"] += [dict(request) for request in freeagent_fields.REFERENCE_REQUESTS]
    return converted


_CONVERTERS: dict[str, Callable[[bytes], dict[str, Any]]] = {
    "magento": _convert_magento,
    "plenty": _convert_plenty,
    "freeagent": _convert_freeagent,
}


def _code_fingerprint() -> bytes:
    digest = hashlib.sha256()
    for source in _CONVERTER_SOURCES:
        digest.update(Path(source).read_bytes())
    return digest.digest()


def load_converted(system: str, folder: Path | None = None) -> dict[str, Any]:
    """The converted contract of ``system`` (``magento``, ``plenty`` or ``freeagent``), cached on disk."""
    source = (folder or contracts_dir()) / CONTRACT_FILES[system]
    raw = source.read_bytes()
    key = hashlib.sha256(raw + _code_fingerprint()).hexdigest()[:24]
    cached = cache_dir() / f"{system}-{key}.pickle"
    if cached.exists():
        try:
            with cached.open("rb") as fh:
                return pickle.load(fh)
        except (OSError, pickle.UnpicklingError, EOFError):
            pass  # a torn or foreign file: rebuild it below
    converted = _CONVERTERS[system](raw)
    cached.parent.mkdir(parents=True, exist_ok=True)
    for stale in cached.parent.glob(f"{system}-*.pickle"):
        stale.unlink(missing_ok=True)
    # write then rename, so a parallel test process never reads half a file
    fd, tmp = tempfile.mkstemp(dir=cached.parent, suffix=".tmp")
    with os.fdopen(fd, "wb") as fh:
        pickle.dump(converted, fh, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, cached)
    return converted
