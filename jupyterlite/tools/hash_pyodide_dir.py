#!/usr/bin/env python3
"""Give the built site's Pyodide folder a content-hashed name and point the kernel at it.

Pyodide's files keep their names from build to build (pyodide.asm.wasm, python_stdlib.zip,
numpy-2.0.2-...whl, pyodide-lock.json), so they could only be served `no-cache`, and a warm load
revalidated each of them (a 304 round trip per file, several of them one after another at every
kernel start). Renaming `static/pyodide/` to `static/pyodide-<hash>/`, where the hash covers the
name and sha256 of every file in it, makes each URL stand for one content: nginx serves the
folder `immutable` (nginx/templates/http.conf.template), the browser asks nothing on a warm
load, and a rebuild that changes any file (a package, the lock, the kernel wrapper, the
standard library's zip) gives the folder a new name, so no browser can keep a stale file.

The kernel finds everything through `pyodideUrl` in jupyter-lite.json (revalidated at every
load): Pyodide's indexURL is that URL's folder, and the lock and every package file are
resolved against it. Run it after use_kernel_wrapper.py and before the .gz/.br copies are
written (they are derived from the files hashed here).

Usage: hash_pyodide_dir.py --site DIR
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from pathlib import Path

KERNEL_PLUGIN = "@jupyterlite/pyodide-kernel-extension:kernel"
FOLDER = "static/pyodide"
# 64 bits of sha256: ample to tell one build of the folder from another. nginx and the
# backend's static server match exactly this shape (pyodide- and 16 hex digits).
HASH_CHARS = 16
HASHED_NAME = re.compile(rf"^pyodide-[0-9a-f]{{{HASH_CHARS}}}$")


def folder_digest(folder: Path) -> str:
    """sha256 over every file's path (relative to the folder) and sha256, in a fixed order."""
    outer = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        relative = path.relative_to(folder).as_posix()
        if relative.endswith((".gz", ".br")):
            raise ValueError(f"{relative}: hash the folder before writing compressed copies")
        outer.update(relative.encode() + b"\0")
        outer.update(hashlib.sha256(path.read_bytes()).hexdigest().encode() + b"\n")
    return outer.hexdigest()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, required=True)
    args = parser.parse_args()

    folder = args.site / FOLDER
    config_path = args.site / "jupyter-lite.json"
    config = json.loads(config_path.read_text(encoding="utf-8"))
    kernel = config["jupyter-config-data"]["litePluginSettings"][KERNEL_PLUGIN]
    url = kernel.get("pyodideUrl", "")
    prefix = f"./{FOLDER}/"
    if not url.startswith(prefix) or "/" in url.removeprefix(prefix):
        print(f"hash_pyodide_dir: ERROR: pyodideUrl {url!r} is not a file in ./{FOLDER}/",
              file=sys.stderr)
        return 1
    if not folder.is_dir() or not (folder / url.removeprefix(prefix)).is_file():
        print(f"hash_pyodide_dir: ERROR: {folder} has no {url.removeprefix(prefix)}",
              file=sys.stderr)
        return 1
    try:
        name = f"pyodide-{folder_digest(folder)[:HASH_CHARS]}"
    except ValueError as error:
        print(f"hash_pyodide_dir: ERROR: {error}", file=sys.stderr)
        return 1
    assert HASHED_NAME.match(name)
    target = folder.with_name(name)
    if target.exists():
        print(f"hash_pyodide_dir: ERROR: {target} already exists", file=sys.stderr)
        return 1
    folder.rename(target)
    kernel["pyodideUrl"] = f"./static/{name}/{url.removeprefix(prefix)}"
    config_path.write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
    print(f"hash_pyodide_dir: {FOLDER} is static/{name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
