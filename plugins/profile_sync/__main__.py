"""Command line: ``python -m profile_sync validate [PATH ...]`` checks profile files without Airflow running.

Prints every error of every file and exits 1 when there is any, so it fits a pre-merge check.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from profile_sync.profiles import load_profiles
from profile_sync.profiles.loader import DEFAULTS_FILE, LoadResult, load_file
from profile_sync.profiles.yaml_source import YamlSourceError, read_yaml


def validate(paths: list[Path]) -> int:
    from profile_sync.factory.discovery import known_profile_types

    known = known_profile_types()
    total = LoadResult()
    for path in paths:
        if path.is_dir():
            result = load_profiles(path, known_types=known)
            total.profiles += result.profiles
            total.errors += result.errors
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
    args = parser.parse_args(argv)
    return validate(args.paths)


if __name__ == "__main__" and __package__ == "profile_sync":  # not when a plugin loader imports the file
    sys.exit(main())
