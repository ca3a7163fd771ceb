#!/usr/bin/env python3
"""Finish the staged lite dir's config: point the build at the bridge, preload what the kernel needs.

- jupyter_lite_config.json gains the built bridge extension in `federated_extensions`.
- jupyter-lite.json's kernel `loadPyodideOptions.packages` becomes the `at-start` packages of
  packages.txt plus the build's own wheels (--preload: the workspace additions, the stub), so
  the kernel finds them loaded and looks nothing up. Everything else loads on first import.

Usage: configure_stage.py --stage DIR --bridge DIR --list packages.txt [--preload NAME ...]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from package_list import read_package_list

KERNEL_PLUGIN = "@jupyterlite/pyodide-kernel-extension:kernel"
# The kernel skips installing a package at start only when this list has it under the exact
# name it uses; Pyodide itself accepts any spelling of a name.
KERNEL_SPELLING = {"pyodide-kernel": "pyodide_kernel"}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stage", type=Path, required=True)
    parser.add_argument("--bridge", type=Path, required=True)
    parser.add_argument("--list", type=Path, required=True, dest="packages_file")
    parser.add_argument("--preload", action="append", default=[])
    args = parser.parse_args()

    if not (args.bridge / "package.json").is_file():
        print(f"configure_stage: ERROR: no built extension in {args.bridge}", file=sys.stderr)
        return 1

    build_path = args.stage / "jupyter_lite_config.json"
    build = json.loads(build_path.read_text(encoding="utf-8"))
    lite = build.setdefault("LiteBuildConfig", {})
    lite["federated_extensions"] = [str(args.bridge.resolve())]
    build_path.write_text(json.dumps(build, indent=2) + "\n", encoding="utf-8")

    runtime_path = args.stage / "jupyter-lite.json"
    runtime = json.loads(runtime_path.read_text(encoding="utf-8"))
    kernel = runtime["jupyter-config-data"]["litePluginSettings"][KERNEL_PLUGIN]
    at_start = [
        KERNEL_SPELLING.get(p.name, p.name)
        for p in read_package_list(args.packages_file)
        if p.at_start
    ]
    packages = [*at_start, *(name for name in args.preload if name not in at_start)]
    kernel.setdefault("loadPyodideOptions", {})["packages"] = packages
    runtime_path.write_text(json.dumps(runtime, indent=2) + "\n", encoding="utf-8")
    print(f"configure_stage: preloading {', '.join(packages)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
