#!/usr/bin/env python3
"""Write the site's pyodide-lock.json: exactly the packages of packages.txt, nothing else.

Pyodide fetches every package with a SHA-256 integrity check taken from the lock, so a wrong
entry only shows up in the browser as "Failed to fetch". This script refuses instead:
- a `pyodide` package keeps its official entry (npm `pyodide`'s lock) verbatim, and its file in
  DIR must still have the official sha256;
- a `pypi` or `kernel` wheel must have the sha256 pinned in packages.txt; its entry (file name,
  version, import names, `depends` from METADATA with the emscripten markers evaluated) is
  written here, as for the wheels the build generates itself (--generated);
- any other file in DIR, a dangling dependency or a missing file stops the build.
`imports+=` and `needed-by=` of packages.txt are applied last.

Usage: rewrite_lock.py --list packages.txt --official-lock LOCK --dist-dir DIR
                       [--generated WHEEL ...]
The lock is written to DIR/pyodide-lock.json; the files must already be in DIR.
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

from package_list import ListError, Package, canonical, read_package_list


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
    # Pyodide 0.27 tags its builds pyodide_<abi>; later releases pyemscripten_<abi>.
    tags = {
        Tag(cp, abi, f"{prefix}_{info['abi_version']}_{info['arch']}")
        for prefix in ("pyodide", "pyemscripten")
        for abi in (cp, "abi3", "none")
    }
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


def wheel_entry(path: Path, info: dict[str, str]) -> tuple[dict, list[Requirement]]:
    """A lock entry for a wheel that is not a Pyodide build, read from the wheel itself."""
    name, version, _build, tags = parse_wheel_filename(path.name)
    allowed_tags = compatible_tags(info)
    if not tags & allowed_tags:
        wanted = ", ".join(sorted(str(t) for t in allowed_tags))
        raise LockError(f"{path.name}: no tag this runtime can load (wanted one of {wanted})")
    with zipfile.ZipFile(path) as wheel:
        metadata = read_metadata(wheel)
        imports = top_level_imports(wheel)
    if canonicalize_name(metadata["Name"]) != canonicalize_name(name) or Version(
        metadata["Version"]
    ) != version:
        raise LockError(f"{path.name}: METADATA says {metadata['Name']} {metadata['Version']}")
    env = emscripten_environment(info["python"])
    reqs = [Requirement(r) for r in metadata.get_all("Requires-Dist") or []]
    entry = {
        "name": canonicalize_name(name),
        "version": str(version),
        "file_name": path.name,
        "install_dir": "site",
        "sha256": sha256_of(path),
        "package_type": "package",
        "imports": imports,
        "depends": [],
        "unvendored_tests": False,
    }
    return entry, [r for r in reqs if r.marker is None or r.marker.evaluate(env)]


def find_wheel(dist_dir: Path, package: Package) -> Path:
    for path in dist_dir.glob("*.whl"):
        name, version, _build, _tags = parse_wheel_filename(path.name)
        if canonicalize_name(name) == package.name and str(version) == package.version:
            return path
    raise LockError(f"{package.name} {package.version} ({package.source}): no wheel in {dist_dir}")


def build_lock(
    packages: list[Package], official: dict, dist_dir: Path, generated: list[str]
) -> dict:
    info = official["info"]
    official_entries = {canonical(n): e for n, e in official["packages"].items()}
    entries: dict[str, dict] = {}
    requirements: dict[str, list[Requirement]] = {}
    problems: list[str] = []
    shipped_files: set[str] = set()

    for package in packages:
        if package.source == "pyodide":
            entry = official_entries.get(package.name)
            if entry is None or entry["version"] != package.version:
                problems.append(f"{package.name} {package.version}: not in the official lock")
                continue
            path = dist_dir / entry["file_name"]
            if not path.is_file():
                problems.append(f"{package.name}: {entry['file_name']} is missing")
                continue
            if sha256_of(path) != entry["sha256"]:
                problems.append(f"{package.name}: {entry['file_name']} differs from the official lock")
                continue
            entries[package.name] = json.loads(json.dumps(entry))
        else:
            path = find_wheel(dist_dir, package)
            entry, requirements[package.name] = wheel_entry(path, info)
            if entry["sha256"] != package.sha256:
                problems.append(
                    f"{package.name}: {path.name} has sha256 {entry['sha256']}, "
                    f"packages.txt pins {package.sha256}"
                )
                continue
            entries[package.name] = entry
        shipped_files.add(entries[package.name]["file_name"])

    for file_name in generated:
        entry, reqs = wheel_entry(dist_dir / file_name, info)
        entries[entry["name"]], requirements[entry["name"]] = entry, reqs
        shipped_files.add(file_name)

    # The standard library zip is part of the core (npm `pyodide`), not a package.
    unlisted = sorted(
        p.name
        for p in dist_dir.iterdir()
        if p.suffix in (".whl", ".zip")
        and p.name not in shipped_files
        and p.name != "python_stdlib.zip"
    )
    problems.extend(f"{name} is in the site but not in packages.txt" for name in unlisted)

    # Dependencies of the wheels written here come from their METADATA; official entries keep
    # the official `depends`.
    for key, reqs in requirements.items():
        depends: list[str] = []
        for req in reqs:
            dep = canonical(req.name)
            if dep not in entries:
                problems.append(f"{key} needs {req} but {dep} is not shipped")
            elif req.specifier and not req.specifier.contains(entries[dep]["version"], prereleases=True):
                problems.append(f"{key} needs {req} but {dep} {entries[dep]['version']} is shipped")
            else:
                depends.append(dep)
        entries[key]["depends"] = sorted(set(depends))
    for package in packages:
        if package.name not in entries:
            continue
        entry = entries[package.name]
        entry["imports"] = sorted(set(entry["imports"]) | set(package.extra_imports))
        for dependent in package.needed_by:
            if dependent not in entries:
                problems.append(f"{package.name} is needed by {dependent}, which is not shipped")
            elif package.name not in entries[dependent]["depends"]:
                entries[dependent]["depends"] = [*entries[dependent]["depends"], package.name]
    for key, entry in entries.items():
        for dep in entry["depends"]:
            if canonical(dep) not in entries:
                problems.append(f"{key} depends on {dep}, which is not shipped")
    if problems:
        raise LockError("\n  ".join(["the site's packages are not consistent:", *problems]))
    return {"info": info, "packages": dict(sorted(entries.items()))}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--list", type=Path, required=True, dest="packages_file")
    parser.add_argument("--official-lock", type=Path, required=True)
    parser.add_argument("--dist-dir", type=Path, required=True)
    parser.add_argument("--generated", action="append", default=[])
    args = parser.parse_args()

    try:
        packages = read_package_list(args.packages_file)
        official = json.loads(args.official_lock.read_text(encoding="utf-8"))
        lock = build_lock(packages, official, args.dist_dir, args.generated)
    except (LockError, ListError, OSError, ValueError) as error:
        print(f"rewrite_lock: ERROR: {error}", file=sys.stderr)
        return 1

    out = args.dist_dir / "pyodide-lock.json"
    out.write_text(json.dumps(lock, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    shipped = ", ".join(f"{e['name']} {e['version']}" for e in lock["packages"].values())
    print(f"rewrite_lock: {len(lock['packages'])} packages locked: {shipped}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
