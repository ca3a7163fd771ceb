"""Hintbook: compile each standard-library module once, not twice, at kernel start.

scripts/build-jupyterlite.sh adds this file to python_stdlib.zip (tools/repack_stored.py
--stdlib-add), where Python's `site` imports it during interpreter start-up, before Pyodide's
own modules and the kernel's are imported.

The standard library is imported from that zip, and Python 3.12's zipimport compiles a module
from source twice: `find_spec` asks `get_filename` for the module's path, which compiles the
module only to return where it came from, and `exec_module` compiles it again to run it. The zip
holds no bytecode (Pyodide ships sources only), so every kernel start paid twice for each
standard module it imports (116 of them before Pyodide's own start is over). `get_filename` here finds the same path without compiling; where the zip holds bytecode
for the module (it does not), the original decides, as a stale .pyc falls back to the source.
Measured in Node with this site's Pyodide 0.27.7: half the compilations; loadPyodide
1.65-1.69 s → 1.08-1.27 s, a set of 23 standard modules imported in 0.10-0.14 s instead of 0.19 s.
"""


def _compile_zip_modules_once() -> None:
    import zipimport

    original = zipimport.zipimporter.get_filename

    def get_filename(self, fullname):
        path = zipimport._get_module_path(self, fullname)
        for suffix, is_bytecode, _is_package in zipimport._zip_searchorder:
            entry = self._files.get(path + suffix)
            if entry is not None:
                if is_bytecode:
                    break
                # What _get_module_code returns as the module's path, toc_entry[0].
                return entry[0]
        return original(self, fullname)

    get_filename.__doc__ = original.__doc__
    zipimport.zipimporter.get_filename = get_filename


# Where kernel/hintbook-pyodide.js writes the kept standard-library bytecode before Python starts.
KEPT_BYTECODE = "/tmp/hintbook-stdlib-bytecode"
# {module name: (crc32, size, marshalled code)} of what this start compiled from the zip, until
# take_recorded(); None when nothing is recorded (bytecode was put back, or recording is over).
_recorded = None
_kept_used = 0


def _keep_zip_bytecode(kept_path, archive) -> None:
    """Serve the standard library's code objects from the last start in this browser, or record
    them for the next one.

    Pyodide's python_stdlib.zip holds sources only, and zipimport reads bytecode only from inside
    the zip: every kernel start compiled the ~210 standard modules it imports (in Node, 0.6 of
    loadPyodide's 1.2 s and half of the kernel's imports). The first start records each module's
    code as it compiles; hintbook-pyodide.js keeps it in Cache Storage (with the site-packages
    bytecode, under the sha256 of pyodide-lock.json, which holds this zip's sha256) and writes it
    to `kept_path` before the next start. Each kept module also carries the CRC-32 and size of
    the source it came from, checked against the zip's own entry: a changed module is compiled
    from source. Sources stay in the zip: tracebacks and inspect are unchanged.
    """
    import marshal
    import zipimport

    if archive is None:
        return
    try:
        with open(kept_path, "rb") as file:
            kept = marshal.loads(file.read())
        import os

        os.remove(kept_path)
        if not isinstance(kept, dict):
            kept = None
    except Exception:  # noqa: BLE001 - none kept, or unreadable: compile and record
        kept = None
    global _recorded
    _recorded = {} if kept is None else None
    original = zipimport.zipimporter.get_code

    def source_entry(importer, fullname):
        path = zipimport._get_module_path(importer, fullname)
        for suffix in ("/__init__.py", ".py"):
            entry = importer._files.get(path + suffix)
            if entry is not None:
                return entry
        return None

    def get_code(self, fullname):
        if self.archive != archive:
            return original(self, fullname)
        if kept is not None:
            global _kept_used
            item = kept.get(fullname)
            entry = source_entry(self, fullname) if item is not None else None
            # Toc entry: (path, compress, data_size, file_size, file_offset, time, date, crc).
            if entry is not None and item[0] == entry[7] and item[1] == entry[3]:
                _kept_used += 1
                return marshal.loads(item[2])
            return original(self, fullname)
        code = original(self, fullname)
        if _recorded is not None:
            entry = source_entry(self, fullname)
            if entry is not None:
                _recorded[fullname] = (entry[7], entry[3], marshal.dumps(code))
        return code

    get_code.__doc__ = original.__doc__
    zipimport.zipimporter.get_code = get_code


def take_recorded():
    """What this start compiled from the zip, marshalled, and stops recording; None if it put
    kept bytecode back instead (or it was taken already)."""
    global _recorded
    import marshal

    recorded, _recorded = _recorded, None
    return None if not recorded else marshal.dumps(recorded)


def kept_used() -> int:
    """How many modules ran kept bytecode at this start."""
    return _kept_used


try:
    _compile_zip_modules_once()
except Exception:  # noqa: BLE001 - another Python's zipimport: start as without this file
    pass
try:
    import sys as _sys

    _keep_zip_bytecode(KEPT_BYTECODE, next((p for p in _sys.path if p.endswith(".zip")), None))
    del _sys
except Exception:  # noqa: BLE001 - start as without it
    pass
del _compile_zip_modules_once
