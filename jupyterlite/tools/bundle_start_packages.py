#!/usr/bin/env python3
"""Write the start packages' files, unpacked as Pyodide would, into one bundle beside the lock.

Every kernel start made Pyodide's loadPackage unzip the ~21 start wheels into the in-memory file
system (Python code, one member at a time). jupyterlite/kernel/hintbook-pyodide.js instead
writes this bundle's files from JS before Python starts, registers the packages in Pyodide's
`loadedPackages` and loads their dynamic libraries (sqlite3's), as loadPackage would.

What Pyodide 0.27's loadPackage leaves for a wheel (pyodide/_package_loader.py, unpack_buffer)
and so what the bundle holds: every member under site-packages; `INSTALLER`
("pyodide.loadPackage") and `PYODIDE_SOURCE` ("pyodide", the default channel) in its
.dist-info; the files of a `<name>.data/data/` folder copied under sys.prefix ("/") too
(install_datafiles). A package that is not a wheel installed into site-packages is refused, and
so is a top-level .pth or site/usercustomize.py: written before Python starts, `site` would run
it, which it never did after loadPackage.

Format: b"HBSP1\\n", a little-endian uint32 header length, the header (UTF-8 JSON:
{"packages": [{"name", "file_name", "sha256"}], "files": [[path, size], ...],
"dynlibs": [[file_name, path], ...]}, absolute paths), then the files' bytes in the header's
order. Each package carries its wheel's lock sha256, and the wrapper uses the bundle only when
every one matches the lock Pyodide loaded. The bundle's own name and sha256 go into the lock
(info.hintbook_start_bundle), so the lock's hash (the kept bytecode's key) and the hashed
Pyodide folder's name change with it; the wrapper fetches it with that sha256 as integrity.

Usage: bundle_start_packages.py --list packages.txt --dist-dir DIR [--also NAME ...]
  (the `at-start` packages of the list, plus the --also names: the build's own wheels)
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import struct
import sys
import zipfile
from pathlib import Path

from package_list import canonical, read_package_list

MAGIC = b"HBSP1\n"
BUNDLE_GLOB = "hintbook-start-packages-*.bin"
INSTALLER = b"pyodide.loadPackage"
SOURCE = b"pyodide"
# pyodide/_package_loader.py SHAREDLIB_REGEX: the files loadPackage loads as dynamic libraries.
SHARED_LIBRARY = re.compile(r"\.so(.\d+)*$")


class BundleError(Exception):
    """A start package cannot be bundled exactly as loadPackage would unpack it."""


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def unpacked_files(site: str, wheel_path: Path) -> list[tuple[str, bytes]]:
    """The files loadPackage leaves for one wheel: (absolute path, bytes)."""
    with zipfile.ZipFile(wheel_path) as wheel:
        members = [info for info in wheel.infolist() if not info.is_dir()]
        tops = {info.filename.split("/")[0] for info in members}
        dist_infos = [top for top in tops if top.endswith(".dist-info")]
        if len(dist_infos) != 1:
            raise BundleError(f"{wheel_path.name}: {len(dist_infos)} .dist-info folders")
        dist_info = dist_infos[0]
        own = {f"{dist_info}/INSTALLER", f"{dist_info}/PYODIDE_SOURCE"}
        files = [
            (f"{site}/{info.filename}", wheel.read(info))
            for info in members
            if info.filename not in own
        ]
    files += [(f"{site}/{dist_info}/INSTALLER", INSTALLER),
              (f"{site}/{dist_info}/PYODIDE_SOURCE", SOURCE)]
    data_files = f"{site}/{dist_info.removesuffix('.dist-info')}.data/data/"
    files += [("/" + path[len(data_files):], data) for path, data in files
              if path.startswith(data_files)]
    return files


def build_bundle(dist_dir: Path, names: list[str]) -> bytes:
    lock = json.loads((dist_dir / "pyodide-lock.json").read_text(encoding="utf-8"))
    major, minor = lock["info"]["python"].split(".")[:2]
    site = f"/lib/python{major}.{minor}/site-packages"
    packages, files, dynlibs, blobs = [], [], [], []
    seen: set[str] = set()
    for name in sorted({canonical(n) for n in names}):
        entry = lock["packages"].get(name)
        if entry is None:
            raise BundleError(f"{name} is not in the lock")
        if entry.get("install_dir", "site") != "site" or not entry["file_name"].endswith(".whl"):
            raise BundleError(f"{name} is not a wheel installed into site-packages")
        wheel_path = dist_dir / entry["file_name"]
        if sha256(wheel_path.read_bytes()) != entry["sha256"]:
            raise BundleError(f"{entry['file_name']} does not match its lock entry")
        packages.append({key: entry[key] for key in ("name", "file_name", "sha256")})
        for path, data in unpacked_files(site, wheel_path):
            if path in seen or "/../" in path or "//" in path:
                raise BundleError(f"{entry['file_name']}: bad or repeated path {path}")
            # Written before Python starts, so site would run these; loadPackage never did.
            if re.fullmatch(rf"{site}/([^/]+\.pth|(site|user)customize\.py)", path):
                raise BundleError(f"{entry['file_name']}: {path} would run at Python's start")
            seen.add(path)
            files.append([path, len(data)])
            blobs.append(data)
            if SHARED_LIBRARY.search(path):
                dynlibs.append([entry["file_name"], path])
    header = json.dumps({"packages": packages, "files": files, "dynlibs": dynlibs},
                        separators=(",", ":")).encode()
    return MAGIC + struct.pack("<I", len(header)) + header + b"".join(blobs)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--list", type=Path, required=True, dest="packages_file")
    parser.add_argument("--dist-dir", type=Path, required=True)
    parser.add_argument("--also", action="append", default=[])
    args = parser.parse_args()
    names = [p.name for p in read_package_list(args.packages_file) if p.at_start] + args.also
    try:
        body = build_bundle(args.dist_dir, names)
    except BundleError as error:
        print(f"bundle_start_packages: ERROR: {error}", file=sys.stderr)
        return 1
    digest = sha256(body)
    for old in args.dist_dir.glob(BUNDLE_GLOB):
        old.unlink()
    file_name = BUNDLE_GLOB.replace("*", digest[:16])
    (args.dist_dir / file_name).write_bytes(body)
    lock_path = args.dist_dir / "pyodide-lock.json"
    lock = json.loads(lock_path.read_text(encoding="utf-8"))
    lock["info"]["hintbook_start_bundle"] = {"file_name": file_name, "sha256": digest}
    lock_path.write_text(json.dumps(lock, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"bundle_start_packages: {file_name}: {len(names)} packages, {len(body) / 1e6:.2f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
