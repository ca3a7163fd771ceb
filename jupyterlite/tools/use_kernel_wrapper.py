#!/usr/bin/env python3
"""Point the built site's Pyodide kernel at static/pyodide/hintbook-pyodide.js.

`jupyter lite build` sets the kernel's `pyodideUrl` to the copied pyodide.js; the wrapper beside
it (jupyterlite/kernel/hintbook-pyodide.js) loads that file and leaves out the start packages
listed in `hintbookOnFirstImport` (tools/configure_stage.py).

Usage: use_kernel_wrapper.py --site DIR
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

KERNEL_PLUGIN = "@jupyterlite/pyodide-kernel-extension:kernel"
WRAPPER = "hintbook-pyodide.js"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, required=True)
    args = parser.parse_args()

    config_path = args.site / "jupyter-lite.json"
    config = json.loads(config_path.read_text(encoding="utf-8"))
    kernel = config["jupyter-config-data"]["litePluginSettings"][KERNEL_PLUGIN]
    url = kernel.get("pyodideUrl", "")
    if not url.startswith("./") or not url.endswith("/pyodide.js"):
        print(f"use_kernel_wrapper: ERROR: unexpected pyodideUrl {url!r}", file=sys.stderr)
        return 1
    wrapper_url = url.removesuffix("pyodide.js") + WRAPPER
    if not (args.site / wrapper_url).is_file():
        print(f"use_kernel_wrapper: ERROR: {wrapper_url} is not in the site", file=sys.stderr)
        return 1
    kernel["pyodideUrl"] = wrapper_url
    config_path.write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
