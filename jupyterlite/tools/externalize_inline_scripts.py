#!/usr/bin/env python3
"""Move the inline bootstrap <script> of every built HTML page into a file beside it.

JupyterLite's pages start with an inline script (redirect to a trailing slash, then import
config-utils.js). nginx serves /jupyterlite/ with `script-src 'self'` and no 'unsafe-inline', so
that script would be blocked and the app would never start. As a same-folder file it loads under
'self', and its relative `import()` resolves exactly as before (same base URL). JSON data blocks
(`type="application/json"`) are not scripts and stay inline.

Usage: externalize_inline_scripts.py DIR
"""

from __future__ import annotations

import hashlib
import re
import sys
from pathlib import Path

INLINE_SCRIPT = re.compile(r"<script>(?P<body>.*?)</script>", re.DOTALL)


def externalize(page: Path) -> int:
    html = page.read_text(encoding="utf-8")
    count = 0

    def replace(match: re.Match[str]) -> str:
        nonlocal count
        body = match.group("body")
        digest = hashlib.sha256(body.encode("utf-8")).hexdigest()[:12]
        name = f"{page.stem}.inline-{digest}.js"
        (page.parent / name).write_text(body, encoding="utf-8")
        count += 1
        return f'<script src="./{name}"></script>'

    updated = INLINE_SCRIPT.sub(replace, html)
    if count:
        page.write_text(updated, encoding="utf-8")
    return count


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    root = Path(sys.argv[1])
    total = sum(externalize(page) for page in sorted(root.rglob("*.html")))
    leftover = [
        str(page) for page in root.rglob("*.html") if INLINE_SCRIPT.search(page.read_text("utf-8"))
    ]
    if leftover:
        print(f"inline scripts left in: {', '.join(leftover)}", file=sys.stderr)
        return 1
    print(f"externalized {total} inline script(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
