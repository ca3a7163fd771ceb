#!/usr/bin/env python3
"""Finish the staged lite dir's config: point the build at the bridge, preload what is shipped.

- jupyter_lite_config.json gains the built bridge extension in `federated_extensions`.
- jupyter-lite.json's kernel `loadPyodideOptions.packages` gains the stub wheel when one is
  shipped, so `import numpy` meets it without any lookup.

Usage: configure_stage.py --stage DIR --bridge DIR [--preload NAME ...]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

KERNEL_PLUGIN = "@jupyterlite/pyodide-kernel-extension:kernel"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stage", type=Path, required=True)
    parser.add_argument("--bridge", type=Path, required=True)
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
    packages = kernel.setdefault("loadPyodideOptions", {}).setdefault("packages", [])
    packages.extend(name for name in args.preload if name not in packages)
    runtime_path.write_text(json.dumps(runtime, indent=2) + "\n", encoding="utf-8")
    print(f"configure_stage: preloading {', '.join(packages)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
