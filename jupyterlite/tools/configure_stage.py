#!/usr/bin/env python3
"""Finish the staged lite dir's config: point the build at the bridge, preload what the kernel needs.

- jupyter_lite_config.json gains the built bridge extension in `federated_extensions`.
- jupyter-lite.json's kernel `loadPyodideOptions.packages` becomes the `at-start` packages of
  packages.txt plus the build's own wheels (--preload: the workspace additions, the stub), so
  the kernel finds them loaded and looks nothing up. Everything else loads on first import.
- The packages the kernel installs at every start (KERNEL_START) that packages.txt does not
  mark `at-start` are named in `packages` too, so the kernel does not install them, and in
  `hintbookOnFirstImport`, which jupyterlite/kernel/hintbook-pyodide.js takes out of the list
  before Pyodide loads it: they load when a cell imports them.

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
# What jupyterlite-pyodide-kernel 0.6.1 installs at start unless `packages` names it (its
# worker's initKernel). Re-check on every kernel upgrade.
KERNEL_START = ("ssl", "sqlite3", "ipykernel", "comm", "pyodide_kernel", "jedi", "ipython")


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
    listed = {KERNEL_SPELLING.get(p.name, p.name) for p in read_package_list(args.packages_file)}
    on_first_import = [name for name in KERNEL_START if name not in at_start]
    missing = [name for name in on_first_import if name not in listed]
    if missing:
        # The kernel would look for them on PyPI, which is disabled: its start would fail.
        print(f"configure_stage: ERROR: the kernel needs {', '.join(missing)}, which "
              f"packages.txt does not list", file=sys.stderr)
        return 1
    preload = [name for name in args.preload if name not in at_start]
    options = kernel.setdefault("loadPyodideOptions", {})
    options["packages"] = [*at_start, *preload, *on_first_import]
    options["hintbookOnFirstImport"] = on_first_import
    runtime_path.write_text(json.dumps(runtime, indent=2) + "\n", encoding="utf-8")
    print(f"configure_stage: preloading {', '.join([*at_start, *preload])}; "
          f"on first import: {', '.join(on_first_import) or 'none'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
