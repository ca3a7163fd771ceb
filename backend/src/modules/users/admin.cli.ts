import { loadConfig, loadDotEnvFile } from '../../config/env.js';
import { openDatabaseOrExit } from '../../db/open-or-exit.js';
import { applyMigrations } from '../../db/migrate.js';
import { systemClock } from '../../lib/clock.js';
import { createPasswordHasher } from '../../lib/password-hasher.js';
import {
  OperatorError,
  createAdmin,
  listAdmins,
  promoteAdmin,
  revokeAdmin,
  type ListedAdmin,
} from './operator-admin.service.js';

// `npm run admin -- <command>` (or `scripts/admin.sh <command>` with Docker): the operator's
// way to confirm who the admins are. It reads the same settings as the server.
const USAGE = `Usage: npm run admin -- <command>
  list                     every ADMIN_EMAIL address and whether its account is admin yet
  promote EMAIL            confirm that the account with this listed address is your admin's
  revoke EMAIL             take that back: the account stays, without admin rights
  create EMAIL USERNAME    make a listed admin's account (for closed registration); prints a
                           one-time password to change after signing in`;

const STATES: Record<ListedAdmin['state'], string> = {
  admin: 'admin',
  unverified: 'registered, address not verified: not admin (promote it if it is theirs)',
  not_registered: 'no account yet',
  disabled: 'account disabled',
};

/** Results go to stdout (for scripts); problems to stderr. */
const say = (line: string) => process.stdout.write(`${line}\n`);

loadDotEnvFile();
const [command, ...args] = process.argv.slice(2);
if (!command || command === '--help' || command === '-h') {
  say(USAGE);
  process.exit(command ? 0 : 2);
}
const config = loadConfig();
const database = openDatabaseOrExit({ url: config.database.url, dataDir: config.database.dataDir });
const deps = { db: database.db, adminEmails: config.auth.adminEmails, clock: systemClock };
let exitCode = 0;
try {
  await applyMigrations(database, config.database.migrationsDir);
  exitCode = await run(command, args);
} catch (error) {
  if (!(error instanceof OperatorError)) throw error;
  console.error(error.message);
  exitCode = 1;
} finally {
  await database.close();
}
process.exit(exitCode);

async function run(name: string, rest: string[]): Promise<number> {
  const [email, username] = rest;
  switch (name) {
    case 'list': {
      if (config.auth.adminEmails.length === 0) say('ADMIN_EMAIL is empty.');
      for (const admin of await listAdmins(deps)) {
        const via = admin.verifiedVia ? ` (verified by ${admin.verifiedVia})` : '';
        say(`${admin.email}: ${STATES[admin.state]}${admin.state === 'admin' ? via : ''}`);
      }
      return 0;
    }
    case 'promote': {
      if (!email) break;
      const user = await promoteAdmin(deps, email);
      say(`${user.email} (${user.username}) is admin now; it takes effect at once.`);
      return 0;
    }
    case 'revoke': {
      if (!email) break;
      await revokeAdmin(deps, email);
      say(`${email} is no longer verified and not admin.`);
      return 0;
    }
    case 'create': {
      if (!email || !username) break;
      const passwords = createPasswordHasher({
        rounds: config.auth.bcryptRounds,
        maxConcurrent: 1,
      });
      const created = await createAdmin({ ...deps, passwords }, email, username);
      say(`Created ${created.user.email} (${created.user.username}), admin.`);
      say(`One-time password: ${created.password}`);
      say('Sign in with it and change it under Profile.');
      return 0;
    }
  }
  console.error(USAGE);
  return 2;
}
