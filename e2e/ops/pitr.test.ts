/**
 * The point-in-time recovery drill on this machine: a PostgreSQL cluster of our own archives its
 * WAL through backup/pgbackrest-archive-push.sh (pgBackRest) to an S3-compatible bucket on loopback, encrypted;
 * scripts/pitr-backup.sh makes the base backup; scripts/restore-pitr.sh restores to a moment, and
 * exactly what was committed before it comes back. A failing archive exits non-zero and alerts.
 *
 * PITR_DRILL_MB=500 pads the database with that many megabytes before the base backup and prints
 * the measured restore time (the figure in docs/operations.md); CI runs it small.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/nginx.js';
import {
  postgresOwnedDir,
  runAsPostgres,
  startCluster,
  startS3Bucket,
  startWebhookReceiver,
  type Cluster,
  type S3Bucket,
} from '../support/pitr.js';

const execFileAsync = promisify(execFile);
const hasTools =
  existsSync('/usr/bin/pgbackrest') && existsSync('/usr/lib/postgresql/15/bin/initdb');
const padMegabytes = Number(process.env.PITR_DRILL_MB ?? '0');

let workDir: string;
let bucket: S3Bucket;
let cluster: Cluster;
let env: Record<string, string>;
let socketDir: string;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Switches to a new WAL segment and waits until the archiver has sent the old one off. */
async function archiveCurrentWal(on: Cluster): Promise<void> {
  const segment = await on.sql('select pg_walfile_name(pg_switch_wal())');
  for (let attempt = 0; attempt < 120; attempt += 1) {
    const last = await on.sql("select coalesce(last_archived_wal, '') from pg_stat_archiver");
    if (last >= segment) return;
    await sleep(500);
  }
  throw new Error(`WAL segment ${segment} was not archived within a minute`);
}

beforeAll(async () => {
  if (!hasTools) return;
  workDir = await mkdtemp(path.join(os.tmpdir(), 'hintbook-pitr-test-'));
  await execFileAsync('chmod', ['755', workDir]);
  bucket = await startS3Bucket(workDir, 'hintbook-offsite');
  const dataDir = path.join(await postgresOwnedDir(path.join(workDir, 'primary')), 'data');
  socketDir = await postgresOwnedDir(path.join(workDir, 'socket'));
  env = {
    ...bucket.repositoryEnv,
    PGBACKREST_PG1_PATH: dataDir,
    PGBACKREST_PG1_SOCKET_PATH: socketDir,
    HINTBOOK_ARCHIVE_STATE: path.join(workDir, 'primary', 'archive-failing'),
  };
  await postgresOwnedDir(env.PGBACKREST_LOCK_PATH!);
  cluster = await startCluster({
    dataDir,
    socketDir,
    env,
    initialise: true,
    // As db/entrypoint.sh sets them in the compose stack.
    settings: [
      'archive_mode=on',
      `archive_command='${path.join(repoRoot, 'backup/pgbackrest-archive-push.sh')} %p'`,
      'archive_timeout=300',
    ],
  });
  env.PGBACKREST_PG1_PORT = String(cluster.port);
});

afterAll(async () => {
  if (!hasTools) return;
  await cluster?.stop();
  bucket?.stop();
  await rm(workDir, { recursive: true, force: true });
});

