"""What the DAG files loaded last time, kept between parses: Airflow's DAG processor parses every DAG file again
every 30 s or so, and reading and validating each profile file again is most of what the project adds to a
parse (issue 17: 10,000 profiles). A file unchanged since (the same content, the same defaults.yaml, the same
package code and locked types) is not parsed again: its profile, or its errors, come from the cache.

One cache file per reader (a DAG shard, the validation file), written whole and atomically, only when something
changed, under ``$AIRFLOW_HOME/profile_sync/parse_cache`` (``PROFILE_SYNC_PARSE_CACHE``: another folder, or
``off``). It holds pickles: a folder only the Airflow user may write, like the DAG folder itself. A cache that
cannot be read or written is ignored (the files are read as without one).
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
from functools import cache
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)
CACHE_ENV = "PROFILE_SYNC_PARSE_CACHE"
_FORMAT = 2  # entries: (digest, (profile or None, errors, derived))
# the package's code: a change to the schema, or to what a reader derives from a profile (the DAG's doc_md),
# invalidates everything
_CODE = Path(__file__).resolve().parents[1]


def _stamp(path: Path) -> bytes | None:
    """The file's content digest: a modification time is too coarse (two writes within a clock tick look alike),
    and reading a small YAML file costs a fraction of parsing and validating it."""
    try:
        return hashlib.blake2b(path.read_bytes(), digest_size=16).digest()
    except OSError:
        return None


@cache  # once per process: the code does not change under a running parse
def _code_stamp() -> tuple[tuple[str, int], ...]:
    return tuple(sorted((str(p.relative_to(_CODE)), p.stat().st_mtime_ns) for p in _CODE.rglob("*.py")))


def cache_folder() -> Path | None:
    configured = os.environ.get(CACHE_ENV, "").strip()
    if configured.lower() in {"off", "0", "false", "no"}:
        return None
    if configured:
        return Path(configured)
    return Path(os.environ.get("AIRFLOW_HOME") or Path.home() / "airflow") / "profile_sync" / "parse_cache"


class ParseCache:
    """The loaded files of one reader of one profile folder."""

    def __init__(self, file: Path, context: Any) -> None:
        self.file = file
        self._key = (_FORMAT, context, _code_stamp())
        self._loaded: dict[str, tuple[bytes, Any]] | None = None  # read on first use
        self._new: dict[str, tuple[bytes, Any]] = {}
        self._changed = False

    @property
    def _old(self) -> dict[str, tuple[bytes, Any]]:
        if self._loaded is None:
            self._loaded = {}
            try:
                with self.file.open("rb") as handle:
                    key, entries = pickle.load(handle)
                if key == self._key:
                    self._loaded = entries
            except FileNotFoundError:
                pass
            except Exception as exc:  # noqa: BLE001 - a broken cache only costs a full read
                log.warning("profile parse cache %s unreadable (%s): reading every profile file", self.file, exc)
        return self._loaded

    @classmethod
    def open(cls, directory: Path, reader: str, context: Any) -> ParseCache | None:
        """The cache of ``reader`` for ``directory``; None when caching is off."""
        folder = cache_folder()
        if folder is None:
            return None
        name = hashlib.sha1(str(directory.resolve()).encode()).hexdigest()[:16]
        defaults = _stamp(directory / "defaults.yaml")
        return cls(folder / name / f"{reader}.pickle", (str(directory.resolve()), defaults, context))

    def get(self, path: Path) -> Any | None:
        """The cached result for ``path`` when the file is unchanged, else None."""
        stamp = _stamp(path)
        found = self._old.get(str(path))
        if stamp is None or found is None or found[0] != stamp:
            self._changed = True
            return None
        self._new[str(path)] = found
        return found[1]

    def put(self, path: Path, result: Any) -> None:
        stamp = _stamp(path)
        if stamp is not None:
            self._new[str(path)] = (stamp, result)

    def save(self) -> None:
        """Write what this parse saw (files gone since are dropped), when anything changed."""
        if not self._changed and self._new.keys() == self._old.keys():
            return
        try:
            self.file.parent.mkdir(parents=True, exist_ok=True)
            partial = self.file.with_suffix(f".{os.getpid()}.tmp")
            with partial.open("wb") as handle:
                pickle.dump((self._key, self._new), handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(partial, self.file)
        except Exception as exc:  # noqa: BLE001 - parsing goes on without a cache
            log.warning("profile parse cache %s not written (%s)", self.file, exc)


class VerdictCache:
    """A reader's last verdict over a whole folder: when no file changed since (the same files with the same
    content), the verdict stands and nothing is parsed at all (the validation DAG file's steady state)."""

    def __init__(self, cache: ParseCache, files: list[Path]) -> None:
        self._cache = cache
        self._file = cache.file.with_name(cache.file.stem + "-verdict.pickle")
        self._stamps = (cache._key, tuple((str(path), _stamp(path)) for path in files))

    @classmethod
    def open(cls, directory: Path, reader: str, context: Any, files: list[Path]) -> VerdictCache | None:
        cache = ParseCache.open(directory, reader, context)
        return None if cache is None else cls(cache, files)

    def verdict(self) -> Any | None:
        """What the reader concluded last time, when nothing changed since; else None."""
        try:
            with self._file.open("rb") as handle:
                stamps, verdict = pickle.load(handle)
        except Exception:  # noqa: BLE001 - no verdict yet (or an unreadable one): decide afresh
            return None
        return verdict if stamps == self._stamps else None

    def keep(self, verdict: Any) -> None:
        try:
            self._file.parent.mkdir(parents=True, exist_ok=True)
            partial = self._file.with_suffix(f".{os.getpid()}.tmp")
            with partial.open("wb") as handle:
                pickle.dump((self._stamps, verdict), handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(partial, self._file)
        except Exception as exc:  # noqa: BLE001
            log.warning("profile parse verdict %s not written (%s)", self._file, exc)
