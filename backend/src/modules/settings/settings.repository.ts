import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { appSettings } from '../../db/schema/index.js';

export async function findAllSettings(db: Db) {
  return db
    .select({ key: appSettings.key, value: appSettings.value, updatedAt: appSettings.updatedAt })
    .from(appSettings);
}

export async function upsertSetting(
  db: Db,
  key: string,
  value: unknown,
  updatedBy: string,
  now: Date,
): Promise<void> {
  await db
    .insert(appSettings)
    .values({ key, value, updatedBy, updatedAt: now })
    .onConflictDoUpdate({ target: appSettings.key, set: { value, updatedBy, updatedAt: now } });
}

export async function deleteSetting(db: Db, key: string): Promise<void> {
  await db.delete(appSettings).where(eq(appSettings.key, key));
}
