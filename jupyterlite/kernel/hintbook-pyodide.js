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
 * The standard library's bytecode is kept beside it under the same key (the lock holds the
 * sha256 of python_stdlib.zip) and written to Pyodide's file system before Python starts, where
 * the zip's sitecustomize.py serves it (python/stdlib/sitecustomize.py).
 *
 * Python's own start is kept too: the first kernel in a browser starts Python without the start
 * packages, takes a Pyodide memory snapshot (the wasm heap: Python just started, before any
 * package or dynamic library is loaded), keeps it beside the bytecode under the same key, and
 * then loads the packages itself. The next kernel restores the snapshot instead of starting
 * Python, which Pyodide then treats as started (marks hintbook:snapshot-restored). The file
 * system is not in the heap: Pyodide writes python_stdlib.zip again, this wrapper the kept
 * standard-library bytecode, which the restored sitecustomize.py is then told to serve (it ran
 * when nothing was kept yet). A snapshot that cannot be restored (another Pyodide build, a
 * damaged entry) is dropped and the kernel starts as without one. Nothing of it is fetched from
 * the server: a first load moves no more bytes.
 *
 * A classic worker script: the kernel's worker runs importScripts(pyodideUrl) and then calls
 * self.loadPyodide(options).
 */
/* global self, importScripts, caches */
(function () {
  'use strict';
  self.loadPyodide = async function hintbookLoadPyodide(options) {
    // Marks on the worker's clock, for bench/workspace-load.ts: where a kernel start goes.
    mark('hintbook:kernel-script');
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
    // Read beside Pyodide's own start, but whether a snapshot is kept decides how to start it.
    const cache = await openCache(pyodideOptions);
    const cached = readCachedBytecode(cache);
    const fsInit = pyodideOptions.fsInit;
    // Before Python starts, so that its own start already runs the kept standard library.
    pyodideOptions.fsInit = async (FS, info) => {
      const { stdlib } = await cached;
      mark('hintbook:python-start');
      if (stdlib) FS.writeFile(STDLIB_BYTECODE_FILE, stdlib);
      if (fsInit) await fsInit(FS, info);
    };
    let pyodide = cache.snapshot ? await restoreSnapshot(loadPyodide, pyodideOptions, cache) : null;
    if (!pyodide) {
      pyodide =
        cache.snapshotUrl && !cache.snapshot
          ? await startAndSnapshot(loadPyodide, pyodideOptions, cache)
          : await loadPyodide(pyodideOptions);
    }
    mark('hintbook:start-packages-loaded');
    await startKernelModules(pyodide, { url: cache.url, ...(await cached) });
    mark('hintbook:kernel-modules-imported');
    return pyodide;
  };

  /**
   * Pyodide from the kept snapshot, the start packages loaded as usual (they load while the heap
   * is restored); null when it cannot be restored, whose entry is then dropped.
   */
  async function restoreSnapshot(loadPyodide, options, cache) {
    try {
      const snapshot = cache.snapshot
        .arrayBuffer()
        .then((data) => checkSnapshot(new Uint8Array(data)));
      const pyodide = await loadPyodide({ ...options, _loadSnapshot: snapshot });
      mark('hintbook:snapshot-restored');
      let site;
      try {
        // Python's start ran when the snapshot was taken, before anything was kept: serve what
        // fsInit wrote now (python/stdlib/sitecustomize.py).
        site = pyodide.pyimport('sitecustomize');
        site.put_back(STDLIB_BYTECODE_FILE);
      } catch {
        // Then the standard library compiles, as on a first start.
      } finally {
        site?.destroy();
      }
      return pyodide;
    } catch (error) {
      console.warn('hintbook: memory snapshot not restored, starting Python', error);
      caches
        .open(BYTECODE_CACHE)
        .then((storage) => storage.delete(cache.snapshotUrl))
        .catch(() => undefined);
      return null;
    }
  }

  /**
   * The snapshot, if its layout is one Pyodide can restore (pyodide.asm.js API.makeSnapshot:
   * uint32 magic, where the heap starts, ..., then the heap). Pyodide sizes the wasm memory from
   * the snapshot's length before it reads it, and a memory smaller than the heap fails
   * instantiation, which Pyodide only logs: the start would then never end, not throw.
   */
  function checkSnapshot(bytes) {
    const [magic, heapStart] =
      bytes.byteLength >= 8 ? new Uint32Array(bytes.buffer, bytes.byteOffset, 2) : [];
    const heap = bytes.byteLength - heapStart;
    if (magic !== SNAPSHOT_MAGIC || !(heap >= MIN_HEAP_BYTES) || heap % WASM_PAGE_BYTES) {
      throw new Error('not a Pyodide memory snapshot');
    }
    return bytes;
  }

  /**
   * Pyodide started without the start packages, its memory snapshot taken and kept (not awaited),
   * then the packages loaded: a snapshot must hold no package's files or dynamic libraries, which
   * live outside the heap.
   */
  async function startAndSnapshot(loadPyodide, options, cache) {
    const { packages = [], ...rest } = options;
    const pyodide = await loadPyodide({ ...rest, packages: [], _makeSnapshot: true });
    try {
      const snapshot = pyodide.makeMemorySnapshot();
      mark('hintbook:snapshot-taken');
      keepInCache(cache.url, [[cache.snapshotUrl, snapshot]]).catch((error) =>
        console.warn('hintbook: memory snapshot not kept', error),
      );
    } catch (error) {
      console.warn('hintbook: memory snapshot not taken', error);
    }
    // _makeSnapshot hands Python a proxy of globalThis that records the path to each object it
    // gives out; from here on the kernel uses globalThis itself, as without a snapshot.
    pyodide._api.config.jsglobals = globalThis;
    pyodide._module.__hiwire_set(JSGLOBALS_HIWIRE_INDEX, globalThis);
    pyodide.registerJsModule('js', globalThis);
    await pyodide.loadPackage(packages, { messageCallback() {} });
    return pyodide;
  }

  function mark(name) {
    try {
      performance.mark(name);
    } catch {
      // Only the bench reads them.
    }
  }

  const BYTECODE_CACHE = 'hintbook-bytecode';
  const BYTECODE_FILE = '/tmp/hintbook-bytecode.zip';
  // sitecustomize.py's KEPT_BYTECODE: read (and removed) while Python starts.
  const STDLIB_BYTECODE_FILE = '/tmp/hintbook-stdlib-bytecode';
  // Where Pyodide 0.27's hiwire table holds jsglobals (API.getExpectedKeys in pyodide.asm.js).
  const JSGLOBALS_HIWIRE_INDEX = 1;
  // Pyodide 0.27's snapshot magic number, initial wasm memory and wasm page (pyodide.asm.js).
  const SNAPSHOT_MAGIC = 1886286592;
  const MIN_HEAP_BYTES = 20971520;
  const WASM_PAGE_BYTES = 65536;

  /**
   * Imports the kernel's modules early (hintbook_workspace/early_imports.py), with their compiled
   * bytecode from the last start in this browser when the site has not changed since
   * (hintbook_workspace/bytecode_cache.py), or keeping it for the next start; the same for the
   * standard library's, recorded since Python started. Any failure here only makes the start
   * slower: the kernel imports what is missing itself.
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
      // Always taken, so that recording stops before student code runs.
      const entries = [];
      if (bytecode.collect_stdlib(STDLIB_BYTECODE_FILE) > 0) {
        entries.push([`${url}.stdlib`, pyodide.FS.readFile(STDLIB_BYTECODE_FILE)]);
        pyodide.FS.unlink(STDLIB_BYTECODE_FILE);
      }
      if (!restored && url && bytecode.collect(BYTECODE_FILE) > 0) {
        entries.push([`${url}.zip`, pyodide.FS.readFile(BYTECODE_FILE)]);
        pyodide.FS.unlink(BYTECODE_FILE);
      }
      if (url && entries.length) {
        // Not awaited: the kernel need not wait for the browser to store it.
        keepInCache(url, entries).catch((error) =>
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

  /**
   * This site's entries in Cache Storage: { url, snapshotUrl, snapshot }. url (the bytecode
   * entries' name without their .zip and .stdlib suffixes) is null without Cache Storage;
   * snapshot is the kept memory snapshot's Response, or null. The snapshot's name also holds a
   * hash of the options Python starts with (its environment lives in the heap too).
   */
  async function openCache(options) {
    const url = await bytecodeCacheUrl(options.indexURL);
    if (!url) return { url: null, snapshotUrl: null, snapshot: null };
    try {
      const { packages: _packages, ...startOptions } = options;
      const snapshotUrl = `${url}.snapshot-${(await sha256(JSON.stringify(startOptions))).slice(0, 16)}`;
      const storage = await caches.open(BYTECODE_CACHE);
      return { url, snapshotUrl, snapshot: (await storage.match(snapshotUrl)) ?? null };
    } catch {
      return { url, snapshotUrl: null, snapshot: null };
    }
  }

  /** This site's kept bytecode, if any: { data, stdlib }. */
  async function readCachedBytecode({ url }) {
    if (!url) return { data: null, stdlib: null };
    const read = async (cache, entry) => {
      const response = await cache.match(entry);
      return response ? new Uint8Array(await response.arrayBuffer()) : null;
    };
    try {
      const cache = await caches.open(BYTECODE_CACHE);
      const [data, stdlib] = await Promise.all([
        read(cache, `${url}.zip`),
        read(cache, `${url}.stdlib`),
      ]);
      return { data, stdlib };
    } catch {
      return { data: null, stdlib: null };
    }
  }

  async function sha256(data) {
    const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
    const digest = await crypto.subtle.digest('SHA-256', bytes);
    return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
  }

  /**
   * A Cache Storage name from the sha256 of the site's lock, or null (no Cache Storage). The
   * lock lists every package file's sha256 and python_stdlib.zip's (info.hintbook_stdlib_sha256).
   */
  async function bytecodeCacheUrl(indexURL) {
    try {
      if (!self.caches || !self.crypto?.subtle) return null;
      const lockUrl = new URL('pyodide-lock.json', indexURL);
      const response = await fetch(lockUrl);
      if (!response.ok) return null;
      const hex = await sha256(await response.arrayBuffer());
      return new URL(`${BYTECODE_CACHE}/${hex}`, indexURL).href;
    } catch {
      return null;
    }
  }

  /** Keeps this site's new entries ([url, data]) and drops what earlier builds left. */
  async function keepInCache(url, entries) {
    const cache = await caches.open(BYTECODE_CACHE);
    for (const request of await cache.keys()) {
      if (!request.url.startsWith(`${url}.`)) await cache.delete(request);
    }
    for (const [entry, data] of entries) {
      await cache.put(
        entry,
        new Response(data, { headers: { 'Content-Type': 'application/octet-stream' } }),
      );
    }
  }
})();
