#!/usr/bin/env python3
"""Repack the files every kernel start loads as zips of stored (uncompressed) members.

Wheels and python_stdlib.zip deflate each member on its own: hundreds of small .py files, each
compressed without the others' context. Stored members, compressed as one stream by HTTP
(the build's .gz/.br copies, gzip_static/brotli_static), come out smaller (the standard
library 2.32 → 2.05 MB with gzip, 1.48 MB with brotli), and Pyodide reads them without
inflating each member.

Only the `at-start` packages of packages.txt and python_stdlib.zip: the files a first import
loads keep their official bytes. A repacked file has the same members, in the same order, with
the same names, dates and attributes, so its RECORD still holds; its lock entry gets the new
file's sha256 (Pyodide checks it on every load). The originals were checked against the
official lock before (rewrite_lock.py). A file is kept as it was only when its repacked copy
would travel larger with gzip (MAX_GZIP_GROWTH): with brotli a stored wasm library packs smaller
too (sqlite3's wheel 0.56 → 0.44 MB), where gzip does no better than the deflated members.

`--stdlib-add FILE` also adds FILE at the top of python_stdlib.zip (a stored member, dated like
the zip's own members); the build adds Hintbook's sitecustomize.py this way. A member of that
name already in the zip is an error: nothing of the standard library is replaced.

Usage: repack_stored.py --list packages.txt --dist-dir DIR [--stdlib-add FILE ...]
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import sys
import zipfile
from pathlib import Path

from package_list import read_package_list

STDLIB = "python_stdlib.zip"
MAX_GZIP_GROWTH = 0.01


def stored_copy(source: Path, target: Path, extra: list[Path] | None = None) -> None:
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w") as zout:
        infos = zin.infolist()
        for info in infos:
            member = zipfile.ZipInfo(info.filename, info.date_time)
            member.external_attr = info.external_attr
            member.create_system = info.create_system
            member.compress_type = zipfile.ZIP_STORED
            zout.writestr(member, zin.read(info))
        names = {info.filename for info in infos}
        for path in extra or []:
            if path.name in names:
                raise ValueError(f"{source.name} already has a member named {path.name}")
            member = zipfile.ZipInfo(path.name, infos[0].date_time if infos else (1980, 1, 1, 0, 0, 0))
            member.external_attr = 0o644 << 16
            member.compress_type = zipfile.ZIP_STORED
            zout.writestr(member, path.read_bytes())
        zout.comment = zin.comment


def gzip_size(path: Path) -> int:
    data = path.read_bytes()
    return min(len(data), len(gzip.compress(data, compresslevel=9, mtime=0)))


def repack(path: Path, extra: list[Path] | None = None) -> tuple[int, int] | None:
    """Replaces `path` by its stored copy (plus the `extra` files, which are always added)
    unless that travels larger with gzip; returns the gzipped sizes before and after."""
    candidate = path.with_name(path.name + ".stored")
    try:
        stored_copy(path, candidate, extra)
    except ValueError:
        candidate.unlink(missing_ok=True)
        raise
    before, after = gzip_size(path), gzip_size(candidate)
    if not extra and after > before * (1 + MAX_GZIP_GROWTH):
        candidate.unlink()
        return None
    candidate.replace(path)
    return before, after


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--list", type=Path, required=True, dest="packages_file")
    parser.add_argument("--dist-dir", type=Path, required=True)
    parser.add_argument("--stdlib-add", type=Path, action="append", default=[])
    args = parser.parse_args()

    lock_path = args.dist_dir / "pyodide-lock.json"
    lock = json.loads(lock_path.read_text(encoding="utf-8"))
    at_start = [p.name for p in read_package_list(args.packages_file) if p.at_start]
    files = [STDLIB]
    for name in at_start:
        entry = lock["packages"].get(name)
        if entry is None:
            print(f"repack_stored: ERROR: {name} is not in the lock", file=sys.stderr)
            return 1
        files.append(entry["file_name"])
    by_file = {entry["file_name"]: entry for entry in lock["packages"].values()}
    saved = 0
    for file_name in files:
        extra = args.stdlib_add if file_name == STDLIB else None
        try:
            sizes = repack(args.dist_dir / file_name, extra)
        except ValueError as error:
            print(f"repack_stored: ERROR: {error}", file=sys.stderr)
            return 1
        if sizes is None:
            continue
        saved += sizes[0] - sizes[1]
        if file_name in by_file:
            digest = hashlib.sha256((args.dist_dir / file_name).read_bytes()).hexdigest()
            by_file[file_name]["sha256"] = digest
        print(f"repack_stored: {file_name}: {sizes[0] / 1e6:.2f} → {sizes[1] / 1e6:.2f} MB gzipped")
    # The lock's sha256 names the kernel's kept bytecode in the browser (hintbook-pyodide.js),
    # the standard library's included: the lock must change whenever the zip does.
    stdlib_digest = hashlib.sha256((args.dist_dir / STDLIB).read_bytes()).hexdigest()
    lock.setdefault("info", {})["hintbook_stdlib_sha256"] = stdlib_digest
    lock_path.write_text(json.dumps(lock, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"repack_stored: {saved / 1e6:.2f} MB less with gzip (more with brotli)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
