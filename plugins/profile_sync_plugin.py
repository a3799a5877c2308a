"""The "Sync profiles" view for a checkout that is not pip-installed (plugins/ on PYTHONPATH, nothing more).

Installed, the distribution's ``airflow.plugins`` entry point registers the view: the wheel, and `make install`,
which installs this checkout editable. Airflow also registers every AirflowPlugin class it finds in this module's
namespace, and a second class of the same name is reported as a plugin import error ("already registered") and
skipped. So the class is put here only when no entry point names it: one registration either way.
"""

from __future__ import annotations

from importlib.metadata import entry_points


def registered_by_an_entry_point() -> bool:
    """True when an installed distribution's ``airflow.plugins`` entry point already names the view."""
    return any(ep.module.split(".")[0] == "profile_sync" for ep in entry_points(group="airflow.plugins"))


if not registered_by_an_entry_point():
    from profile_sync.plugin.airflow_plugin import ProfileSyncPlugin

    __all__ = ["ProfileSyncPlugin"]