describe.skipIf(!hasTools)('point-in-time recovery (pgBackRest, S3 on loopback)', () => {
  it('restores to a moment: the rows committed before it are there, none after', async () => {
    await cluster.sql(`
      create table lessons (id int primary key, title text not null);
      insert into lessons select g, 'lesson ' || g from generate_series(1, 1000) g`);
    if (padMegabytes > 0) {
      // ~1 kB of barely compressible text per row: the size the restore time is stated for.
      await cluster.sql(`
        create table padding (id int, body text);
        insert into padding select g, (select string_agg(md5(random()::text || i || g), '')
          from generate_series(1, 32) i) from generate_series(1, ${padMegabytes * 1000}) g`);
    }
    const size = await cluster.sql("select pg_size_pretty(pg_database_size('postgres'))");

    const backup = await runAsPostgres(
      path.join(repoRoot, 'scripts/pitr-backup.sh'),
      ['--type', 'full'],
      env,
    );
    expect(backup.code, backup.stderr).toBe(0);
    expect(backup.stderr).toMatch(/full base backup done/);

    // After the base backup: these must come back from the archived WAL, not from the backup.
    await cluster.sql(
      "insert into lessons select g, 'lesson ' || g from generate_series(1001, 1500) g",
    );
    await sleep(1100);
    const target = await cluster.sql(
      "select to_char(now() at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') || '+00'",
    );
    await sleep(1100);
    // The accident the drill undoes: more work, then a table gone.
    await cluster.sql(
      "insert into lessons select g, 'lesson ' || g from generate_series(1501, 1800) g",
    );
    await cluster.sql('drop table lessons');
    await archiveCurrentWal(cluster);

    // Nothing readable leaves the server: the repository is encrypted.
    const info = await runAsPostgres(
      path.join(repoRoot, 'scripts/restore-pitr.sh'),
      ['--info'],
      env,
    );
    expect(info.code, info.stderr).toBe(0);
    expect(info.stdout).toMatch(/cipher: aes-256-cbc/);
    expect(info.stdout).toMatch(/full backup: /);

    const restoredDir = path.join(await postgresOwnedDir(path.join(workDir, 'restored')), 'data');
    const started = performance.now();
    const restore = await runAsPostgres(
      path.join(repoRoot, 'scripts/restore-pitr.sh'),
      ['--target-time', target, '--data-dir', restoredDir, '--drill'],
      env,
    );
    expect(restore.code, restore.stderr).toBe(0);
    const filesSeconds = (performance.now() - started) / 1000;

    const restored = await startCluster({
      dataDir: restoredDir,
      socketDir,
      env: { ...env, PGBACKREST_PG1_PATH: restoredDir },
      initialise: false,
      settings: [],
    });
    try {
      for (let attempt = 0; attempt < 600; attempt += 1) {
        if ((await restored.sql('select pg_is_in_recovery()')) === 'f') break;
        await sleep(500);
      }
      const totalSeconds = (performance.now() - started) / 1000;
      expect(await restored.sql('select pg_is_in_recovery()')).toBe('f');
      expect(await restored.sql('select count(*), min(id), max(id) from lessons')).toBe(
        '1500|1|1500',
      );
      // A drill's copy does not archive into production's repository.
      expect(await restored.sql('show archive_mode')).toBe('off');
      console.log(
        `PITR drill: database ${size}; files restored in ${filesSeconds.toFixed(1)} s, ` +
          `open for writing after ${totalSeconds.toFixed(1)} s (load ${os.loadavg()[0]!.toFixed(2)})`,
      );
    } finally {
      await restored.stop();
    }

    // The same folder again: refused without --force.
    const again = await runAsPostgres(
      path.join(repoRoot, 'scripts/restore-pitr.sh'),
      ['--target-time', target, '--data-dir', restoredDir],
      env,
    );
    expect(again.code).toBe(4);
    expect(again.stderr).toMatch(/not empty/);
  }, 900_000);

  it('a failing archive exits non-zero, alerts the webhook once, and says when it works again', async () => {
    const receiver = await startWebhookReceiver();
    try {
      const walDir = path.join(env.PGBACKREST_PG1_PATH!, 'pg_wal');
      const segment = (await readdir(walDir)).find((name) => /^[0-9A-F]{24}$/.test(name))!;
      // The bucket is unreachable: nothing listens on port 1.
      const broken = {
        ...env,
        PGBACKREST_REPO1_STORAGE_PORT: '1',
        PGBACKREST_IO_TIMEOUT: '2',
        BACKUP_ALERT_URL: receiver.url,
      };
      const failed = await runAsPostgres(
        path.join(repoRoot, 'backup/pgbackrest-archive-push.sh'),
        [path.join(walDir, segment)],
        broken,
      );
      expect(failed.code).not.toBe(0);
      expect(receiver.received).toHaveLength(1);
      const alert = JSON.parse(receiver.received[0]!) as { text: string; source: string };
      expect(alert.source).toBe('hintbook-wal-archive');
      expect(alert.text).toMatch(new RegExp(`WAL archiving FAILED .*segment ${segment}`));

      // PostgreSQL tries again each minute: one alert, not one per try.
      const retried = await runAsPostgres(
        path.join(repoRoot, 'backup/pgbackrest-archive-push.sh'),
        [path.join(walDir, segment)],
        broken,
      );
      expect(retried.code).not.toBe(0);
      expect(receiver.received).toHaveLength(1);

      // The bucket is back: the segment goes (pgBackRest accepts the same segment twice) and
      // the person who was told hears that it is over.
      const recovered = await runAsPostgres(
        path.join(repoRoot, 'backup/pgbackrest-archive-push.sh'),
        [path.join(walDir, segment)],
        { ...env, BACKUP_ALERT_URL: receiver.url },
      );
      expect(recovered.code, recovered.stderr).toBe(0);
      expect(receiver.received).toHaveLength(2);
      expect(JSON.parse(receiver.received[1]!)).toMatchObject({
        text: expect.stringMatching(/WAL archiving works again/),
      });
    } finally {
      receiver.close();
    }
  });
});
