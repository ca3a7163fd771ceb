#!/usr/bin/env python3
"""Build the wheel that makes `import seaborn` fail fast and clearly when seaborn is not shipped.

For each module named in --module that no wheel in --dist-dir provides, the stub wheel holds a
package whose __init__ raises ModuleNotFoundError with a message a student can act on. Without
it the import fails with a bare "No module named 'seaborn'" (or, with Pyodide's stock lock, a
hint to micropip-install a package the site does not have). `except ImportError` still works.

The wheel is written reproducibly (fixed timestamps, sorted entries) so its sha256, and with it
the lock file and the build stamp, only change when the module list changes.

Usage: make_stub_wheel.py --dist-dir DIR --module seaborn --module sympy ...
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import sys
import zipfile
from pathlib import Path

NAME = "hintbook_unavailable"
VERSION = "1.0.0"
EPOCH = (1980, 1, 1, 0, 0, 0)

STUB = '''"""Stand-in: {module} is not part of this Hintbook workspace build."""

raise ModuleNotFoundError(
    "{module} is not available in this workspace: this Hintbook build does not include it. "
    "Ask your teacher which packages this workspace has.",
    name={module!r},
)
'''


def shipped_imports(dist_dir: Path) -> set[str]:
    """Top-level import names provided by the real wheels already in DIR."""
    found: set[str] = set()
    for path in dist_dir.glob("*.whl"):
        if path.name.startswith(f"{NAME}-"):
            continue
        with zipfile.ZipFile(path) as wheel:
            for name in wheel.namelist():
                first, _, rest = name.partition("/")
                if rest == "__init__.py" or (not rest and name.endswith(".py")):
                    found.add(first.removesuffix(".py"))
    return found


def record_line(path: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{path},sha256={digest},{len(data)}"


def write_wheel(
    dist_dir: Path, name: str, version: str, summary: str, files: dict[str, bytes]
) -> Path:
    """A pure wheel of FILES, byte-for-byte the same for the same input."""
    dist_info = f"{name}-{version}.dist-info"
    files = dict(files)
    files[f"{dist_info}/METADATA"] = (
        f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\nSummary: {summary}\n"
    ).encode()
    files[f"{dist_info}/WHEEL"] = (
        "Wheel-Version: 1.0\nGenerator: hintbook\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    ).encode()
    record = [record_line(path, data) for path, data in sorted(files.items())]
    record.append(f"{dist_info}/RECORD,,")
    files[f"{dist_info}/RECORD"] = ("\n".join(record) + "\n").encode()

    out = dist_dir / f"{name}-{version}-py3-none-any.whl"
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as wheel:
        for path, data in sorted(files.items()):
            info = zipfile.ZipInfo(path, EPOCH)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            wheel.writestr(info, data)
    return out


def write_stub_wheel(dist_dir: Path, modules: list[str]) -> Path:
    files = {f"{module}/__init__.py": STUB.format(module=module).encode() for module in modules}
    summary = "Clear errors for packages this Hintbook build does not ship."
    return write_wheel(dist_dir, NAME, VERSION, summary, files)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dist-dir", type=Path, required=True)
    parser.add_argument("--module", action="append", default=[])
    args = parser.parse_args()

    shipped = shipped_imports(args.dist_dir)
    missing = sorted(m for m in set(args.module) if m not in shipped)
    for stale in args.dist_dir.glob(f"{NAME}-*.whl"):
        stale.unlink()
    if not missing:
        print("make_stub_wheel: every listed module is shipped; no stub wheel")
        return 0
    out = write_stub_wheel(args.dist_dir, missing)
    print(f"make_stub_wheel: {out.name} stands in for: {', '.join(missing)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
