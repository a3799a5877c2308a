"""The DAG files' parse cache: an unchanged profile file is not parsed again, a changed one is (whatever its size
or modification time), the validation file's verdict stands while nothing changed, and the cached profiles build
the very DAGs the files do."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from profile_sync.factory.discovery import build_profile_dags, validate_profiles
from profile_sync.profiles import ProfileErrors, load_profiles, loader

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("PROFILE_SYNC_PARSE_CACHE", str(tmp_path / "cache"))
    config = tmp_path / "profile_configs"
    config.mkdir()
    for name in ("defaults.yaml", "order_export_plenty.yaml", "stock_import_plenty.yaml"):
        shutil.copy(ROOT / "profile_configs" / name, config / name)
    return config


def _count_parses(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    parsed: list[Path] = []
    real = loader.load_file

    def counting(path, defaults, known):  # type: ignore[no-untyped-def]
        parsed.append(path)
        return real(path, defaults, known)

    monkeypatch.setattr(loader, "load_file", counting)
    return parsed


def test_only_a_changed_file_is_parsed_again(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = load_profiles(folder, cache_as="shard")
    parsed = _count_parses(monkeypatch)
    again = load_profiles(folder, cache_as="shard")
    assert parsed == [] and again.profiles == first.profiles
    target = folder / "stock_import_plenty.yaml"
    text = target.read_text()
    target.write_text(text.replace("name: Stock Import [PlentyONE]", "name: Stock Import [PlentyONF]"))  # same size
    changed = load_profiles(folder, cache_as="shard")
    assert parsed == [target]
    assert {item.profile.name for item in changed.profiles} >= {"Stock Import [PlentyONF]"}


def test_the_validation_verdict_stands_until_a_file_changes(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    validate_profiles(folder)
    parsed = _count_parses(monkeypatch)
    validate_profiles(folder)
    assert parsed == []
    broken = folder / "order_export_plenty.yaml"
    broken.write_text(broken.read_text().replace("direction: export", "direction: exprt"))
    with pytest.raises(ProfileErrors, match="exprt"):
        validate_profiles(folder)
    with pytest.raises(ProfileErrors, match="exprt"):  # the same verdict, from the cache
        validate_profiles(folder)
    assert parsed == [broken]
    broken.write_text(broken.read_text().replace("direction: exprt", "direction: export"))
    validate_profiles(folder)


def test_cached_profiles_build_the_same_dags(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def built() -> list[tuple]:
        return [(d.dag_id, d.doc_md, sorted(d.task_ids), d.params.dump()) for d in build_profile_dags(folder)]

    cold = built()
    parsed = _count_parses(monkeypatch)
    assert built() == cold and parsed == []


def test_the_cache_can_be_switched_off(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROFILE_SYNC_PARSE_CACHE", "off")
    load_profiles(folder, cache_as="shard")
    parsed = _count_parses(monkeypatch)
    load_profiles(folder, cache_as="shard")
    assert len(parsed) == 2
