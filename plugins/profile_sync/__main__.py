"""Command line (``python -m profile_sync`` or ``profile-sync`` when installed from the wheel).

- ``validate [PATH ...]`` checks profile files without Airflow running: prints every error of every file and
  exits 1 when there is any, so it fits a pre-merge check.
- ``init PATH`` writes the DAG files and the sample profiles into an Airflow project folder.
- ``schema`` prints the profile file format as JSON Schema, for an editor's YAML support.
- ``pools [PATH] [--apply]`` lists (or creates) one Airflow pool per vendor connection the profiles use, sized from
  the connection's rate budget; set ``PROFILE_SYNC_ACCOUNT_POOLS=true`` where the DAGs run once they exist.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from profile_sync.profiles import load_profiles
from profile_sync.profiles.loader import DEFAULTS_FILE, LoadResult, load_file
from profile_sync.profiles.yaml_source import YamlSourceError, read_yaml


def validate(paths: list[Path]) -> int:
    from profile_sync.factory.discovery import known_profile_types, schedule_after_errors

    known = known_profile_types()
    total = LoadResult()
    for path in paths:
        if path.is_dir():
            result = load_profiles(path, known_types=known)
            total.profiles += result.profiles
            total.errors += result.errors + schedule_after_errors(result)  # after: ids of this folder's profiles
        elif path.is_file():
            defaults_path = path.parent / DEFAULTS_FILE
            try:
                defaults = read_yaml(defaults_path) if defaults_path.exists() and path != defaults_path else None
            except YamlSourceError as exc:
                print(f"{defaults_path}: {exc.message}", file=sys.stderr)
                return 1
            profile, errors = load_file(path, defaults, known)
            total.errors += errors
            if profile is not None:
                total.profiles.append(profile)  # type: ignore[arg-type]
        else:
            print(f"{path}: no such file or folder", file=sys.stderr)
            return 2
    for error in total.errors:
        print(error.format(Path.cwd()), end="\n\n", file=sys.stderr)
    files_with_errors = len({error.file for error in total.errors})
    print(f"{len(total.profiles)} valid profile(s), {len(total.errors)} error(s) in {files_with_errors} file(s)")
    return 1 if total.errors else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m profile_sync", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("validate", help="validate profile files or folders")
    check.add_argument("paths", nargs="*", type=Path, default=[Path("profile_configs")])
    start = commands.add_parser("init", help="write dags/ and profile_configs/ into an Airflow project folder")
    start.add_argument("path", type=Path, help="the project folder (the one holding dags/)")
    start.add_argument("--force", action="store_true", help="overwrite files that exist (default: keep them)")
    export = commands.add_parser("schema", help="print the profile file format as JSON Schema")
    export.add_argument("--defaults", action="store_true", help="the schema of defaults.yaml instead")
    export.add_argument("-o", "--output", type=Path, help="write to this file instead of standard output")
    pools_cmd = commands.add_parser("pools", help="one Airflow pool per vendor connection, sized from its budget")
    pools_cmd.add_argument("path", nargs="?", type=Path, default=None, help="the profiles folder")
    pools_cmd.add_argument("--apply", action="store_true", help="create or resize them in Airflow's metadata DB")
    args = parser.parse_args(argv)
    if args.command == "pools":
        return pools(args.path, apply=args.apply)
    if args.command == "init":
        return init(args.path, force=args.force)
    if args.command == "schema":
        return schema(defaults=args.defaults, output=args.output)
    return validate(args.paths)


def init(path: Path, *, force: bool) -> int:
    from profile_sync.scaffold import init_project

    result = init_project(path, force=force)
    for written in result.written:
        print(f"wrote {written}")
    for kept in result.kept:
        print(f"kept  {kept} (exists; --force overwrites)")
    print(
        f"{len(result.written)} file(s) written under {path}. Next: create the connections magento_default, "
        "plenty_default, freeagent_default (and sync_state on a cluster), then turn profiles on in "
        f"{path / 'profile_configs'}."
    )
    return 0


def pools(path: Path | None, *, apply: bool) -> int:
    from profile_sync.factory.pools import POOLS_ENV, apply_pools, connection_extra, planned_pools
    from profile_sync.profiles.locations import config_dir

    folder = path or config_dir(Path("dags") / "profile_sync_validation.py")  # as the DAG file run from here finds it
    plans = planned_pools((item.profile for item in load_profiles(folder).profiles), connection_extra)
    for plan in plans:
        print(f"{plan.name}\t{plan.slots}\t{plan.description}")
    if apply:
        apply_pools(plans)
        print(f"{len(plans)} pool(s) created or resized; the DAGs use them where {POOLS_ENV}=true")
    return 0


def schema(*, defaults: bool, output: Path | None) -> int:
    import json

    from profile_sync.profiles.json_schema import defaults_json_schema, profile_json_schema

    text = json.dumps(defaults_json_schema() if defaults else profile_json_schema(), indent=2, sort_keys=True)
    if output is None:
        print(text)
    else:
        output.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__" and __package__ == "profile_sync":  # not when a plugin loader imports the file
    sys.exit(main())
