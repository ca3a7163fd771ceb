/*
 * The kernel's Pyodide script (jupyter-lite.json `pyodideUrl` points here, beside pyodide.js).
 *
 * The Pyodide kernel 0.6 installs ssl, sqlite3, ipykernel, comm, pyodide_kernel, jedi and ipython
 * at every start unless `loadPyodideOptions.packages` names them. ssl (with openssl, 0.9 MB)
 * and jedi (with parso, 1.4 MB) are not needed to start: ssl only by code that imports it,
 * jedi only for completion, which IPython's own completer does without it. The build names
 * them in `packages`, so the kernel does not install them, and lists them again in
 * `hintbookOnFirstImport`; this wrapper takes them out before Pyodide loads the rest. The
 * kernel then loads them from our origin when a cell imports them, like numpy.
 *
 * A classic worker script: the kernel's worker runs importScripts(pyodideUrl) and then calls
 * self.loadPyodide(options).
 */
/* global self, importScripts */
(function () {
  'use strict';
  self.loadPyodide = async function hintbookLoadPyodide(options) {
    const wrapper = self.loadPyodide;
    const { hintbookOnFirstImport = [], ...pyodideOptions } = options;
    // importScripts resolves against the worker's URL, not this file's: use indexURL, the
    // folder the kernel derived from pyodideUrl.
    importScripts(new URL('pyodide.js', pyodideOptions.indexURL).href);
    const loadPyodide = self.loadPyodide;
    self.loadPyodide = wrapper;
    const later = new Set(hintbookOnFirstImport);
    if (Array.isArray(pyodideOptions.packages)) {
      pyodideOptions.packages = pyodideOptions.packages.filter((name) => !later.has(name));
    }
    return loadPyodide(pyodideOptions);
  };
})();
