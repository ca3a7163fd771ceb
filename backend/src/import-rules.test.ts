import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';

/**
 * The import rules of docs/architecture.md, run the way `npm run check` runs them (the
 * dependency-cruiser CLI with backend/.dependency-cruiser.cjs, then
 * scripts/check-domain-cycles.mjs) against a small planted tree, so each rule is shown to fail
 * on its violation and to pass without it.
 */

const run = promisify(execFile);
const CONFIG = fileURLToPath(new URL('../.dependency-cruiser.cjs', import.meta.url));
/** A root devDependency (package.json), like eslint. */
const CLI = fileURLToPath(
  new URL('../../node_modules/dependency-cruiser/bin/dependency-cruise.mjs', import.meta.url),
);
const DOMAIN_CYCLES = fileURLToPath(new URL('../scripts/check-domain-cycles.mjs', import.meta.url));

let root: string | undefined;
afterEach(async () => {
  if (root) await rm(root, { recursive: true, force: true });
  root = undefined;
});

/** Writes `files` (path → source) into a fresh folder with a tsconfig.json; returns the folder. */
async function plant(files: Record<string, string>): Promise<string> {
  root = await mkdtemp(path.join(tmpdir(), 'import-rules-'));
  const all = {
    'tsconfig.json': JSON.stringify({
      compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true },
      include: ['src'],
    }),
    ...files,
  };
  for (const [file, source] of Object.entries(all)) {
    await mkdir(path.dirname(path.join(root, file)), { recursive: true });
    await writeFile(path.join(root, file), source);
  }
  return root;
}

/** The rules of .dependency-cruiser.cjs that the planted `files` break. */
async function violationsOf(files: Record<string, string>): Promise<string[]> {
  const root = await plant(files);
  const args = [CLI, '--config', CONFIG, '--output-type', 'json', 'src'];
  // The CLI exits non-zero when a rule is broken; the JSON report is on stdout either way.
  const { stdout } = await run(process.execPath, args, { cwd: root }).catch(
    (error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }),
  );
  const report = JSON.parse(stdout) as {
    summary: { violations: Array<{ rule: { name: string } }> };
  };
  return report.summary.violations.map((violation) => violation.rule.name);
}

const repository = `export const findThing = (id: string) => id;\n`;

// Each case starts the CLI, which loads TypeScript: seconds each on a loaded machine.
describe('import rules (npm run check:imports)', { timeout: 60_000 }, () => {
  it('refuses a service that imports another domain’s repository', async () => {
    const planted = await violationsOf({
      'src/modules/beta/beta.repository.ts': repository,
      'src/modules/alpha/alpha.service.ts': `import { findThing } from '../beta/beta.repository.js';\nexport const use = () => findThing('1');\n`,
    });
    expect(planted).toEqual(['no-cross-domain-repository']);
  });

  it('accepts the same call through the other domain’s service, and a domain’s own repository', async () => {
    const clean = await violationsOf({
      'src/modules/beta/beta.repository.ts': repository,
      'src/modules/beta/beta.service.ts': `import { findThing } from './beta.repository.js';\nexport const getThing = (id: string) => findThing(id);\n`,
      'src/modules/alpha/alpha.repository.ts': repository,
      'src/modules/alpha/alpha.service.ts': `import { getThing } from '../beta/beta.service.js';\nimport { findThing } from './alpha.repository.js';\nexport const use = () => [getThing('1'), findThing('2')];\n`,
    });
    expect(clean).toEqual([]);
  });

  it('refuses an import cycle, even one made of type-only imports', async () => {
    const planted = await violationsOf({
      'src/modules/alpha/turn.ts': `import type { Plan } from './plan.js';\nexport interface Turn { plan: Plan }\n`,
      'src/modules/alpha/plan.ts': `import type { Turn } from './turn.js';\nexport interface Plan { turn?: Turn }\n`,
    });
    expect(planted).toEqual(['no-circular']);
  });

  it('refuses a route that skips its service for a repository', async () => {
    const planted = await violationsOf({
      'src/modules/alpha/alpha.repository.ts': repository,
      'src/modules/alpha/alpha.routes.ts': `import { findThing } from './alpha.repository.js';\nexport const route = () => findThing('1');\n`,
    });
    expect(planted).toEqual(['routes-not-to-repositories']);
  });

  it('refuses the schema outside repositories and db/', async () => {
    const planted = await violationsOf({
      'src/db/schema/index.ts': `export const things = 'things';\n`,
      'src/modules/alpha/alpha.service.ts': `import { things } from '../../db/schema/index.js';\nexport const table = things;\n`,
      'src/modules/alpha/alpha.repository.ts': `import { things } from '../../db/schema/index.js';\nexport const table = things;\n`,
    });
    expect(planted).toEqual(['drizzle-only-in-repositories']);
  });
});

