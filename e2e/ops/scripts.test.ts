/**
 * The operator scripts that drive docker compose run here against a recording stand-in for the
 * `docker` command (no engine on this machine), so the order and arguments of what they ask
 * Docker to do are checked. healthcheck.sh runs for real against nginx and a fake backend.
 */
import { execFile } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { chmod, mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, startNginx, writeTree, type RunningNginx } from '../support/nginx.js';
import {
  createDatabase,
  databaseUrl,
  dropDatabase,
  psql,
  uniqueDatabaseName,
} from '../support/postgres.js';
import { startFakeBackend, type FakeBackend } from '../support/upstream.js';

const execFileAsync = promisify(execFile);

const fakeDocker = `#!/usr/bin/env bash
all="$*"
printf '%s\\n' "\${all//$'\\n'/ }" >>"$FAKE_DOCKER_LOG"
case "$*" in
  "compose version") exit 0 ;;
  *"--entrypoint /bin/sh certbot -c"*"echo none"*) echo "$FAKE_CERT_STATE" ;;
  # upgrade.sh starts a second backend beside the first: from then on ps lists both.
  *"--scale backend=2"*) touch "$FAKE_DOCKER_LOG.scaled" ;;
  *"ps -q"*) echo old-id; if [ -f "$FAKE_DOCKER_LOG.scaled" ]; then echo new-id; fi ;;
  "inspect "*) echo healthy ;;
  *"run --rm --no-deps --entrypoint certbot certbot"*) exit "\${FAKE_CERTBOT_EXIT:-0}" ;;
esac
exit 0
`;

let workDir: string;
let binDir: string;
let envFile: string;

beforeAll(async () => {
  workDir = await mkdtemp(path.join(os.tmpdir(), 'hintbook-ops-scripts-'));
  binDir = path.join(workDir, 'bin');
  await writeTree(binDir, { docker: fakeDocker });
  await chmod(path.join(binDir, 'docker'), 0o755);
  envFile = path.join(workDir, '.env');
  await writeFile(
    envFile,
    'DOMAINS="tutor.example.org www.tutor.example.org"\nLETSENCRYPT_EMAIL=ops@example.org\n',
  );
});

afterAll(async () => {
  await rm(workDir, { recursive: true, force: true });
});

async function runWithFakeDocker(
  script: string,
  args: string[],
  extraEnv: Record<string, string> = {},
) {
  const log = path.join(workDir, `docker-${Math.random().toString(16).slice(2)}.log`);
  await writeFile(log, '');
  let code = 0;
  let stdout = '';
  let stderr = '';
  try {
    ({ stdout, stderr } = await execFileAsync(path.join(repoRoot, 'scripts', script), args, {
      env: {
        PATH: `${binDir}:${process.env.PATH}`,
        FAKE_DOCKER_LOG: log,
        ENV_FILE: envFile,
        ...extraEnv,
      },
    }));
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    ({ code, stdout, stderr } = failed);
  }
  const calls = (await readFile(log, 'utf8'))
    .split('\n')
    .filter((line) => line && line !== 'compose version');
  return { code, stdout, stderr, calls };
}

