"""Hintbook's additions to the Pyodide kernel, installed at kernel start (startup.py).

- While a cell's imports load packages from the site (numpy, scipy, …), the cell shows which
  ones and how large they are; the note goes away once they are loaded.
- A matplotlib figure shown inline carries a short description in its output metadata
  (`hintbook_description`), which the bridge gives the tutor instead of the image. The hook goes
  in when matplotlib-inline's backend is first imported, so nothing of matplotlib loads early.
- Completion uses IPython's own completer while jedi is not loaded (it loads on first import,
  not at start); the kernel turns jedi on unconditionally, and without it every Tab would print
  a NameError traceback.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import json
import sys
import time
from importlib import resources

DESCRIPTION_KEY = "hintbook_description"
INLINE_BACKEND = "matplotlib_inline.backend_inline"


def install() -> None:
    import pyodide_kernel.kernel as kernel_module

    _complete_without_jedi_unless_loaded()

    original = kernel_module._load_packages_from_imports
    kernel_module._load_packages_from_imports = _with_progress(original)
    # matplotlib-inline's backend is imported by the first `import matplotlib.pyplot`, and
    # `plt.show()` may display a figure in that same cell: describe figures from the moment the
    # module exists.
    if INLINE_BACKEND in sys.modules:
        _describe_inline_figures(sys.modules[INLINE_BACKEND])
    else:
        sys.meta_path.insert(0, _AfterImport(INLINE_BACKEND, _describe_inline_figures))


def _complete_without_jedi_unless_loaded() -> None:
    from IPython import get_ipython
    from IPython.core import completer

    shell = get_ipython()
    if shell is not None and not completer.JEDI_INSTALLED:
        shell.Completer.use_jedi = False


class _AfterImport(importlib.abc.MetaPathFinder):
    """Calls `then(module)` right after the module named `name` is first executed."""

    def __init__(self, name: str, then) -> None:
        self.name = name
        self.then = then

    def find_spec(self, fullname, path, target=None):
        if fullname != self.name:
            return None
        sys.meta_path.remove(self)
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or spec.loader is None:
            return spec
        exec_module = spec.loader.exec_module
        then = self.then

        def exec_then(module) -> None:
            exec_module(module)
            then(module)

        spec.loader.exec_module = exec_then
        return spec


def _file_sizes() -> dict[str, int]:
    text = resources.files(__name__).joinpath("sizes.json").read_text(encoding="utf-8")
    return json.loads(text)


def packages_to_load(code: str) -> dict[str, str]:
    """Lock packages the code's imports would load (dependencies too) → their file names."""
    import pyodide_js
    from pyodide.code import find_imports

    try:
        imports = find_imports(code)
    except SyntaxError:
        return {}
    api = pyodide_js._api
    by_import = api._import_name_to_package_name
    lock = api.lockfile_packages
    loaded = pyodide_js.loadedPackages
    wanted: dict[str, str] = {}
    pending = [by_import.get(name) for name in imports if by_import.has(name)]
    while pending:
        name = pending.pop()
        entry = getattr(lock, name, None)
        if entry is None or name in wanted or hasattr(loaded, name):
            continue
        wanted[name] = entry.file_name
        pending.extend(str(dep) for dep in entry.depends)
    return wanted


def loading_note(files: dict[str, str], sizes: dict[str, int]) -> str:
    total = sum(sizes.get(file_name, 0) for file_name in files.values())
    return f"Loading {', '.join(sorted(files))} ({total / 1e6:.1f} MB) from the workspace…"


def _with_progress(load):
    sizes = _file_sizes()

    async def load_with_progress(code, *args, **kwargs):
        try:
            files = packages_to_load(code)
        except Exception:  # a note is a nicety: never let it break a cell
            files = {}
        if not files:
            return await load(code, *args, **kwargs)
        from IPython.display import clear_output, display

        display({"text/plain": loading_note(files, sizes)}, raw=True)
        started = time.monotonic()
        try:
            return await load(code, *args, **kwargs)
        finally:
            # The cell has no output of its own yet: this only removes the note.
            clear_output()
            elapsed = time.monotonic() - started
            print(f"hintbook: loaded {', '.join(files)} in {elapsed:.1f} s", file=sys.__stderr__)

    return load_with_progress


def describe_figure(figure) -> str:
    """A short sentence about a matplotlib figure, e.g. 'a matplotlib figure with 2 lines'."""
    axes = [ax for ax in figure.get_axes() if ax.get_visible()]
    counts: dict[str, int] = {}
    titles: list[str] = []
    for ax in axes:
        for kind, items in (
            ("line", ax.get_lines()),
            ("bar", [p for p in ax.patches if type(p).__name__ == "Rectangle"]),
            # scatter plots, fills and line collections
            ("collection", ax.collections),
            ("image", ax.get_images()),
        ):
            if items:
                counts[kind] = counts.get(kind, 0) + len(items)
        if ax.get_title():
            titles.append(ax.get_title())
    parts = [f"{n} {kind}{'s' if n != 1 else ''}" for kind, n in counts.items()]
    text = "a matplotlib figure"
    if len(axes) > 1:
        text += f" with {len(axes)} plots"
    if parts:
        text += (" and " if len(axes) > 1 else " with ") + ", ".join(parts)
    if titles:
        text += " titled " + "; ".join(repr(t) for t in titles)
    return text


def _describe_inline_figures(backend) -> None:
    fetch = backend._fetch_figure_metadata

    def fetch_with_description(figure):
        metadata = dict(fetch(figure) or {})
        try:
            metadata[DESCRIPTION_KEY] = describe_figure(figure)
        except Exception:  # a description is a nicety: never let it break a plot
            pass
        return metadata

    backend._fetch_figure_metadata = fetch_with_description
