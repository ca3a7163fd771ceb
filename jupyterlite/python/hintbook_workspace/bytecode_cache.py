"""Compiled bytecode of the kernel's start modules, kept in the browser between loads.

Pyodide writes no .pyc files and its wheels hold only sources, so every kernel start compiles the
few hundred modules IPython and the kernel import, warm loads too. Shipping .pyc files would add
to every first load (bytecode packs worse than source); instead the first start in a browser
writes them while it compiles anyway, and kernel/hintbook-pyodide.js keeps them in the browser's
Cache Storage under the sha256 of the site's pyodide-lock.json (which holds every package file's
sha256), so a rebuild that changes any package never meets old bytecode. The next start puts
them back into site-packages before the kernel imports anything.

Only site-packages: the standard library is imported from python_stdlib.zip, whose zipimport
reads bytecode only from inside the zip. The .pyc files are made "unchecked hash-based"
(PEP 552): the sources are unpacked again at every start with new modification times, which
would make timestamp-based ones stale; the lock's hash is the check instead. Sources stay in
place, so tracebacks keep their lines.
"""

from __future__ import annotations

import os
import sys
import sysconfig
import zipfile

# PEP 552 flags word: bit 0 = hash-based, bit 1 = check_source. 1 = hash-based, never checked.
_UNCHECKED_HASH_FLAGS = (1).to_bytes(4, "little")


def _site_packages() -> str:
    return sysconfig.get_paths()["purelib"]


def start_writing() -> None:
    """Let Python write .pyc files while the start modules compile (Pyodide turns it off)."""
    sys.dont_write_bytecode = False


def stop_writing() -> None:
    """Off again before any student code runs: the notebook's folder is the backend's drive,
    and a __pycache__ folder must never be saved there."""
    sys.dont_write_bytecode = True


def collect(path: str) -> int:
    """Write the .pyc files under site-packages into an uncompressed zip at `path` (names
    relative to site-packages), each marked unchecked hash-based; returns how many."""
    root = _site_packages()
    tag = sys.implementation.cache_tag
    count = 0
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        for folder, _dirs, files in os.walk(root):
            if os.path.basename(folder) != "__pycache__":
                continue
            for name in files:
                if not name.endswith(f".{tag}.pyc"):
                    continue
                pyc = os.path.join(folder, name)
                with open(pyc, "rb") as file:
                    data = file.read()
                if len(data) < 16:
                    continue
                archive.writestr(
                    os.path.relpath(pyc, root), data[:4] + _UNCHECKED_HASH_FLAGS + data[8:]
                )
                count += 1
    return count


def restore(path: str) -> int:
    """Write the .pyc files of the zip at `path` back under site-packages; returns how many.
    One whose package folder is not there (not loaded at this start) is skipped."""
    root = _site_packages()
    count = 0
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            target = os.path.join(root, name)
            folder = os.path.dirname(target)
            if not os.path.isdir(os.path.dirname(folder)):
                continue
            os.makedirs(folder, exist_ok=True)
            with open(target, "wb") as file:
                file.write(archive.read(name))
            count += 1
    return count


def collect_stdlib(path: str) -> int:
    """Write the standard library's bytecode recorded since Python started (python_stdlib.zip's
    sitecustomize.py) to `path` and stop recording; returns its size, 0 when nothing was
    recorded (kept bytecode was put back at this start)."""
    try:
        import sitecustomize
    except ImportError:
        return 0
    take = getattr(sitecustomize, "take_recorded", None)
    data = take() if take is not None else None
    if not data:
        return 0
    with open(path, "wb") as file:
        file.write(data)
    return len(data)
