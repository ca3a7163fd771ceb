"""Imports the kernel's modules before the kernel mounts the notebook drive (kernel start).

The Pyodide kernel 0.6 mounts JupyterLite's drive at /drive and changes into it before it
imports IPython. Python's path entry '' (the working folder, first on sys.path) then makes every
top-level import stat that folder, and each stat on the drive is a synchronous round trip to the
page's main thread, which is busy drawing JupyterLab at that moment. Measured in Chromium on the
2-core machine here: `import piplite.piplite` + `import pyodide_kernel` took 3.9-5.5 s that way
and 2.4-3.4 s when the same modules were imported first, from the root folder.

kernel/hintbook-pyodide.js calls `run()` right after Pyodide and the start packages load, before
handing Pyodide to the kernel; the kernel's own imports then find the modules in sys.modules.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys

# What `import piplite.piplite` and `import pyodide_kernel` import (pyodide-kernel 0.6.1), minus
# pyodide_kernel itself: importing it starts the kernel, which must stay the kernel's call.
KERNEL_MODULES = (
    "micropip",
    "piplite.piplite",
    "comm",
    "traitlets",
    "traitlets.config",
    "IPython",
    "IPython.core.application",
    "IPython.core.displayhook",
    "IPython.core.displaypub",
    "IPython.core.getipython",
    "IPython.core.history",
    "IPython.core.inputtransformer2",
    "IPython.core.interactiveshell",
    "IPython.core.shellapp",
    "IPython.display",
    "IPython.utils.tokenutil",
)


def run() -> None:
    """Import the kernel's modules now, as `import pyodide_kernel` would, and order sys.path."""
    _apply_kernel_mocks()
    for name in KERNEL_MODULES:
        importlib.import_module(name)
    working_folder_after_standard_library()


def _apply_kernel_mocks() -> None:
    """pyodide_kernel puts stand-ins for termios, fcntl, … in sys.modules before it imports
    IPython, and IPython picks its code paths by what it finds. Apply the same ones first, from
    the kernel's own file, without importing the pyodide_kernel package (that starts a kernel).
    """
    package = importlib.util.find_spec("pyodide_kernel")
    if package is None or not package.submodule_search_locations:
        return
    path = os.path.join(package.submodule_search_locations[0], "mocks.py")
    spec = importlib.util.spec_from_file_location("_hintbook_kernel_mocks", path)
    if spec is None or spec.loader is None:
        return
    mocks = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mocks)
    mocks.apply_mocks()


def working_folder_after_standard_library() -> None:
    """Move '' (the notebook's folder, on the drive) from the front of sys.path to just before
    site-packages, where IPython itself puts it when it adds it (InteractiveShellApp.init_path).

    Imports of the standard library then never ask the drive (numpy alone imports dozens of
    standard modules at its first import); a student's own module in the notebook's folder
    still imports, and still wins over an installed package of the same name. A file named like
    a standard module (random.py) no longer hides that module, as in IPython elsewhere.
    """
    if "" not in sys.path:
        return
    sys.path.remove("")
    for index, entry in enumerate(sys.path):
        if os.path.basename(entry) in {"site-packages", "dist-packages"}:
            sys.path.insert(index, "")
            return
    sys.path.insert(0, "")
