"""`make install` installs the checkout editable (issue 19): the distribution's entry points exist in the venv, so
Airflow registers the connection types and the view, while every import still resolves to plugins/; the
folder's plugin file then stands aside, so that the view is registered once.

What Airflow makes of it in `make run` (the view once, no plugin import error, the types' form and Test button) is
proven against the real stack in tests/e2e/test_make_run_stack.py."""

from __future__ import annotations

import importlib.machinery
import importlib.util
import inspect
import os
import subprocess
import sys
from importlib.metadata import distribution
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_checkout_is_installed_editable_with_both_entry_points() -> None:
    dist = distribution("profile-sync")
    groups = {(ep.group, ep.value) for ep in dist.entry_points}
    assert ("apache_airflow_provider", "profile_sync.provider_info:get_provider_info") in groups
    assert ("airflow.plugins", "profile_sync.plugin.airflow_plugin:ProfileSyncPlugin") in groups
    # no copy of the package in site-packages: a .pth naming plugins/, the folder make's PYTHONPATH names
    installed = [str(path) for path in dist.files or []]
    assert not [path for path in installed if path.startswith("profile_sync/")], installed
    [pth] = [path for path in dist.files or [] if str(path).endswith(".pth")]
    assert Path(dist.locate_file(pth)).read_text().split() == [str(ROOT / "plugins")]


def test_without_pythonpath_the_install_alone_resolves_to_the_checkouts_files(tmp_path: Path) -> None:
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    probe = "import profile_sync.provider_info as p; print(p.__file__)"
    result = subprocess.run(
        [sys.executable, "-c", probe], env=env, cwd=tmp_path, capture_output=True, text=True, check=True
    )
    assert Path(result.stdout.strip()) == ROOT / "plugins" / "profile_sync" / "provider_info.py"


def test_the_plugin_file_stands_aside_when_the_entry_point_registers_the_view() -> None:
    """Loaded as Airflow's plugins manager loads a plugins-folder file: no plugin class in its namespace (a second
    ProfileSyncPlugin would be reported as "already registered")."""
    path = ROOT / "plugins" / "profile_sync_plugin.py"
    loader = importlib.machinery.SourceFileLoader("profile_sync_plugin_probe", str(path))
    spec = importlib.util.spec_from_loader(loader.name, loader)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    assert module.registered_by_an_entry_point()
    classes = [value for value in vars(module).values() if inspect.isclass(value)]
    assert not [cls for cls in classes if any(base.__name__ == "AirflowPlugin" for base in cls.__mro__)]
