#!/usr/bin/env python3
"""Build the hintbook_workspace wheel: jupyterlite/python/hintbook_workspace plus sizes.json.

sizes.json maps every package file in --dist-dir to its size in bytes, so the loading note can
say how much a first import downloads. Written reproducibly (see make_stub_wheel.py), so the
wheel's sha256 only changes when its sources or the shipped files change.

Usage: make_workspace_wheel.py --source DIR --dist-dir DIR
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from make_stub_wheel import write_wheel

NAME = "hintbook_workspace"
VERSION = "1.0.0"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", type=Path, required=True)
    parser.add_argument("--dist-dir", type=Path, required=True)
    args = parser.parse_args()

    for stale in args.dist_dir.glob(f"{NAME}-*.whl"):
        stale.unlink()
    sizes = {
        path.name: path.stat().st_size
        for path in sorted(args.dist_dir.iterdir())
        if path.suffix in (".whl", ".zip")
    }
    files = {
        f"{NAME}/{path.name}": path.read_bytes() for path in sorted(args.source.glob("*.py"))
    }
    if f"{NAME}/__init__.py" not in files:
        print(f"make_workspace_wheel: ERROR: no __init__.py in {args.source}", file=sys.stderr)
        return 1
    files[f"{NAME}/sizes.json"] = (json.dumps(sizes, indent=0, sort_keys=True) + "\n").encode()
    summary = "Hintbook's kernel additions: package loading notes, figure descriptions."
    out = write_wheel(args.dist_dir, NAME, VERSION, summary, files)
    print(f"make_workspace_wheel: {out.name} ({len(sizes)} file sizes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
