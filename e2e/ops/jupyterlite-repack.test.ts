/**
 * jupyterlite/tools/repack_stored.py (run by scripts/build-jupyterlite.sh after the lock is
 * written) rewrites the files every kernel start loads as zips of stored members, so HTTP
 * compression packs them as one stream. Pyodide checks each package file against the lock's
 * sha256, and a wheel's RECORD names its members: the repacked file must hold exactly the same
 * members, bytes and metadata, and its lock entry must carry the new file's hash. Files a first
 * import loads keep their official bytes. A made-up site here, so each property is exact.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/nginx.js';

const execFileAsync = promisify(execFile);
const tool = path.join(repoRoot, 'jupyterlite/tools/repack_stored.py');
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** Many small, similar modules: what makes per-member deflate lose to one gzip stream. */
const modules = Object.fromEntries(
  Array.from({ length: 60 }, (_, i) => [
    `startpkg/mod${i}.py`,
    `"""Module ${i}."""\n\n` +
      Array.from(
        { length: 12 },
        (_, j) =>
          `def function_${i}_${j}(value, scale=${j}):\n` +
          `    """Return the value scaled, as a list of three."""\n` +
          `    return [value * scale * ${i} for _ in range(3)]\n\n`,
      ).join(''),
  ]),
);

/** Writes a deflated zip of `members`, with fixed dates, and reads its members back as JSON. */
const ZIP_HELPER = `
import base64, json, sys, zipfile
def write(path, members):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in members.items():
            info = zipfile.ZipInfo(name, (2024, 1, 2, 3, 4, 6))
            info.external_attr = 0o644 << 16
            z.writestr(info, text, compress_type=zipfile.ZIP_DEFLATED)
def read(path):
    with zipfile.ZipFile(path) as z:
        return [dict(name=i.filename, date=list(i.date_time), attr=i.external_attr,
                     stored=i.compress_type == zipfile.ZIP_STORED,
                     data=base64.b64encode(z.read(i)).decode()) for i in z.infolist()]
if sys.argv[1] == "write":
    write(sys.argv[2], json.loads(sys.argv[3]))
else:
    print(json.dumps(read(sys.argv[2])))
`;
const zipWrite = (file: string, members: Record<string, string>) =>
  execFileAsync('python3', ['-c', ZIP_HELPER, 'write', file, JSON.stringify(members)]);
const zipRead = async (file: string) =>
  JSON.parse((await execFileAsync('python3', ['-c', ZIP_HELPER, 'read', file])).stdout) as Array<{
    name: string;
    date: number[];
    attr: number;
    stored: boolean;
    data: string;
  }>;

