"""The layout's one-way arrows are checked, not hoped for: `make lint` runs import-linter over `.importlinter`, which
passes on the tree as it is and fails, naming the contract and the import, when a lower layer imports a higher one."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def lint_imports(plugins: Path, include: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": f"{plugins}:{include}"}
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(ROOT / ".importlinter"), "--no-cache"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def tree(tmp_path: Path) -> tuple[Path, Path]:
    """A copy of the package and the sandbox, to break on purpose."""
    plugins, include = tmp_path / "plugins", tmp_path / "include"
    shutil.copytree(ROOT / "plugins" / "profile_sync", plugins / "profile_sync", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "include" / "sandbox", include / "sandbox", ignore=shutil.ignore_patterns("__pycache__"))
    return plugins, include


def test_the_tree_keeps_every_contract(tree: tuple[Path, Path]) -> None:
    result = lint_imports(*tree)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_a_connector_importing_the_engine_breaks_the_layers(tree: tuple[Path, Path]) -> None:
    plugins, include = tree
    module = plugins / "profile_sync" / "connectors" / "retry.py"
    module.write_text(module.read_text() + "\nimport profile_sync.engine.staging  # noqa: E402,F401\n")
    result = lint_imports(plugins, include)
    assert result.returncode != 0
    assert "Layers: factory and plugin on top" in result.stdout and "BROKEN" in result.stdout
    assert "profile_sync.connectors.retry -> profile_sync.engine.staging" in result.stdout


def test_the_sandbox_importing_the_package_is_refused(tree: tuple[Path, Path]) -> None:
    plugins, include = tree
    module = include / "sandbox" / "core" / "settings.py"
    module.write_text(module.read_text() + "\nimport profile_sync.profiles  # noqa: E402,F401\n")
    result = lint_imports(plugins, include)
    assert result.returncode != 0
    assert "sandbox.core.settings -> profile_sync.profiles" in result.stdout
