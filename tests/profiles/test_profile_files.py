"""Schema tests laid out by failure kind: good/, schema-errors/ (one file, one error), logic-errors/ (cases)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from profile_sync.profiles import load_profiles
from profile_sync.profiles.loader import load_file

HERE = Path(__file__).parent
GOOD = sorted((HERE / "good").glob("*.y*ml"))
SCHEMA_ERRORS = sorted((HERE / "schema-errors").glob("*.y*ml"))
LOGIC_ERRORS = sorted(path for path in (HERE / "logic-errors").iterdir() if path.is_dir())


def expected_words(path: Path) -> list[str]:
    """The words an error must contain: the file's `# error:` header (bytes, so non-UTF-8 files work too)."""
    first = path.read_bytes().split(b"\n", 1)[0].decode("utf-8", "replace")
    assert first.startswith("# error:"), f"{path.name} has no '# error:' header"
    return [word.strip() for word in first.removeprefix("# error:").split("|")]


@pytest.mark.parametrize("path", GOOD, ids=lambda p: p.name)
def test_good_profile_loads_without_errors(path: Path) -> None:
    profile, errors = load_file(path, None, {})
    assert errors == []
    assert profile is not None and profile.id == path.stem


@pytest.mark.parametrize("path", SCHEMA_ERRORS, ids=lambda p: p.name)
def test_schema_error_names_file_field_and_allowed_values(path: Path) -> None:
    profile, errors = load_file(path, None, {})
    assert profile is None
    assert len(errors) == 1, [e.format() for e in errors]
    message = errors[0].format()
    assert str(path) in message
    for word in expected_words(path):
        if word.startswith("line "):
            assert errors[0].line == int(word.removeprefix("line ")), message
        else:
            assert word in message, f"{word!r} missing from:\n{message}"


@pytest.mark.parametrize("case", LOGIC_ERRORS, ids=lambda p: p.name)
def test_logic_error_is_reported_with_its_reason(case: Path) -> None:
    known_file = case / "known_types.json"
    known = {k: tuple(v) for k, v in json.loads(known_file.read_text()).items()} if known_file.exists() else {}
    result = load_profiles(case, known_types=known)
    assert result.profiles == []
    report = "\n".join(error.format(case) for error in result.errors)
    for line in (case / "expected.txt").read_text().splitlines():
        for word in line.split("|"):
            assert word.strip() in report, f"{word.strip()!r} missing from:\n{report}"


def test_defaults_cascade_under_the_profile(tmp_path: Path) -> None:
    (tmp_path / "defaults.yaml").write_text("api: {collection_size: 50, behaviour: replace}\nenabled: true\n")
    (tmp_path / "one.yaml").write_text(
        "name: One\nsystem: plenty\nentity: order\ndirection: export\napi: {collection_size: 75}\n"
    )
    result = load_profiles(tmp_path)
    assert result.ok
    profile = result.profiles[0].profile
    assert (profile.api.collection_size, profile.api.behaviour, profile.enabled) == (75, "replace", True)
    assert profile.schedule_config.process_batch_size == 100  # the schema's own default


def test_broken_file_never_hides_the_good_ones(tmp_path: Path) -> None:
    for path in GOOD:
        shutil.copy(path, tmp_path / path.name)
    shutil.copy(HERE / "schema-errors" / "bad_direction.yaml", tmp_path / "bad_direction.yaml")
    result = load_profiles(tmp_path)
    assert sorted(item.profile.id for item in result.profiles) == sorted(path.stem for path in GOOD)
    assert len(result.errors) == 1
    assert "bad_direction.yaml" in result.errors[0].format() and "did you mean 'export'" in result.errors[0].format()


def test_only_id_loads_just_that_profile(tmp_path: Path) -> None:
    for path in GOOD:
        shutil.copy(path, tmp_path / path.name)
    (tmp_path / "broken.yaml").write_text("not: [valid")
    result = load_profiles(tmp_path, only_id="minimal_order_export")
    assert [item.profile.id for item in result.profiles] == ["minimal_order_export"]
    assert result.errors == []


def test_every_seed_setting_has_a_typed_field_with_its_default() -> None:
    profile, errors = load_file(HERE / "good" / "full_contact_export.yaml", None, {})
    assert not errors and profile is not None
    # the seed 004 "Contact Export" screens, setting by setting
    assert profile.enabled is True and profile.schedule == "15 */2 * * 1-5"
    assert profile.schedule_config.process_batch_size == 250
    assert profile.schedule_config.retry_on_error is False and profile.schedule_config.enable_history is False
    assert profile.api.behaviour == "replace" and profile.api.collection_size == 25
    assert profile.store.restrict is True and [m.locale for m in profile.store.mapping] == ["en_GB", "de"]
    assert profile.events.add_new_to_export_queue is False and profile.events.delete_externally is True
    assert profile.log.request_data is True and profile.log.response_data is True
    config = profile.entity_config
    assert (config.default_status, config.use_contact_invoice_sequence) == ("Hidden", True)
    assert (config.display_contact_name, config.default_payment_terms_in_days) == (False, 0)
    minimal, _ = load_file(HERE / "good" / "minimal_order_export.yaml", None, {})
    assert minimal is not None
    assert minimal.schedule_config.process_batch_size == 100 and minimal.api.collection_size == 100
    assert minimal.api.behaviour == "append" and minimal.enabled is False and minimal.schedule is None