/** Added to python_stdlib.zip only (the build adds python/stdlib/sitecustomize.py). */
const SITECUSTOMIZE = 'TEST_ADDITION = 1\n';
const START_WHEEL = 'startpkg-1.0.0-py3-none-any.whl';
const LATER_WHEEL = 'laterpkg-1.0.0-py3-none-any.whl';
let dir: string;
let before: Record<string, Buffer>;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'hintbook-repack-'));
  await zipWrite(path.join(dir, START_WHEEL), modules);
  await zipWrite(path.join(dir, LATER_WHEEL), modules);
  await zipWrite(path.join(dir, 'python_stdlib.zip'), modules);
  before = {};
  for (const file of [START_WHEEL, LATER_WHEEL, 'python_stdlib.zip']) {
    before[file] = await readFile(path.join(dir, file));
  }
  const entry = (name: string, file: string) => ({
    name,
    version: '1.0.0',
    file_name: file,
    sha256: sha256(before[file]!),
    depends: [],
  });
  const lock = {
    info: { python: '3.12.7', version: '0.27.7' },
    packages: {
      startpkg: entry('startpkg', START_WHEEL),
      laterpkg: entry('laterpkg', LATER_WHEEL),
    },
  };
  await writeFile(path.join(dir, 'pyodide-lock.json'), JSON.stringify(lock));
  await writeFile(
    path.join(dir, 'packages.txt'),
    'startpkg 1.0.0 pyodide at-start\nlaterpkg 1.0.0 pyodide\n',
  );
  await writeFile(path.join(dir, 'sitecustomize.py'), SITECUSTOMIZE);
  await execFileAsync('python3', [
    tool,
    '--list',
    path.join(dir, 'packages.txt'),
    '--dist-dir',
    dir,
    '--stdlib-add',
    path.join(dir, 'sitecustomize.py'),
  ]);
}, 60_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('repack_stored.py', () => {
  it('repacks the start files with stored members, the same names, bytes, dates and order', async () => {
    for (const file of [START_WHEEL, 'python_stdlib.zip']) {
      // No stray copy is left beside the site's files.
      await expect(readFile(path.join(dir, `${file}.stored`))).rejects.toThrow();
      const after = await readFile(path.join(dir, file));
      expect(after.equals(before[file]!)).toBe(false);
      const members = await zipRead(path.join(dir, file));
      expect(members.every((member) => member.stored)).toBe(true);
      // The standard library's zip, and only it, gets the added file, after its own members.
      const added = file === 'python_stdlib.zip' ? members.pop() : undefined;
      if (added) {
        expect(added.name).toBe('sitecustomize.py');
        expect(Buffer.from(added.data, 'base64').toString()).toBe(SITECUSTOMIZE);
        expect(added.date).toEqual([2024, 1, 2, 3, 4, 6]);
      }
      expect(members.map((member) => member.name)).toEqual(Object.keys(modules));
      for (const member of members) {
        expect(Buffer.from(member.data, 'base64').toString()).toBe(modules[member.name]);
        expect(member.date).toEqual([2024, 1, 2, 3, 4, 6]);
        expect(member.attr).toBe(0o644 << 16);
      }
    }
  });

  it('refuses to add a file the standard library already has, and leaves the zip as it was', async () => {
    const stdlib = path.join(dir, 'python_stdlib.zip');
    const current = await readFile(stdlib);
    const clash = path.join(dir, 'mod1.py');
    await writeFile(clash, 'x = 1\n');
    await zipWrite(stdlib, { 'mod1.py': 'y = 2\n' });
    const original = await readFile(stdlib);
    const run = execFileAsync('python3', [
      tool,
      '--list',
      path.join(dir, 'packages.txt'),
      '--dist-dir',
      dir,
      '--stdlib-add',
      clash,
    ]);
    await expect(run).rejects.toMatchObject({
      stderr: expect.stringContaining('already has a member named mod1.py'),
    });
    expect((await readFile(stdlib)).equals(original)).toBe(true);
    await expect(readFile(`${stdlib}.stored`)).rejects.toThrow();
    await writeFile(stdlib, current);
  });

  it("gives the repacked wheel's lock entry its new sha256 and leaves first-import files alone", async () => {
    const lock = JSON.parse(await readFile(path.join(dir, 'pyodide-lock.json'), 'utf8'));
    const start = await readFile(path.join(dir, START_WHEEL));
    expect(lock.packages.startpkg.sha256).toBe(sha256(start));
    const later = await readFile(path.join(dir, LATER_WHEEL));
    expect(later.equals(before[LATER_WHEEL]!)).toBe(true);
    expect(lock.packages.laterpkg.sha256).toBe(sha256(later));
  });

  it("writes the repacked standard library's sha256 into the lock, so that the lock's own hash changes with it", async () => {
    // hintbook-pyodide.js keeps the standard library's bytecode under the lock's sha256.
    const lock = JSON.parse(await readFile(path.join(dir, 'pyodide-lock.json'), 'utf8'));
    const stdlib = await readFile(path.join(dir, 'python_stdlib.zip'));
    expect(lock.info.hintbook_stdlib_sha256).toBe(sha256(stdlib));
    expect(lock.info.version).toBe('0.27.7');
  });
});