describe('init-letsencrypt.sh', () => {
  it('replaces the placeholder with one certificate for every domain, nginx running throughout', async () => {
    const run = await runWithFakeDocker('init-letsencrypt.sh', ['--staging'], {
      FAKE_CERT_STATE: 'placeholder',
    });
    expect(run.code, run.stderr).toBe(0);
    const compose = 'compose -f docker-compose.prod.yml';
    expect(run.calls[0]).toBe(`${compose} up -d web`);
    expect(run.calls[2]).toMatch(
      /rm -rf .*live\/tutor\.example\.org .*renewal\/tutor\.example\.org\.conf/,
    );
    const certonly = run.calls[3];
    expect(certonly).toContain(
      'certonly --webroot -w /var/www/certbot --cert-name tutor.example.org',
    );
    expect(certonly).toContain('-d tutor.example.org -d www.tutor.example.org');
    expect(certonly).toContain('--email ops@example.org');
    expect(certonly).toContain('--staging');
    expect(run.calls[4]).toBe(`${compose} exec -T web nginx -s reload`);
    // Never a `down` or a restart of the web container.
    expect(run.calls.join('\n')).not.toMatch(/ down|restart|stop web/);
  });

  it('leaves an existing production certificate alone unless --force', async () => {
    const run = await runWithFakeDocker('init-letsencrypt.sh', [], {
      FAKE_CERT_STATE: 'production',
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('already exists');
    expect(run.calls.some((call) => call.includes('certonly'))).toBe(false);

    const forced = await runWithFakeDocker('init-letsencrypt.sh', ['--force'], {
      FAKE_CERT_STATE: 'production',
    });
    expect(
      forced.calls.some((call) => call.includes('certonly') && !call.includes('--staging')),
    ).toBe(true);
  });

  it('does not reload nginx when certbot fails, and says what to check', async () => {
    const run = await runWithFakeDocker('init-letsencrypt.sh', [], {
      FAKE_CERT_STATE: 'none',
      FAKE_CERTBOT_EXIT: '1',
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('port 80');
    expect(run.calls.some((call) => call.includes('nginx -s reload'))).toBe(false);
  });

  it('refuses to run without domains or an email address', async () => {
    const run = await runWithFakeDocker('init-letsencrypt.sh', [], {
      ENV_FILE: path.join(workDir, 'missing.env'),
    });
    expect(run.code).toBe(2);
    expect(run.calls).toEqual([]);
  });
});

describe('admin.sh', () => {
  it('runs the built admin command inside the backend container, arguments passed through', async () => {
    const run = await runWithFakeDocker('admin.sh', ['promote', 'head@school.example']);
    expect(run.code).toBe(0);
    expect(run.calls).toEqual([
      'compose -f docker-compose.prod.yml exec -T backend node backend/dist/modules/users/admin.cli.js promote head@school.example',
    ]);
  });

  it('prints its help, and refuses to run without a command', async () => {
    const help = await runWithFakeDocker('admin.sh', ['--help']);
    expect(help).toMatchObject({ code: 0, calls: [] });
    expect(help.stdout).toMatch(/promote EMAIL/);
    const bare = await runWithFakeDocker('admin.sh', []);
    expect(bare).toMatchObject({ code: 2, calls: [] });
  });
});

describe('upgrade.sh', () => {
  it('backs up, builds, migrates, starts the new backend beside the old one, then stops the old one', async () => {
    const run = await runWithFakeDocker('upgrade.sh', ['--yes']);
    // The final health check cannot reach a real installation here; the upgrade itself passed.
    expect(run.code, run.stderr).toBe(0);
    const compose = 'compose -f docker-compose.prod.yml';
    const order = [
      `${compose} exec -T backup backup.sh --dir /backups`,
      `${compose} build --pull backend web backup`,
      `${compose} run --rm --no-deps -T backend node backend/dist/db/migrate.cli.js`,
      `${compose} up -d --no-deps --no-recreate --scale backend=2 backend`,
      'stop --time 30 old-id',
      'rm old-id',
      `${compose} up -d --no-deps web`,
    ];
    const positions = order.map((call) => run.calls.indexOf(call));
    expect(
      positions.every((position) => position >= 0),
      run.calls.join('\n'),
    ).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    // The new backend is never stopped; no backend is ever down with no other one serving.
    expect(run.calls.join('\n')).not.toMatch(/(stop|rm) .*new-id|up -d --no-deps backend$/m);
  });

  it('rolls several backends one at a time: a new one healthy before an old one drains', async () => {
    // A stand-in that keeps the backend containers in a file, so scaling up adds one and
    // `docker rm` removes one, the way Docker would.
    const state = path.join(workDir, 'backend-ids');
    await writeFile(state, 'old-1\nold-2\nold-3\n');
    const rollingBin = path.join(workDir, 'rolling-bin');
    await writeTree(rollingBin, {
      docker: `#!/usr/bin/env bash
printf '%s\\n' "$*" >>"$FAKE_DOCKER_LOG"
case "$*" in
  *"--scale backend="*) want=$(printf '%s' "$*" | sed -E 's/.*backend=([0-9]+).*/\\1/')
    n=0; while [ "$(wc -l <"$STATE")" -lt "$want" ]; do n=$((n + 1)); echo "new-$RANDOM$n" >>"$STATE"; done ;;
  *"ps -q backend"*) cat "$STATE" ;;
  *"ps -q"*) echo container-id ;;
  "inspect "*) echo healthy ;;
  "rm "*) grep -vx "$2" "$STATE" >"$STATE.next"; mv "$STATE.next" "$STATE" ;;
esac
exit 0
`,
    });
    await chmod(path.join(rollingBin, 'docker'), 0o755);
    const run = await runWithFakeDocker('upgrade.sh', ['--yes', '--no-backup'], {
      PATH: `${rollingBin}:${process.env.PATH}`,
      STATE: state,
    });
    expect(run.code, run.stderr).toBe(0);
    const calls = run.calls.filter((call) => !call.startsWith('inspect'));
    const rolled = calls.filter((call) => /--scale backend=4|^stop |^rm /.test(call));
    // Each old backend goes only after a new one was started (and found healthy) beside it.
    expect(rolled).toEqual([
      'compose -f docker-compose.prod.yml up -d --no-deps --no-recreate --scale backend=4 backend',
      'stop --time 60 old-1',
      'rm old-1',
      'compose -f docker-compose.prod.yml up -d --no-deps --no-recreate --scale backend=4 backend',
      'stop --time 60 old-2',
      'rm old-2',
      'compose -f docker-compose.prod.yml up -d --no-deps --no-recreate --scale backend=4 backend',
      'stop --time 60 old-3',
      'rm old-3',
    ]);
    expect(calls).not.toContain('compose -f docker-compose.prod.yml up -d --no-deps backend');
    const remaining = (await readFile(state, 'utf8')).trim().split('\n');
    expect(remaining).toHaveLength(3);
    expect(remaining.every((id) => id.startsWith('new-'))).toBe(true);
  });

  it('pulls instead of building with --pull', async () => {
    const run = await runWithFakeDocker('upgrade.sh', ['--yes', '--pull', '--no-backup']);
    expect(run.calls.some((call) => call.includes(' pull backend web'))).toBe(true);
    expect(run.calls.some((call) => call.includes(' build '))).toBe(false);
    expect(run.calls.some((call) => call.includes('backup.sh'))).toBe(false);
  });
});

describe('healthcheck.sh against nginx and a backend', () => {
  let backend: FakeBackend;
  let nginx: RunningNginx;
  let spaDir: string;

  beforeAll(async () => {
    backend = await startFakeBackend();
    spaDir = path.join(workDir, 'spa');
    await writeTree(spaDir, { 'index.html': '<!doctype html>' });
    nginx = await startNginx({
      mode: 'prod',
      upstreamPort: backend.port,
      spaDir,
      jupyterliteDir: spaDir,
    });
  });
  afterAll(async () => {
    await nginx?.stop();
    await backend?.close();
  });

  async function healthcheck(args: string[]) {
    try {
      const { stdout } = await execFileAsync(path.join(repoRoot, 'scripts/healthcheck.sh'), args, {
        env: { PATH: process.env.PATH, ENV_FILE: envFile },
      });
      return { code: 0, stdout };
    } catch (error) {
      const failed = error as { code: number; stdout: string };
      return { code: failed.code, stdout: failed.stdout };
    }
  }

  it('reports database, disk, certificate expiry in days, and backup age', async () => {
    const backups = path.join(workDir, 'backups');
    await writeTree(backups, { 'hintbook-20990101T000000Z.dump': 'x' });
    const result = await healthcheck([
      '--no-compose',
      '--insecure',
      '--url',
      nginx.url,
      '--backup-dir',
      backups,
      '--cert-warn-days',
      '1',
    ]);
    expect(result.stdout).toMatch(/^OK\s+database\s+.*\/api\/health: \{"ok":true/m);
    expect(result.stdout).toMatch(/^(OK|WARN)\s+disk\s+\/ \d+% used/m);
    // The test certificate is valid for two days: below the 3-day floor, so it counts as down.
    expect(result.stdout).toMatch(/^DOWN\s+certificate\s+expires in [12] days/m);
    expect(result.stdout).toMatch(/^OK\s+backup\s+newest is 0h old/m);
    expect(result.code).toBe(2);
  });

  it('warns about an old backup and reports an unreachable application as down', async () => {
    const backups = path.join(workDir, 'old-backups');
    await writeTree(backups, { 'hintbook-20200101T000000Z.dump': 'x' });
    const old = new Date(Date.now() - 3 * 86_400_000);
    await utimes(path.join(backups, 'hintbook-20200101T000000Z.dump'), old, old);
    const result = await healthcheck([
      '--no-compose',
      '--url',
      'http://127.0.0.1:9',
      '--backup-dir',
      backups,
    ]);
    expect(result.stdout).toMatch(/^DOWN\s+application/m);
    expect(result.stdout).toMatch(/^WARN\s+backup\s+newest is 72h old/m);
    expect(result.code).toBe(2);
  });
});

describe('healthcheck.sh alerts', () => {
  it('tells the webhook once a failure has lasted, only once, and again when it is over', async () => {
    const received: string[] = [];
    const receiver = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        received.push(body);
        res.end('ok');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const healthy = http.createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(req.url === '/api/health' ? '{"ok":true}' : '{"status":"ok"}');
    });
    await new Promise<void>((resolve) => healthy.listen(0, '127.0.0.1', resolve));
    const state = path.join(workDir, 'health.state');
    const run = async (url: string, minutes: string) => {
      const args = ['--no-compose', '--url', url, '--disk-warn-percent', '100'];
      const env = {
        PATH: process.env.PATH,
        ENV_FILE: envFile,
        HINTBOOK_HEALTH_STATE: state,
      };
      const hook = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
      return execFileAsync(
        path.join(repoRoot, 'scripts/healthcheck.sh'),
        [...args, '--alert-url', hook, '--alert-after-minutes', minutes],
        { env },
      ).then(
        () => 0,
        (error: { code: number }) => error.code,
      );
    };
    try {
      const down = 'http://127.0.0.1:9';
      // The first failing run only notes when the trouble began.
      expect(await run(down, '5')).toBe(2);
      expect(received).toEqual([]);
      // Once it has lasted long enough (here: at once), one alert naming what is down...
      expect(await run(down, '0')).toBe(2);
      expect(received).toHaveLength(1);
      const alert = JSON.parse(received[0]!) as { text: string; source: string };
      expect(alert.source).toBe('hintbook-health');
      expect(alert.text).toMatch(/needs attention[\s\S]*DOWN application: .*127\.0\.0\.1:9/);
      // ...and not one per run.
      expect(await run(down, '0')).toBe(2);
      expect(received).toHaveLength(1);
      const { port } = healthy.address() as AddressInfo;
      expect(await run(`http://127.0.0.1:${port}`, '0')).toBe(0);
      expect(received).toHaveLength(2);
      expect(JSON.parse(received[1]!)).toMatchObject({
        text: expect.stringMatching(/healthy again/),
      });
    } finally {
      receiver.close();
      healthy.close();
    }
  });
});

describe('healthcheck.sh alerts for a certificate near its end and a full disk', () => {
  it('tells the webhook that the certificate expires within 14 days and the disk is over its threshold', async () => {
    const backend = await startFakeBackend();
    const spa = path.join(workDir, 'spa-cert');
    await writeTree(spa, { 'index.html': '<!doctype html>' });
    // Ten days left: past the 14-day warning, before the 3-day floor that counts as down.
    const nginx = await startNginx({
      mode: 'prod',
      upstreamPort: backend.port,
      spaDir: spa,
      jupyterliteDir: spa,
      certificateDays: 10,
    });
    const received: string[] = [];
    const receiver = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        received.push(body);
        res.end('ok');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const hook = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    // No disk here is 85 % full: a 1 % threshold makes the same check fire on this machine.
    const args = ['--no-compose', '--insecure', '--url', nginx.url, '--disk-warn-percent', '1'];
    const env = {
      PATH: process.env.PATH,
      ENV_FILE: envFile,
      HINTBOOK_HEALTH_STATE: path.join(workDir, 'cert-disk.state'),
    };
    const run = () =>
      execFileAsync(
        path.join(repoRoot, 'scripts/healthcheck.sh'),
        [...args, '--alert-url', hook, '--alert-after-minutes', '0'],
        { env },
      ).then(
        ({ stdout }) => ({ code: 0, stdout }),
        (error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }),
      );
    try {
      const first = await run();
      expect(first.stdout).toMatch(/^WARN\s+certificate\s+expires in (9|10) days/m);
      expect(first.stdout).toMatch(/^WARN\s+disk\s+\/ \d+% used/m);
      expect(first.code).toBe(1);
      // Noted on the first run, told on the next once the trouble has lasted (here: 0 minutes).
      await run();
      expect(received).toHaveLength(1);
      const alert = JSON.parse(received[0]!) as { text: string; source: string };
      expect(alert.source).toBe('hintbook-health');
      expect(alert.text).toMatch(/WARN certificate: expires in (9|10) days/);
      expect(alert.text).toMatch(/WARN disk: \/ \d+% used/);
    } finally {
      receiver.close();
      await nginx.stop();
      await backend.close();
    }
  });
});

describe('backup sidecar entrypoint', () => {
  it('--once writes a backup and --check then reports it fresh', async () => {
    const database = uniqueDatabaseName('sidecar');
    await createDatabase(database);
    try {
      await psql(database, "create table notes (body text); insert into notes values ('kept')");
      const env = {
        PATH: `${path.join(repoRoot, 'scripts')}:${process.env.PATH}`,
        BACKUP_DIR: path.join(workDir, 'sidecar'),
        DATABASE_URL: databaseUrl(database),
      };
      const entrypoint = path.join(repoRoot, 'backup/entrypoint.sh');
      await expect(execFileAsync(entrypoint, ['--check'], { env })).rejects.toMatchObject({
        code: 1,
      });
      await execFileAsync(entrypoint, ['--once'], { env });
      await expect(execFileAsync(entrypoint, ['--check'], { env })).resolves.toBeDefined();
    } finally {
      await dropDatabase(database);
    }
  });
});
