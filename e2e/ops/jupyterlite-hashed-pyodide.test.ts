/**
 * The site build renames static/pyodide to static/pyodide-<hash of its files>
 * (jupyterlite/tools/hash_pyodide_dir.py, run by scripts/build-jupyterlite.sh) and nginx serves
 * that folder immutable (e2e/ops/nginx.test.ts). That is only correct if every change to any
 * file in it gives a new name, and an unchanged rebuild the same one. Checked here on made-up
 * sites; the real site goes through the same code in every build.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, writeTree } from '../support/nginx.js';

const execFileAsync = promisify(execFile);
const tool = path.join(repoRoot, 'jupyterlite/tools/hash_pyodide_dir.py');
const KERNEL = '@jupyterlite/pyodide-kernel-extension:kernel';

const site = {
  'jupyter-lite.json': JSON.stringify({
    'jupyter-config-data': {
      litePluginSettings: { [KERNEL]: { pyodideUrl: './static/pyodide/hintbook-pyodide.js' } },
    },
  }),
  'static/pyodide/hintbook-pyodide.js': 'self.loadPyodide = () => {};',
  'static/pyodide/pyodide-lock.json': '{"packages":{"alpha":{"sha256":"aa"}}}',
  'static/pyodide/alpha-1.0-py3-none-any.whl': 'PK alpha',
  'static/pyodide/python_stdlib.zip': 'PK stdlib',
};

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'hintbook-hashed-pyodide-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Builds a made-up site (site plus changes), runs the tool, returns the kernel's pyodideUrl. */
async function hashSite(name: string, changes: Record<string, string> = {}): Promise<string> {
  const root = path.join(dir, name);
  await writeTree(root, { ...site, ...changes });
  await execFileAsync('python3', [tool, '--site', root]);
  const config = JSON.parse(await readFile(path.join(root, 'jupyter-lite.json'), 'utf8'));
  return config['jupyter-config-data'].litePluginSettings[KERNEL].pyodideUrl;
}

describe('the content-hashed Pyodide folder', () => {
  it('renames the folder and points the kernel at the wrapper inside it', async () => {
    const url = await hashSite('first');
    expect(url).toMatch(/^\.\/static\/pyodide-[0-9a-f]{16}\/hintbook-pyodide\.js$/);
    const folder = path.posix.dirname(url).slice('./static/'.length);
    expect(await readdir(path.join(dir, 'first', 'static'))).toEqual([folder]);
    expect((await readdir(path.join(dir, 'first', 'static', folder))).sort()).toEqual(
      Object.keys(site)
        .filter((file) => file.startsWith('static/pyodide/'))
        .map((file) => file.slice('static/pyodide/'.length))
        .sort(),
    );
  });

  it('gives an unchanged rebuild the same name and any changed or added file a new one', async () => {
    const first = await hashSite('same-a');
    expect(await hashSite('same-b')).toBe(first);
    const changed = await Promise.all([
      hashSite('wheel', { 'static/pyodide/alpha-1.0-py3-none-any.whl': 'PK alphb' }),
      hashSite('lock', { 'static/pyodide/pyodide-lock.json': '{"packages":{}}' }),
      hashSite('wrapper', { 'static/pyodide/hintbook-pyodide.js': '// changed' }),
      hashSite('added', { 'static/pyodide/beta-1.0-py3-none-any.whl': 'PK beta' }),
    ]);
    expect(new Set([first, ...changed]).size).toBe(changed.length + 1);
  });

  it('refuses a folder that already has compressed copies, leaving the site as it was', async () => {
    const root = path.join(dir, 'compressed');
    await writeTree(root, { ...site, 'static/pyodide/python_stdlib.zip.gz': 'gz' });
    await expect(execFileAsync('python3', [tool, '--site', root])).rejects.toThrow(
      /before writing compressed copies/,
    );
    expect(await readdir(path.join(root, 'static'))).toEqual(['pyodide']);
    expect(await readFile(path.join(root, 'jupyter-lite.json'), 'utf8')).toBe(
      site['jupyter-lite.json'],
    );
  });

  it('refuses a kernel pointed outside static/pyodide/', async () => {
    const root = path.join(dir, 'elsewhere');
    await writeTree(root, {
      ...site,
      'jupyter-lite.json': site['jupyter-lite.json'].replace('./static/pyodide/', 'https://cdn/'),
    });
    await expect(execFileAsync('python3', [tool, '--site', root])).rejects.toThrow(
      /is not a file in/,
    );
  });
});
