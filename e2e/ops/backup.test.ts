import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { mkdir, mkdtemp, readFile, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/nginx.js';
import {
  createDatabase,
  databaseExists,
  databaseUrl,
  dropDatabase,
  psql,
  tableFingerprints,
  uniqueDatabaseName,
} from '../support/postgres.js';

const execFileAsync = promisify(execFile);
const hasAge = ['/usr/bin/age', '/usr/local/bin/age'].some((file) => existsSync(file));

interface ScriptResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs scripts/<name> with only the environment a container or an operator would give it. */
async function runScript(
  name: string,
  args: string[],
  env: Record<string, string>,
): Promise<ScriptResult> {
  try {
    const { stdout, stderr } = await execFileAsync(path.join(repoRoot, 'scripts', name), args, {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: os.tmpdir(), ...env },
      maxBuffer: 16 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

const seedSql = `
  create table users (
    id uuid primary key default gen_random_uuid(),
    email text unique not null,
    created_at timestamptz not null default now(),
    profile jsonb
  );
  create table messages (
    id bigserial primary key,
    user_id uuid references users(id) on delete cascade,
    body text,
    cost numeric(12, 6),
    raw bytea
  );
  create table empty_table (id int);
  create schema drizzle;
  create table drizzle.__drizzle_migrations (id serial primary key, hash text not null, created_at bigint);
  insert into drizzle.__drizzle_migrations (hash, created_at) values ('0000_init', 1700000000000);
  insert into users (email, profile)
    select 'student' || g || '@example.org', jsonb_build_object('level', g % 5, 'name', 'Zoë ' || g)
    from generate_series(1, 60) g;
  insert into messages (user_id, body, cost, raw)
    select u.id,
      case when g % 7 = 0 then null else E'line one\\nline\\ttwo \\\\ backslash ' || g || ' ✓' end,
      g * 0.000125, decode(md5(g::text), 'hex')
    from generate_series(1, 3000) g
    join lateral (select id from users order by email offset (g % 60) limit 1) u on true;
`;

let workDir: string;
const databases: string[] = [];

async function seededDatabase(purpose: string): Promise<string> {
  const name = uniqueDatabaseName(purpose);
  databases.push(name);
  await createDatabase(name);
  await psql(name, seedSql);
  return name;
}

function envFor(database: string, extra: Record<string, string> = {}): Record<string, string> {
  return { DATABASE_URL: databaseUrl(database), ...extra };
}

beforeAll(async () => {
  workDir = await mkdtemp(path.join(os.tmpdir(), 'hintbook-backup-test-'));
});

afterAll(async () => {
  for (const name of databases) await dropDatabase(name);
  await rm(workDir, { recursive: true, force: true });
});

describe('backup and restore drill on a real PostgreSQL server', () => {
  it('backs up, survives a dropped database, and restores every row of every table', async () => {
    const database = await seededDatabase('drill');
    const before = await tableFingerprints(database);
    expect(Object.keys(before)).toEqual(
      expect.arrayContaining([
        'public.users',
        'public.messages',
        'public.empty_table',
        'drizzle.__drizzle_migrations',
      ]),
    );
    expect(before['public.messages']).toMatch(/^3000 rows/);

    const dir = path.join(workDir, 'drill');
    const backup = await runScript('backup.sh', ['--dir', dir], envFor(database));
    expect(backup.code, backup.stderr).toBe(0);
    const file = backup.stdout.trim();
    expect(path.basename(file)).toMatch(/^hintbook-\d{8}T\d{6}Z\.dump$/);
    // pg_dump custom format (compressed) with a sha256sum-compatible checksum beside it.
    expect((await readFile(file)).subarray(0, 5).toString()).toBe('PGDMP');
    await execFileAsync('sha256sum', ['-c', `${path.basename(file)}.sha256`], { cwd: dir });

    await dropDatabase(database);
    expect(await databaseExists(database)).toBe(false);

    const restore = await runScript('restore.sh', [file], envFor(database));
    expect(restore.code, restore.stderr).toBe(0);
    expect(restore.stderr).toContain('checksum');
    expect(await tableFingerprints(database)).toEqual(before);
    // Sequences come back too: the next id continues after the restored rows.
    expect(await psql(database, "insert into messages (body) values ('after') returning id")).toBe(
      '3001',
    );
  });

  it('refuses to overwrite a database that holds tables unless --force is given', async () => {
    const database = await seededDatabase('force');
    const dir = path.join(workDir, 'force');
    const backup = await runScript('backup.sh', ['--dir', dir], envFor(database));
    expect(backup.code, backup.stderr).toBe(0);
    const file = backup.stdout.trim();
    const original = await tableFingerprints(database);

    await psql(database, 'delete from messages where id > 100; insert into empty_table values (1)');
    const changed = await tableFingerprints(database);

    const refused = await runScript('restore.sh', [file], envFor(database));
    expect(refused.code).toBe(4);
    expect(refused.stderr).toContain('refusing to overwrite');
    expect(await tableFingerprints(database)).toEqual(changed);

    const forced = await runScript('restore.sh', ['--force', file], envFor(database));
    expect(forced.code, forced.stderr).toBe(0);
    expect(await tableFingerprints(database)).toEqual(original);
  });

  it('refuses a corrupted backup and one without its checksum, leaving the target untouched', async () => {
    const database = await seededDatabase('corrupt');
    const dir = path.join(workDir, 'corrupt');
    const backup = await runScript('backup.sh', ['--dir', dir], envFor(database));
    expect(backup.code, backup.stderr).toBe(0);
    const file = backup.stdout.trim();

    const bytes = await readFile(file);
    const middle = Math.floor(bytes.length / 2);
    bytes[middle] = (bytes[middle] ?? 0) ^ 0xff;
    const corrupted = path.join(dir, 'hintbook-corrupted.dump');
    await writeFile(corrupted, bytes);
    await writeFile(`${corrupted}.sha256`, await readFile(`${file}.sha256`, 'utf8'));

    const target = uniqueDatabaseName('corrupt_target');
    databases.push(target);
    const restore = await runScript(
      'restore.sh',
      ['--database', target, corrupted],
      envFor(database),
    );
    expect(restore.code).toBe(3);
    expect(restore.stderr).toContain('checksum mismatch');
    expect(await databaseExists(target)).toBe(false);

    const verify = await runScript('verify-backup.sh', [corrupted], envFor(database));
    expect(verify.code).toBe(3);

    const unchecked = path.join(dir, 'hintbook-unchecked.dump');
    await writeFile(unchecked, await readFile(file));
    const missing = await runScript(
      'restore.sh',
      ['--database', target, unchecked],
      envFor(database),
    );
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain('no checksum file');
  });

  it('verifies a backup in a scratch database and drops the scratch database afterwards', async () => {
    const database = await seededDatabase('verify');
    const dir = path.join(workDir, 'verify');
    const file = (await runScript('backup.sh', ['--dir', dir], envFor(database))).stdout.trim();
    const scratchBefore = await psql(
      'postgres',
      "select count(*) from pg_database where datname like 'hintbook_verify_%'",
    );

    const verify = await runScript('verify-backup.sh', [file], envFor(database));
    expect(verify.code, verify.stderr).toBe(0);
    expect(verify.stderr).toMatch(/OK: .* restores 4 tables and 3061 rows/);
    expect(
      await psql(
        'postgres',
        "select count(*) from pg_database where datname like 'hintbook_verify_%'",
      ),
    ).toBe(scratchBefore);
  });

  it('deletes its own backups older than the retention and nothing else', async () => {
    const database = await seededDatabase('retention');
    const dir = path.join(workDir, 'retention');
    const old = new Date(Date.now() - 40 * 86_400_000);
    const recent = new Date(Date.now() - 5 * 86_400_000);
    const files = {
      'hintbook-20200101T000000Z.dump': old,
      'hintbook-20200101T000000Z.dump.sha256': old,
      'hintbook-20200102T000000Z.dump.age': old,
      'hintbook-20991231T000000Z.dump': recent,
      'hintbook-20991231T000000Z.dump.sha256': recent,
      'other-20200101T000000Z.dump': old,
      'notes.txt': old,
    };
    await runScript('backup.sh', ['--dir', dir, '--retention-days', '0'], envFor(database));
    for (const [name, time] of Object.entries(files)) {
      await writeFile(path.join(dir, name), 'x');
      await utimes(path.join(dir, name), time, time);
    }

    const backup = await runScript(
      'backup.sh',
      ['--dir', dir],
      envFor(database, { BACKUP_RETENTION_DAYS: '30' }),
    );
    expect(backup.code, backup.stderr).toBe(0);
    const left = await readdir(dir);
    expect(left).not.toContain('hintbook-20200101T000000Z.dump');
    expect(left).not.toContain('hintbook-20200101T000000Z.dump.sha256');
    expect(left).not.toContain('hintbook-20200102T000000Z.dump.age');
    expect(left).toEqual(
      expect.arrayContaining([
        'hintbook-20991231T000000Z.dump',
        'hintbook-20991231T000000Z.dump.sha256',
        'other-20200101T000000Z.dump',
        'notes.txt',
        path.basename(backup.stdout.trim()),
      ]),
    );
  });

  it.skipIf(!hasAge)(
    'encrypts to an age recipient and restores only with the identity',
    async () => {
      const database = await seededDatabase('age');
      const before = await tableFingerprints(database);
      const dir = path.join(workDir, 'age');
      const identity = path.join(workDir, 'age-identity.txt');
      await execFileAsync('age-keygen', ['-o', identity]);
      const recipient = (await execFileAsync('age-keygen', ['-y', identity])).stdout.trim();

      const backup = await runScript(
        'backup.sh',
        ['--dir', dir],
        envFor(database, { BACKUP_AGE_RECIPIENTS: recipient }),
      );
      expect(backup.code, backup.stderr).toBe(0);
      const file = backup.stdout.trim();
      expect(file).toMatch(/\.dump\.age$/);
      expect((await readFile(file)).includes(Buffer.from('student1@example.org'))).toBe(false);

      const target = uniqueDatabaseName('age_target');
      databases.push(target);
      const withoutKey = await runScript(
        'restore.sh',
        ['--database', target, file],
        envFor(database),
      );
      expect(withoutKey.code).toBe(2);
      const restored = await runScript(
        'restore.sh',
        ['--database', target, '--identity', identity, file],
        envFor(database),
      );
      expect(restored.code, restored.stderr).toBe(0);
      expect(await tableFingerprints(target)).toEqual(before);
    },
  );
});

/** A webhook receiver on loopback: collects the bodies posted to it. */
async function startAlertReceiver() {
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
  const { port } = receiver.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hook`, received, close: () => receiver.close() };
}

/** Runs the backup container's entrypoint on this machine, scripts/ on its PATH. */
async function runSidecar(args: string[], env: Record<string, string>): Promise<ScriptResult> {
  try {
    const { stdout, stderr } = await execFileAsync(
      path.join(repoRoot, 'backup', 'entrypoint.sh'),
      args,
      {
        env: {
          PATH: `${path.join(repoRoot, 'scripts')}:${process.env.PATH ?? '/usr/bin:/bin'}`,
          HOME: os.tmpdir(),
          ...env,
        },
      },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

describe('the backup sidecar when something fails', () => {
  it('--once exits non-zero and posts an alert to BACKUP_ALERT_URL', async () => {
    const receiver = await startAlertReceiver();
    const closedPort = await new Promise<number>((resolve) => {
      const probe = http.createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    const dir = await mkdtemp(path.join(os.tmpdir(), 'hintbook-backup-alert-'));
    try {
      const result = await runSidecar(['--once'], {
        BACKUP_DIR: dir,
        // Nothing listens there: pg_dump fails as it does when the database is down.
        DATABASE_URL: `postgres://nobody:nothing@127.0.0.1:${closedPort}/hintbook`,
        BACKUP_ALERT_URL: receiver.url,
      });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/ALERT: Hintbook backup FAILED/);
      expect(receiver.received).toHaveLength(1);
      const alert = JSON.parse(receiver.received[0]!) as { text: string; source: string };
      expect(alert.source).toBe('hintbook-backup');
      expect(alert.text).toMatch(/^Hintbook backup FAILED at \d{4}-\d\d-\d\dT/);
      expect(await readdir(dir)).toEqual([]);
    } finally {
      receiver.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('--verify exits non-zero and alerts when the newest backup does not restore', async () => {
    const receiver = await startAlertReceiver();
    const dir = await mkdtemp(path.join(os.tmpdir(), 'hintbook-verify-alert-'));
    try {
      // Checksummed, so intact as a file, but not a pg_dump archive.
      const name = 'hintbook-20250101T023000Z.dump';
      await writeFile(path.join(dir, name), 'not a dump');
      await execFileAsync('sh', ['-c', `sha256sum ${name} > ${name}.sha256`], { cwd: dir });
      const result = await runSidecar(['--verify'], {
        BACKUP_DIR: dir,
        DATABASE_URL: 'postgres://nobody:nothing@127.0.0.1:1/hintbook',
        BACKUP_ALERT_URL: receiver.url,
      });
      expect(result.code).toBe(1);
      expect(receiver.received).toHaveLength(1);
      expect(JSON.parse(receiver.received[0]!)).toMatchObject({
        text: expect.stringMatching(/verification FAILED .* for hintbook-20250101T023000Z\.dump/),
      });
    } finally {
      receiver.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

const hasRclone = ['/usr/bin/rclone', '/usr/local/bin/rclone'].some((file) => existsSync(file));

/** rclone's SFTP server on loopback: stands in for the off-site storage. */
async function startSftpServer(root: string) {
  const port = await new Promise<number>((resolve) => {
    const probe = http.createServer().listen(0, '127.0.0.1', () => {
      const { port: free } = probe.address() as AddressInfo;
      probe.close(() => resolve(free));
    });
  });
  const child = spawn(
    'rclone',
    ['serve', 'sftp', root, '--addr', `127.0.0.1:${port}`, '--user', 'offsite', '--pass', 'pw'],
    { env: { PATH: process.env.PATH, HOME: root }, stdio: 'ignore' },
  );
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const isOpen = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => resolve(socket.end() !== undefined));
      socket.on('error', () => resolve(false));
    });
    if (isOpen) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const { stdout: obscured } = await execFileAsync('rclone', ['obscure', 'pw']);
  return {
    remote: `:sftp,host=127.0.0.1,port=${port},user=offsite,pass=${obscured.trim()}:copies`,
    stop: () => child.kill('SIGTERM'),
  };
}

describe.skipIf(!hasAge || !hasRclone)('the off-site copy (rclone, SFTP on loopback)', () => {
  it('copies every backup encrypted off the server, keeps its retention there, and restores from it after the server is lost', async () => {
    const database = await seededDatabase('offsite');
    const before = await tableFingerprints(database);
    const served = await mkdtemp(path.join(workDir, 'sftp-'));
    const sftp = await startSftpServer(served);
    try {
      const keyFile = path.join(workDir, 'offsite.key');
      await execFileAsync('age-keygen', ['-o', keyFile]);
      const recipient = /public key: (age1\w+)/.exec(await readFile(keyFile, 'utf8'))![1]!;
      // A copy from 40 days ago waits off-site: the retention (30 days) removes it.
      const copies = path.join(served, 'copies');
      await mkdir(copies, { recursive: true });
      const stale = path.join(copies, 'hintbook-20200101T023000Z.dump.age');
      await writeFile(stale, 'old');
      const longAgo = new Date(Date.now() - 40 * 24 * 3600 * 1000);
      await utimes(stale, longAgo, longAgo);

      const dir = path.join(workDir, 'offsite-local');
      const refused = await runScript(
        'backup.sh',
        ['--dir', dir],
        envFor(database, { BACKUP_OFFSITE: sftp.remote }),
      );
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(/BACKUP_OFFSITE needs encryption/);

      const backup = await runScript(
        'backup.sh',
        ['--dir', dir],
        envFor(database, { BACKUP_OFFSITE: sftp.remote, BACKUP_AGE_RECIPIENTS: recipient }),
      );
      expect(backup.code, backup.stderr).toBe(0);
      expect(backup.stderr).not.toContain('pass=');
      const name = path.basename(backup.stdout.trim());
      expect((await readdir(copies)).sort()).toEqual([name, `${name}.sha256`]);
      expect((await readFile(path.join(copies, name))).subarray(0, 21).toString()).toBe(
        'age-encryption.org/v1',
      );

      // The server is lost: its backups and its database are gone.
      await rm(dir, { recursive: true, force: true });
      await dropDatabase(database);
      const fetched = path.join(workDir, 'offsite-fetched');
      for (const file of [name, `${name}.sha256`]) {
        await execFileAsync('rclone', [
          'copy',
          '--config',
          '/dev/null',
          `${sftp.remote}/${file}`,
          fetched,
        ]);
      }
      const restore = await runScript(
        'restore.sh',
        ['--identity', keyFile, path.join(fetched, name)],
        envFor(database),
      );
      expect(restore.code, restore.stderr).toBe(0);
      expect(await tableFingerprints(database)).toEqual(before);
    } finally {
      sftp.stop();
    }
  });

  it('fails the backup (exit 1) when the off-site copy cannot be made', async () => {
    const database = await seededDatabase('offsite-down');
    const keyFile = path.join(workDir, 'offsite-down.key');
    await execFileAsync('age-keygen', ['-o', keyFile]);
    const recipient = /public key: (age1\w+)/.exec(await readFile(keyFile, 'utf8'))![1]!;
    const result = await runScript(
      'backup.sh',
      ['--dir', path.join(workDir, 'offsite-down')],
      envFor(database, {
        // Nothing listens on port 1.
        BACKUP_OFFSITE: ':sftp,host=127.0.0.1,port=1,user=x,pass=x:copies',
        BACKUP_AGE_RECIPIENTS: recipient,
      }),
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/off-site copy of .* FAILED/);
  });
});