/** Runs the domain-cycle check on the planted `files`: its exit code and what it printed. */
async function domainCyclesOf(files: Record<string, string>) {
  const cwd = await plant(files);
  return run(process.execPath, [DOMAIN_CYCLES], { cwd }).then(
    ({ stdout }) => ({ code: 0, output: stdout }),
    (error: { code?: number; stdout?: string; stderr?: string }) => ({
      code: error.code ?? -1,
      output: `${error.stdout ?? ''}${error.stderr ?? ''}`,
    }),
  );
}

// Two domains importing each other through different files: no file is in a cycle, so only the
// domain-level check can see it.
const service = (name: string, imports = '') => `${imports}export const ${name} = () => 1;\n`;

describe('domain cycles (npm run check:imports)', { timeout: 60_000 }, () => {
  it('refuses two domains that import each other, naming the files that do it', async () => {
    const planted = await domainCyclesOf({
      'src/modules/alpha/alpha.service.ts': service(
        'alpha',
        `import { beta } from '../beta/beta.service.js';\nbeta();\n`,
      ),
      'src/modules/alpha/alpha.types.ts': service('alphaType'),
      'src/modules/beta/beta.service.ts': service('beta'),
      'src/modules/beta/beta.mapper.ts': service(
        'betaMapper',
        `import { alphaType } from '../alpha/alpha.types.js';\nalphaType();\n`,
      ),
    });
    expect(planted.code).toBe(1);
    expect(planted.output).toContain('error no-domain-cycle: alpha → beta → alpha');
    expect(planted.output).toContain(
      'src/modules/beta/beta.mapper.ts → src/modules/alpha/alpha.types.ts',
    );
  });

  it('refuses a longer loop through a third domain', async () => {
    const planted = await domainCyclesOf({
      'src/modules/alpha/alpha.service.ts': service(
        'alpha',
        `import { beta } from '../beta/beta.service.js';\nbeta();\n`,
      ),
      'src/modules/beta/beta.service.ts': service(
        'beta',
        `import { gamma } from '../gamma/gamma.service.js';\ngamma();\n`,
      ),
      'src/modules/gamma/gamma.service.ts': service(
        'gamma',
        `import type {} from '../alpha/alpha.service.js';\n`,
      ),
    });
    expect(planted.code).toBe(1);
    expect(planted.output).toContain('error no-domain-cycle: alpha → beta → gamma → alpha');
  });

  it('accepts the same domains depending one way, and test code that crosses back', async () => {
    const clean = await domainCyclesOf({
      'src/modules/alpha/alpha.service.ts': service(
        'alpha',
        `import { beta } from '../beta/beta.service.js';\nbeta();\n`,
      ),
      'src/modules/beta/beta.service.ts': service('beta'),
      'src/modules/beta/beta.test-helpers.ts': service(
        'seed',
        `import { alpha } from '../alpha/alpha.service.js';\nalpha();\n`,
      ),
    });
    expect(clean).toEqual({
      code: 0,
      output: expect.stringContaining('no import cycles between 2 domains (1 domain edges)'),
    });
  });
});
