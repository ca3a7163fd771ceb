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
 * Once Pyodide and the start packages are loaded, and before the kernel gets Pyodide, it imports
 * the kernel's Python modules (hintbook_workspace/early_imports.py): the kernel would import
 * them only after mounting the notebook drive, where every import asks the page's main thread
 * about the working folder, and that made the kernel start 1.5-2 s slower. It also puts back the
 * bytecode those imports compiled at the last start in this browser, or keeps it for the next
 * one (Cache Storage, keyed by the sha256 of pyodide-lock.json: hintbook_workspace/bytecode_cache.py).
 *
 * A classic worker script: the kernel's worker runs importScripts(pyodideUrl) and then calls
 * self.loadPyodide(options).
 */
/* global self, importScripts, caches */
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
    // Read beside Pyodide's own start: the key needs the lock, the cache is the browser's.
    const cached = readCachedBytecode(pyodideOptions.indexURL);
    const pyodide = await loadPyodide(pyodideOptions);
    await startKernelModules(pyodide, await cached);
    return pyodide;
  };

  const BYTECODE_CACHE = 'hintbook-bytecode';
  const BYTECODE_FILE = '/tmp/hintbook-bytecode.zip';

  /**
   * Imports the kernel's modules early (hintbook_workspace/early_imports.py), with their compiled
   * bytecode from the last start in this browser when the site has not changed since
   * (hintbook_workspace/bytecode_cache.py), or keeping it for the next start. Any failure here
   * only makes the start slower: the kernel imports what is missing itself.
   */
  async function startKernelModules(pyodide, { url, data }) {
    let bytecode;
    try {
      bytecode = pyodide.pyimport('hintbook_workspace.bytecode_cache');
      let restored = 0;
      if (data) {
        pyodide.FS.writeFile(BYTECODE_FILE, data);
        restored = bytecode.restore(BYTECODE_FILE);
        pyodide.FS.unlink(BYTECODE_FILE);
      } else {
        bytecode.start_writing();
      }
      const earlyImports = pyodide.pyimport('hintbook_workspace.early_imports');
      earlyImports.run();
      earlyImports.destroy();
      bytecode.stop_writing();
      if (!restored && url && bytecode.collect(BYTECODE_FILE) > 0) {
        const written = pyodide.FS.readFile(BYTECODE_FILE);
        pyodide.FS.unlink(BYTECODE_FILE);
        // Not awaited: the kernel need not wait for the browser to store it.
        keepInCache(url, written).catch((error) =>
          console.warn('hintbook: bytecode not kept', error),
        );
      }
    } catch (error) {
      console.warn('hintbook: early imports failed', error);
    } finally {
      bytecode?.stop_writing();
      bytecode?.destroy();
    }
  }

  /** This site's kept bytecode, if any: { url, data }; url is null without Cache Storage. */
  async function readCachedBytecode(indexURL) {
    const url = await bytecodeCacheUrl(indexURL);
    if (!url) return { url: null, data: null };
    try {
      const response = await (await caches.open(BYTECODE_CACHE)).match(url);
      return { url, data: response ? new Uint8Array(await response.arrayBuffer()) : null };
    } catch {
      return { url, data: null };
    }
  }

  /** A Cache Storage key named by the sha256 of the site's lock, or null (no Cache Storage). */
  async function bytecodeCacheUrl(indexURL) {
    try {
      if (!self.caches || !self.crypto?.subtle) return null;
      const lockUrl = new URL('pyodide-lock.json', indexURL);
      const response = await fetch(lockUrl);
      if (!response.ok) return null;
      const digest = await crypto.subtle.digest('SHA-256', await response.arrayBuffer());
      const hex = Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0'));
      return new URL(`${BYTECODE_CACHE}/${hex.join('')}.zip`, indexURL).href;
    } catch {
      return null;
    }
  }

  /** Keeps this site's bytecode and drops what earlier builds left. */
  async function keepInCache(url, data) {
    const cache = await caches.open(BYTECODE_CACHE);
    for (const request of await cache.keys()) {
      if (request.url !== url) await cache.delete(request);
    }
    await cache.put(url, new Response(data, { headers: { 'Content-Type': 'application/zip' } }));
  }
})();
