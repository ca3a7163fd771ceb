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
 * The start packages are not unzipped one wheel at a time by loadPackage: their files come
 * unpacked in one bundle named by the lock (tools/bundle_start_packages.py), written into the
 * file system before Python starts; the wrapper then does the rest of loadPackage's work.
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
    const wanted = (pyodideOptions.packages ?? []).filter((name) => !later.has(name));
    // Pyodide loads none itself: the start bundle holds them, and what it does not is loaded
    // once Python is up (all of them if the bundle cannot be used).
    pyodideOptions.packages = [];
    // Read beside Pyodide's own start: both need the lock, the cache is the browser's.
    const lock = readLock(pyodideOptions.indexURL);
    const cached = readCachedBytecode(lock);
    const bundle = fetchStartBundle(pyodideOptions.indexURL, lock);
    let bundled = null;
    const fsInit = pyodideOptions.fsInit;
    // Before Python starts, so that its own start already runs the kept standard library and
    // finds the start packages in place.
    pyodideOptions.fsInit = async (FS, info) => {
      const [{ stdlib }, body] = await Promise.all([cached, bundle]);
      mark('hintbook:python-start');
      if (stdlib) FS.writeFile(STDLIB_BYTECODE_FILE, stdlib);
      if (body) bundled = writeStartBundle(FS, body);
      if (fsInit) await fsInit(FS, info);
    };
    const pyodide = await loadPyodide(pyodideOptions);
    await finishStartPackages(pyodide, wanted, bundled);
    mark('hintbook:start-packages-loaded');
    await startKernelModules(pyodide, await cached);
    mark('hintbook:kernel-modules-imported');
    return pyodide;
  };

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

  /** The site's pyodide-lock.json: { bytes, json }, or null if it cannot be read. */
  async function readLock(indexURL) {
    try {
      const url = new URL('pyodide-lock.json', indexURL).href;
      const response = await fetch(url);
      if (!response.ok) return null;
      const bytes = await response.arrayBuffer();
      return { url, bytes, json: JSON.parse(new TextDecoder().decode(bytes)) };
    } catch {
      return null;
    }
  }

  /**
   * The start packages' bundle named by the lock (tools/bundle_start_packages.py), checked
   * against the sha256 the lock gives it, or null: the packages then load the usual way.
   */
  async function fetchStartBundle(indexURL, lockPromise) {
    try {
      const entry = (await lockPromise)?.json.info?.hintbook_start_bundle;
      if (!entry) return null;
      const digest = entry.sha256.match(/../g).map((byte) => parseInt(byte, 16));
      const integrity = `sha256-${btoa(String.fromCharCode(...digest))}`;
      const response = await fetch(new URL(entry.file_name, indexURL), { integrity });
      if (!response.ok) return null;
      return { body: new Uint8Array(await response.arrayBuffer()), lock: (await lockPromise).json };
    } catch (error) {
      console.warn('hintbook: start bundle not used', error);
      return null;
    }
  }

  /**
   * Writes the bundle's files into Pyodide's file system (before Python starts) when each of its
   * packages is the one the lock names; returns its header ({ packages, dynlibs }) or null.
   */
  function writeStartBundle(FS, { body, lock }) {
    try {
      const magic = new TextDecoder().decode(body.subarray(0, 6));
      const headerLength = new DataView(body.buffer, body.byteOffset).getUint32(6, true);
      if (magic !== 'HBSP1\n') return null;
      const header = JSON.parse(new TextDecoder().decode(body.subarray(10, 10 + headerLength)));
      const matches = ({ name, file_name, sha256 }) => {
        const entry = Object.values(lock.packages).find((p) => p.name === name);
        return entry?.file_name === file_name && entry.sha256 === sha256;
      };
      if (!header.packages.every(matches)) return null;
      let offset = 10 + headerLength;
      const folders = new Set();
      for (const [path, size] of header.files) {
        const folder = path.slice(0, path.lastIndexOf('/'));
        if (!folders.has(folder)) {
          FS.mkdirTree(folder);
          folders.add(folder);
        }
        // canOwn: the file's contents are a view of the bundle, not a copy.
        FS.writeFile(path, body.subarray(offset, offset + size), { canOwn: true });
        offset += size;
      }
      return header;
    } catch (error) {
      console.warn('hintbook: start bundle not written', error);
      return null;
    }
  }

  /**
   * What loadPackage does after unpacking, for the bundle's packages: their dynamic libraries
   * (sqlite3's) loaded, the packages recorded as loaded from Pyodide's default channel (what
   * micropip and later loadPackage calls look at). Then loads the wanted packages the bundle
   * did not hold, the usual way.
   */
  async function finishStartPackages(pyodide, wanted, bundled) {
    const names = new Set();
    if (bundled) {
      for (const [fileName, path] of bundled.dynlibs) {
        await pyodide._api.loadDynlibsFromPackage({ file_name: fileName }, [path]);
      }
      for (const { name } of bundled.packages) {
        pyodide.loadedPackages[name] = 'default channel';
        names.add(canonicalName(name));
      }
    }
    const rest = wanted.filter((name) => !names.has(canonicalName(name)));
    if (rest.length) await pyodide.loadPackage(rest, { messageCallback: () => {} });
  }

  function canonicalName(name) {
    return name.replace(/[-_.]+/g, '-').toLowerCase();
  }

  /**
   * This site's kept bytecode, if any: { url, data, stdlib }; url (the entries' name without
   * their .zip and .stdlib suffixes) is null without Cache Storage.
   */
  async function readCachedBytecode(lockPromise) {
    const url = await bytecodeCacheUrl(lockPromise);
    if (!url) return { url: null, data: null, stdlib: null };
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
      return { url, data, stdlib };
    } catch {
      return { url, data: null, stdlib: null };
    }
  }

  /**
   * A Cache Storage name from the sha256 of the site's lock, or null (no Cache Storage). The
   * lock lists every package file's sha256 and python_stdlib.zip's (info.hintbook_stdlib_sha256).
   */
  async function bytecodeCacheUrl(lockPromise) {
    try {
      if (!self.caches || !self.crypto?.subtle) return null;
      const lock = await lockPromise;
      if (!lock) return null;
      const digest = await crypto.subtle.digest('SHA-256', lock.bytes);
      const hex = Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0'));
      return new URL(`${BYTECODE_CACHE}/${hex.join('')}`, lock.url).href;
    } catch {
      return null;
    }
  }

  /** Keeps this site's new entries ([url, data]) and drops what earlier builds left. */
  async function keepInCache(url, entries) {
    const cache = await caches.open(BYTECODE_CACHE);
    const current = new Set([`${url}.zip`, `${url}.stdlib`]);
    for (const request of await cache.keys()) {
      if (!current.has(request.url)) await cache.delete(request);
    }
    for (const [entry, data] of entries) {
      await cache.put(
        entry,
        new Response(data, { headers: { 'Content-Type': 'application/octet-stream' } }),
      );
    }
  }
})();
