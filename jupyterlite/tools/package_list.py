"""Read jupyterlite/packages.txt: which Python packages the workspace ships and from where.

Shared by extract_carrier.py and rewrite_lock.py; the format is described in the file itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

SOURCES = ("pyodide", "pypi", "kernel")


class ListError(Exception):
    """packages.txt is malformed."""


def canonical(name: str) -> str:
    """PEP 503 name, as Pyodide and micropip compare them."""
    return re.sub(r"[-_.]+", "-", name).lower()


@dataclass(frozen=True)
class Package:
    name: str
    version: str
    source: str
    at_start: bool = False
    sha256: str | None = None
    extra_imports: tuple[str, ...] = field(default=())
    needed_by: tuple[str, ...] = field(default=())


def read_package_list(path: Path) -> list[Package]:
    packages: list[Package] = []
    seen: set[str] = set()
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        where = f"{path.name}:{number}"
        words = line.split()
        if len(words) < 3:
            raise ListError(f"{where}: expected '<name> <version> <source> ...', got {line!r}")
        name, version, source, *options = words
        if source not in SOURCES:
            raise ListError(f"{where}: unknown source {source!r} (one of {', '.join(SOURCES)})")
        key = canonical(name)
        if key in seen:
            raise ListError(f"{where}: {name} is listed twice")
        seen.add(key)
        settings: dict[str, object] = {}
        for option in options:
            if option == "at-start":
                settings["at_start"] = True
            elif option.startswith("sha256="):
                digest = option.removeprefix("sha256=")
                if not re.fullmatch(r"[0-9a-f]{64}", digest):
                    raise ListError(f"{where}: {name}: sha256 must be 64 lowercase hex digits")
                settings["sha256"] = digest
            elif option.startswith("imports+="):
                settings["extra_imports"] = tuple(option.removeprefix("imports+=").split(","))
            elif option.startswith("needed-by="):
                needed_by = option.removeprefix("needed-by=").split(",")
                settings["needed_by"] = tuple(canonical(n) for n in needed_by)
            else:
                raise ListError(f"{where}: {name}: unknown option {option!r}")
        if source != "pyodide" and "sha256" not in settings:
            raise ListError(f"{where}: {name} comes from {source} and needs a sha256= pin")
        if source == "pyodide" and "sha256" in settings:
            raise ListError(f"{where}: {name}: a pyodide package's sha256 is the official lock's")
        packages.append(Package(name=key, version=version, source=source, **settings))  # type: ignore[arg-type]
    if not packages:
        raise ListError(f"{path}: lists no package")
    return packages


def main() -> int:
    """For the build script: print the pip requirements (with hashes) or names of one source."""
    import argparse
    import sys

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("packages_file", type=Path)
    parser.add_argument("--source", choices=SOURCES, required=True)
    parser.add_argument("--format", choices=("requirements", "wheel-prefix"), required=True)
    args = parser.parse_args()
    try:
        packages = [p for p in read_package_list(args.packages_file) if p.source == args.source]
    except (ListError, OSError) as error:
        print(f"package_list: ERROR: {error}", file=sys.stderr)
        return 1
    for package in packages:
        if args.format == "requirements":
            print(f"{package.name}=={package.version} --hash=sha256:{package.sha256}")
        else:
            # Wheel file names spell the project with underscores (pyodide_kernel-0.6.1-…).
            print(f"{package.name.replace('-', '_')}-{package.version}-")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
