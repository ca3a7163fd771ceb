#!/usr/bin/env python3
"""Rewrite Pyodide's pyodide-lock.json so it lists exactly the wheels this site ships.

Pyodide fetches every package with a SHA-256 integrity check taken from the lock, and Pyodide
repacks wheels, so PyPI wheels never match the stock lock. This script writes one entry per
shipped wheel (its own sha256, file name, version, import names and `depends` read from the
wheel's METADATA with the emscripten markers evaluated), drops every stock entry whose file is
not shipped, and fails on anything that would only show up in the browser as "Failed to fetch":
a missing or incompatible wheel, a dangling or unmet dependency, or an unknown preload name.

Usage: rewrite_lock.py --stock-lock PATH --dist-dir DIR --preload NAME [--preload NAME ...]
The lock is written to DIR/pyodide-lock.json; the wheels must already be in DIR.
"""

from __future__ import annotations

import argparse
import email.parser
import hashlib
import json
import sys
import zipfile
from pathlib import Path

from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.tags import Tag
from packaging.utils import canonicalize_name, parse_wheel_filename
from packaging.version import Version


class LockError(Exception):
    """A problem that must stop the build."""


def emscripten_environment(python_version: str) -> dict[str, str]:
    """PEP 508 marker values as the Pyodide runtime reports them."""
    env = dict(default_environment())
    major_minor = ".".join(python_version.split(".")[:2])
    env.update(
        {
            "implementation_name": "cpython",
            "platform_python_implementation": "CPython",
            "implementation_version": python_version,
            "os_name": "posix",
            "platform_machine": "wasm32",
            "platform_release": "",
            "platform_system": "Emscripten",
            "platform_version": "",
            "python_full_version": python_version,
            "python_version": major_minor,
            "sys_platform": "emscripten",
            "extra": "",
        }
    )
    return env


def compatible_tags(info: dict[str, str]) -> set[Tag]:
    """Wheel tags the runtime described by the stock lock's `info` can load."""
    py = info["python"].split(".")
    cp = f"cp{py[0]}{py[1]}"
    platform = f"pyemscripten_{info['abi_version']}_{info['arch']}"
    tags = {Tag(cp, cp, platform), Tag(cp, "abi3", platform), Tag(cp, "none", platform)}
    for interpreter in ("py3", f"py{py[0]}{py[1]}", "py2.py3"):
        tags.add(Tag(interpreter, "none", "any"))
    tags.add(Tag(cp, "none", "any"))
    return tags


def read_metadata(wheel: zipfile.ZipFile) -> email.message.Message:
    names = [n for n in wheel.namelist() if n.count("/") == 1 and n.endswith(".dist-info/METADATA")]
    if len(names) != 1:
        raise LockError(f"{wheel.filename}: expected one .dist-info/METADATA, found {len(names)}")
    return email.parser.Parser().parsestr(wheel.read(names[0]).decode("utf-8"))


def top_level_imports(wheel: zipfile.ZipFile) -> list[str]:
    """Importable top-level names: packages with __init__.py and top-level modules."""
    found: set[str] = set()
    for name in wheel.namelist():
        first, _, rest = name.partition("/")
        if first.endswith((".dist-info", ".data")):
            continue
        if rest == "__init__.py" or (not rest and name.endswith(".py")):
            found.add(first.removesuffix(".py"))
    return sorted(found)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def build_lock(stock: dict, dist_dir: Path, preload: list[str]) -> tuple[dict, list[str]]:
    info = stock["info"]
    env = emscripten_environment(info["python"])
    allowed_tags = compatible_tags(info)
    wheels = sorted(dist_dir.glob("*.whl"))
    if not wheels:
        raise LockError(f"no wheels in {dist_dir}")

    entries: dict[str, dict] = {}
    requirements: dict[str, list[Requirement]] = {}
    for path in wheels:
        name, version, _build, tags = parse_wheel_filename(path.name)
        if not tags & allowed_tags:
            wanted = ", ".join(sorted(str(t) for t in allowed_tags))
            raise LockError(f"{path.name}: no tag this runtime can load (wanted one of {wanted})")
        key = canonicalize_name(name)
        if key in entries:
            raise LockError(f"two wheels for {key}: {entries[key]['file_name']} and {path.name}")
        with zipfile.ZipFile(path) as wheel:
            metadata = read_metadata(wheel)
            imports = top_level_imports(wheel)
        if canonicalize_name(metadata["Name"]) != key or Version(metadata["Version"]) != version:
            raise LockError(f"{path.name}: METADATA says {metadata['Name']} {metadata['Version']}")
        reqs = [Requirement(r) for r in metadata.get_all("Requires-Dist") or []]
        requirements[key] = [r for r in reqs if r.marker is None or r.marker.evaluate(env)]
        entries[key] = {
            "name": key,
            "version": str(version),
            "file_name": path.name,
            "install_dir": "site",
            "sha256": sha256_of(path),
            "package_type": "package",
            "imports": imports,
            "depends": [],
            "unvendored_tests": False,
        }

    problems: list[str] = []
    for key, reqs in requirements.items():
        depends: list[str] = []
        for req in reqs:
            dep = canonicalize_name(req.name)
            if dep not in entries:
                problems.append(f"{key} needs {req} but no wheel for {dep} is shipped")
            elif req.specifier and not req.specifier.contains(entries[dep]["version"], prereleases=True):
                problems.append(f"{key} needs {req} but {dep} {entries[dep]['version']} is shipped")
            else:
                depends.append(dep)
        entries[key]["depends"] = sorted(set(depends))
    for name in preload:
        if canonicalize_name(name) not in entries:
            problems.append(f"preloaded package {name} is not shipped")
    if problems:
        raise LockError("unmet dependencies:\n  " + "\n  ".join(problems))

    dropped = sorted(set(stock["packages"]) - set(entries))
    lock = {"info": info, "packages": dict(sorted(entries.items()))}
    return lock, dropped


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stock-lock", type=Path, required=True)
    parser.add_argument("--dist-dir", type=Path, required=True)
    parser.add_argument("--preload", action="append", default=[])
    args = parser.parse_args()

    try:
        stock = json.loads(args.stock_lock.read_text(encoding="utf-8"))
        lock, dropped = build_lock(stock, args.dist_dir, args.preload)
    except (LockError, OSError, ValueError) as error:
        print(f"rewrite_lock: ERROR: {error}", file=sys.stderr)
        return 1

    out = args.dist_dir / "pyodide-lock.json"
    out.write_text(json.dumps(lock, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    shipped = ", ".join(f"{e['name']} {e['version']}" for e in lock["packages"].values())
    print(f"rewrite_lock: {len(lock['packages'])} packages locked: {shipped}")
    print(f"rewrite_lock: {len(dropped)} stock entries dropped (not shipped)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
