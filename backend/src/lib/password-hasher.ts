import bcrypt from 'bcrypt';
import { createSemaphore } from './semaphore.js';

/**
 * bcrypt behind a concurrency cap. The async API already runs on libuv's thread pool, off the
 * event loop; the cap keeps a login burst from occupying every pool thread. A primitive, not a
 * policy (auth's passwords.ts decides what a good password is), so it sits in lib/: auth signs
 * in with it and the operator's CLI in users creates accounts with it.
 */
export function createPasswordHasher(options: { rounds: number; maxConcurrent: number }) {
  const semaphore = createSemaphore(options.maxConcurrent);
  // Compared against when the email is unknown, so both answers take the same time.
  const dummyHash = bcrypt.hashSync('hintbook-timing-equaliser', options.rounds);

  return {
    hash: (password: string) => semaphore.run(() => bcrypt.hash(password, options.rounds)),
    verify: (password: string, hash: string) => semaphore.run(() => bcrypt.compare(password, hash)),
    verifyAgainstDummy: (password: string) =>
      semaphore.run(() => bcrypt.compare(password, dummyHash)).then(() => false),
  };
}

export type PasswordHasher = ReturnType<typeof createPasswordHasher>;
