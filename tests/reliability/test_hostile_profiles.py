"""Hostile profile files: each gives a clear error naming it, within bounded time and memory, and the valid
profiles beside it keep loading. The cases: every file of tests/profiles/schema-errors plus generated ones."""

from __future__ import annotations

import shutil
import time
import tracemalloc
from pathlib import Path

import pytest

from profile_sync.profiles import load_profiles

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "profile_configs"
SCHEMA_ERRORS = ROOT / "tests" / "profiles" / "schema-errors"
HEAD = "name: T\nsystem: plenty\nentity: order\ndirection: export\n"
pytestmark = pytest.mark.reliability
MAX_SECONDS = 5.0
MAX_PEAK_BYTES = 64 * 1024 * 1024

GENERATED: dict[str, tuple[bytes, str]] = {
    "nested_lists": ((HEAD + "description: " + "[" * 5000 + "]" * 5000 + "\n").encode(), "nest deeper"),
    "nested_maps": (("a:\n" + "".join("  " * i + "b:\n" for i in range(1, 400))).encode(), "nest deeper"),
    "python_tag": (
        b"name: !!python/object/apply:os.system ['true']\n" + HEAD[8:].encode(),
        "could not determine a constructor",
    ),
    "two_documents": (HEAD.encode() + b"---\nname: other\n", "single document"),
    "tab_indent": ((HEAD + "api:\n\tbehaviour: append\n").encode(), "not valid YAML"),
    "huge_file": ((HEAD + "description: |\n" + ("  " + "x" * 100 + "\n") * 4000).encode(), "at most 262,144"),
    "huge_name": ((HEAD.replace("name: T", "name: " + "n" * 100_000)).encode(), "at most 200 characters"),
    "null_bytes": (HEAD.encode() + b"description: a\x00b\n", "not valid YAML"),
    "binary_garbage": (bytes(range(256)) * 4, "not UTF-8"),
    "many_unknown_keys": ((HEAD + "".join(f"key{i}: {i}\n" for i in range(5000))).encode(), "unknown setting"),
    "alias_bomb_wide": (
        (HEAD + "x: &a [" + ",".join(["y"] * 200) + "]\n" + "z: [" + ",".join(["*a"] * 200) + "]\n").encode(),
        "expands to more than",
    ),
    "number_as_id": (("id: 12345\n" + HEAD).encode(), "id must match the file name"),
    "schedule_list": ((HEAD + "schedule: ['*/5 * * * *']\n").encode(), "schedule"),
    "store_mapping_not_list": ((HEAD + "store: {mapping: default}\n").encode(), "store.mapping"),
}
CASES = [
    (p.stem, p.read_bytes(), p.read_bytes().split(b"\n", 1)[0].decode("utf-8", "replace"))
    for p in sorted(SCHEMA_ERRORS.glob("*.yaml"))
]
CASES += [(name, content, words) for name, (content, words) in GENERATED.items()]


def test_at_least_forty_hostile_cases() -> None:
    assert len(CASES) >= 40


@pytest.mark.parametrize(("name", "content", "words"), CASES, ids=[case[0] for case in CASES])
def test_hostile_file_is_refused_clearly_and_the_others_keep_loading(
    tmp_path: Path, tally, name: str, content: bytes, words: str
) -> None:
    config = tmp_path / "profile_configs"
    shutil.copytree(SAMPLES, config)
    (config / f"hostile_{name}.yaml").write_bytes(content)
    tracemalloc.start()
    started = time.perf_counter()
    result = load_profiles(config)
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert elapsed < MAX_SECONDS and peak < MAX_PEAK_BYTES, (elapsed, peak)  # a hang or blow-up detector
    assert len(result.profiles) == 17
    assert len(result.errors) >= 1
    report = "\n".join(error.format() for error in result.errors)
    assert f"hostile_{name}.yaml" in report
    expected = words.removeprefix("# error:").split("|")[0].strip() if words.startswith("# error:") else words
    if not expected.startswith("line "):
        names_its_id = content.startswith(b"id:") or b"\nid:" in content
        # a file that names its id is refused under a new file name for that reason first
        assert expected in report or (names_its_id and "must match the file name" in report), report
    # one hostile file per case; the records verified are the good profiles still loaded beside it
    tally("3. Hostile profile files").add(iterations=1, faults=1, records=len(result.profiles))


def test_a_duplicated_id_names_both_files_and_the_other_profiles_keep_loading(tmp_path: Path, tally) -> None:
    config = tmp_path / "profile_configs"
    shutil.copytree(SAMPLES, config)
    (config / "copies").mkdir()
    shutil.copy(config / "order_export_plenty.yaml", config / "copies" / "order_export_plenty.yaml")
    result = load_profiles(config)
    report = "\n".join(error.format(config) for error in result.errors)
    assert "id 'order_export_plenty' is used by more than one file" in report, report
    assert "copies/order_export_plenty.yaml" in report
    assert {p.profile.id for p in result.profiles} == {p.stem for p in SAMPLES.glob("*_*.yaml")} - {"order_export_plenty"}
    tally("3. Hostile profile files").add(iterations=1, faults=1, records=len(result.profiles))


def test_a_changed_entity_of_a_profile_with_state_is_refused_and_the_others_keep_loading(tmp_path: Path, tally) -> None:
    config = tmp_path / "profile_configs"
    shutil.copytree(SAMPLES, config)
    # the state store knows this id as a customer export: its ID map holds customers, not orders
    result = load_profiles(config, known_types={"order_export_plenty": ("plenty", "customer", "export")})
    report = "\n".join(error.format(config) for error in result.errors)
    assert "has already synced as plenty customer export" in report and "Create a new profile" in report, report
    assert len(result.profiles) == len(list(SAMPLES.glob("*_*.yaml"))) - 1
    tally("3. Hostile profile files").add(iterations=1, faults=1, records=len(result.profiles))
