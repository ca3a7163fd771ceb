#!/usr/bin/env node
// Runs before `npm start` and `npm test` so a fresh clone needs no other command:
// checks Node, installs dependencies when the lock file changed, and (for start) rebuilds
// whatever is older than its sources. Prints each step so a slow first run is not a mystery.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const usage = `Usage: node scripts/prepare-local.mjs [--install-only] [--help]

Run by \`npm start\` and \`npm test\` before they start: checks Node (>= 20.19), runs npm ci when
package-lock.json is newer than node_modules, then (unless --install-only) rebuilds contracts,
backend and frontend where their sources are newer than their dist folders, and the JupyterLite
site when its inputs changed.
  --install-only  only the Node check and the install
  -h, --help      this help`;
const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  console.log(usage);
  process.exit(0);
}
const unknown = args.filter((arg) => arg !== '--install-only');
if (unknown.length > 0) {
  console.error(`prepare-local: unknown argument: ${unknown.join(' ')}\n${usage}`);
  process.exit(2);
}
const installOnly = args.includes('--install-only');

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  console.error(`Hintbook needs Node.js 20.19 or newer; this is ${process.versions.node}.`);
  process.exit(1);
}

function newestMtime(target) {
  if (!existsSync(target)) return 0;
  const stats = statSync(target);
  if (!stats.isDirectory()) return stats.mtimeMs;
  let newest = stats.mtimeMs;
  for (const entry of readdirSync(target)) {
    if (entry === 'node_modules' || entry === 'dist') continue;
    newest = Math.max(newest, newestMtime(path.join(target, entry)));
  }
  return newest;
}

function step(label, command, args) {
  const started = Date.now();
  console.log(`▶ ${label}…`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`✖ ${label} failed (exit ${result.status}).`);
    process.exit(result.status ?? 1);
  }
  console.log(`✔ ${label} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

// npm writes node_modules/.package-lock.json on every install; older than the lock = stale.
const installedAt = newestMtime(path.join(root, 'node_modules', '.package-lock.json'));
if (installedAt < newestMtime(path.join(root, 'package-lock.json'))) {
  step('Installing dependencies (first run takes a minute)', 'npm', [
    'ci',
    '--no-audit',
    '--no-fund',
  ]);
}
if (installOnly) process.exit(0);

const builds = [
  ['contracts', ['contracts/src'], 'contracts/dist'],
  ['backend', ['backend/src', 'contracts/src'], 'backend/dist'],
  [
    'frontend',
    ['frontend/src', 'frontend/index.html', 'frontend/public', 'contracts/src'],
    'frontend/dist',
  ],
];
for (const [workspace, sources, output] of builds) {
  const sourceTime = Math.max(...sources.map((source) => newestMtime(path.join(root, source))));
  if (newestMtime(path.join(root, output)) < sourceTime) {
    step(`Building ${workspace}`, 'npm', ['run', 'build', '--workspace', workspace]);
  }
}

// The notebook workspace's JupyterLite site (self-hosted Python). The script keeps its own
// input hash, so an unchanged site is checked in a fraction of a second. Without Python 3.10+
// Hintbook still runs; only the workspace is unavailable, and we say so.
const lite = spawnSync('bash', ['scripts/build-jupyterlite.sh'], { cwd: root, stdio: 'inherit' });
if (lite.status !== 0) {
  console.warn(
    '⚠ The JupyterLite site could not be built, so the notebook workspace will not load.\n' +
      '  Everything else works. Fix the problem above (it needs Python >= 3.10) and run\n' +
      '  `npm run build:jupyterlite`, or `npm start` again.',
  );
}
