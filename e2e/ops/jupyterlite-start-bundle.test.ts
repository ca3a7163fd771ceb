/**
 * jupyterlite/tools/bundle_start_packages.py writes the start packages' files, unpacked, into one
 * bundle that jupyterlite/kernel/hintbook-pyodide.js writes into Pyodide's file system instead of
 * letting loadPackage unzip each wheel. The bundle must leave exactly the files loadPackage
 * leaves: checked here against Pyodide itself (the built site's pyodide.mjs in Node), file by
 * file; and the tool must fail closed on a wheel that does not match the lock.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/nginx.js';

const execFileAsync = promisify(execFile);
const tool = path.join(repoRoot, 'jupyterlite/tools/bundle_start_packages.py');
const dist = path.join(repoRoot, 'jupyterlite/dist');

/** Every file under site-packages and /share after Pyodide loaded the packages: path → sha256. */
const WALK = `
import hashlib, json, os
found = {}
for top in ("/lib/python3.12/site-packages", "/share"):
    for folder, _, names in os.walk(top):
        for name in names:
            path = os.path.join(folder, name)
            with open(path, "rb") as f:
                found[path] = hashlib.sha256(f.read()).hexdigest()
json.dumps(found)
`;

/** Loads the packages with Pyodide's own loadPackage in a fresh Node process. */
const LOAD = `
const { loadPyodide } = await import(process.env.PYODIDE_MJS);
const py = await loadPyodide({ indexURL: process.env.PYODIDE_DIR, stdout: () => {} });
await py.loadPackage(JSON.parse(process.env.PACKAGES), { messageCallback: () => {} });
process.stdout.write(py.runPython(process.env.WALK));
`;

async function pyodideDir(): Promise<string> {
  const folder = (await readdir(path.join(dist, 'static'))).find((f) =>
    /^pyodide-[0-9a-f]{16}$/.test(f),
  );
  if (!folder) throw new Error('no built site: run scripts/build-jupyterlite.sh');
  return path.join(dist, 'static', folder);
}

/** The bundle's files: path → sha256, and its header. */
function readBundle(body: Buffer) {
  expect(body.subarray(0, 6).toString()).toBe('HBSP1\n');
  const headerLength = body.readUInt32LE(6);
  const header = JSON.parse(body.subarray(10, 10 + headerLength).toString()) as {
    packages: Array<{ name: string; file_name: string; sha256: string }>;
    files: Array<[string, number]>;
    dynlibs: Array<[string, string]>;
  };
  const files: Record<string, string> = {};
  let offset = 10 + headerLength;
  for (const [file, size] of header.files) {
    files[file] = createHash('sha256')
      .update(body.subarray(offset, offset + size))
      .digest('hex');
    offset += size;
  }
  expect(offset).toBe(body.length);
  return { header, files };
}

describe('the start packages bundle', () => {
  let dir: string;
  let lock: { info: { hintbook_start_bundle: { file_name: string; sha256: string } } };
  let body: Buffer;

  beforeAll(async () => {
    dir = await pyodideDir();
    lock = JSON.parse(await readFile(path.join(dir, 'pyodide-lock.json'), 'utf8'));
    body = await readFile(path.join(dir, lock.info.hintbook_start_bundle.file_name));
  });

  it('is named in the lock with its sha256', () => {
    const digest = createHash('sha256').update(body).digest('hex');
    expect(lock.info.hintbook_start_bundle.sha256).toBe(digest);
    expect(lock.info.hintbook_start_bundle.file_name).toBe(
      `hintbook-start-packages-${digest.slice(0, 16)}.bin`,
    );
  });

  it("holds exactly the files Pyodide's loadPackage leaves for its packages", async () => {
    const { header, files } = readBundle(body);
    expect(header.packages.map((p) => p.name)).toContain('ipython');
    expect(header.dynlibs.map(([, file]) => path.posix.basename(file))).toEqual(['_sqlite3.so']);
    const { stdout } = await execFileAsync(process.execPath, ['--input-type=module', '-e', LOAD], {
      env: {
        ...process.env,
        PYODIDE_MJS: path.join(dir, 'pyodide.mjs'),
        PYODIDE_DIR: `${dir}/`,
        PACKAGES: JSON.stringify(header.packages.map((p) => p.name)),
        WALK,
      },
      maxBuffer: 64 * 1024 * 1024,
    });
    const loaded = JSON.parse(stdout) as Record<string, string>;
    expect(Object.keys(loaded).length).toBeGreaterThan(900);
    expect(files).toEqual(loaded);
  }, 120_000);
});

describe('bundle_start_packages.py', () => {
  let tmp: string;
  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'hintbook-bundle-'));
  });
  afterAll(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  it('fails, naming the wheel, when a start wheel does not match the lock, and writes nothing', async () => {
    const source = await pyodideDir();
    const lockText = await readFile(path.join(source, 'pyodide-lock.json'), 'utf8');
    await writeFile(path.join(tmp, 'pyodide-lock.json'), lockText);
    const lock = JSON.parse(lockText) as { packages: Record<string, { file_name: string }> };
    const wheel = lock.packages.six!.file_name;
    await copyFile(path.join(source, wheel), path.join(tmp, wheel));
    const altered = await readFile(path.join(tmp, wheel));
    const at = altered.length - 30;
    altered.writeUInt8(altered.readUInt8(at) ^ 1, at);
    await writeFile(path.join(tmp, wheel), altered);
    await writeFile(path.join(tmp, 'packages.txt'), 'six 1.16.0 pyodide at-start\n');
    const run = execFileAsync('python3', [
      tool,
      '--list',
      path.join(tmp, 'packages.txt'),
      '--dist-dir',
      tmp,
    ]);
    await expect(run).rejects.toMatchObject({
      stderr: expect.stringContaining(`${wheel} does not match its lock entry`),
    });
    expect((await readdir(tmp)).filter((f) => f.endsWith('.bin'))).toEqual([]);
    expect(await readFile(path.join(tmp, 'pyodide-lock.json'), 'utf8')).toBe(lockText);
  });
});
