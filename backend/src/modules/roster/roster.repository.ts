import { and, count, desc, eq, gt, inArray, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import {
  classGroupMembers,
  classGroups,
  invitations,
  moduleGroups,
  modules,
  users,
} from '../../db/schema/index.js';

export type InvitationRow = typeof invitations.$inferSelect;

/** Finds groups by name (case-insensitive), creating the missing ones; returns name → id. */
export async function findOrCreateGroups(
  db: Db,
  names: string[],
  now: Date,
): Promise<{ ids: Map<string, string>; created: string[] }> {
  const ids = new Map<string, string>();
  const created: string[] = [];
  for (const name of names) {
    const key = name.toLowerCase();
    if (ids.has(key)) continue;
    const [existing] = await db
      .select({ id: classGroups.id })
      .from(classGroups)
      .where(eq(sql`lower(${classGroups.name})`, key));
    if (existing) {
      ids.set(key, existing.id);
      continue;
    }
    const [row] = await db
      .insert(classGroups)
      .values({ name, createdAt: now })
      .onConflictDoNothing()
      .returning({ id: classGroups.id });
    if (row) {
      ids.set(key, row.id);
      created.push(name);
    } else {
      // A concurrent import created it first.
      const [again] = await db
        .select({ id: classGroups.id })
        .from(classGroups)
        .where(eq(sql`lower(${classGroups.name})`, key));
      ids.set(key, again!.id);
    }
  }
  return { ids, created };
}

/** Adds the membership; false when the user was in the group already. */
export async function addGroupMember(db: Db, groupId: string, userId: string, now: Date) {
  const added = await db
    .insert(classGroupMembers)
    .values({ groupId, userId, createdAt: now })
    .onConflictDoNothing()
    .returning({ userId: classGroupMembers.userId });
  return added.length > 0;
}

export async function findUserIdsByEmails(db: Db, emails: string[]) {
  if (emails.length === 0) return new Map<string, string>();
  const rows = await db
    .select({ id: users.id, email: users.email })
    .from(users)
    .where(inArray(sql`lower(${users.email})`, emails));
  return new Map(rows.map((row) => [row.email.toLowerCase(), row.id]));
}

export async function createInvitation(
  db: Db,
  values: Omit<typeof invitations.$inferInsert, 'id'>,
): Promise<InvitationRow> {
  const [row] = await db.insert(invitations).values(values).returning();
  return row!;
}

/** Ends every open invitation of an address: only the newest link works. */
export async function revokeOpenInvitations(db: Db, email: string, now: Date): Promise<number> {
  const revoked = await db
    .update(invitations)
    .set({ revokedAt: now })
    .where(
      and(
        eq(invitations.email, email),
        isNull(invitations.acceptedAt),
        isNull(invitations.revokedAt),
      ),
    )
    .returning({ id: invitations.id });
  return revoked.length;
}

export async function revokeInvitation(db: Db, id: string, now: Date): Promise<boolean> {
  const revoked = await db
    .update(invitations)
    .set({ revokedAt: now })
    .where(
      and(eq(invitations.id, id), isNull(invitations.acceptedAt), isNull(invitations.revokedAt)),
    )
    .returning({ id: invitations.id });
  return revoked.length > 0;
}

export async function findInvitationByHash(db: Db, tokenHash: string) {
  const [row] = await db
    .select({ invitation: invitations, group: classGroups.name })
    .from(invitations)
    .leftJoin(classGroups, eq(classGroups.id, invitations.groupId))
    .where(eq(invitations.tokenHash, tokenHash));
  return row;
}

/** Spends an invitation; false when it was used or revoked meanwhile. */
export async function markInvitationAccepted(db: Db, id: string, userId: string, now: Date) {
  const accepted = await db
    .update(invitations)
    .set({ acceptedAt: now, acceptedUserId: userId })
    .where(
      and(eq(invitations.id, id), isNull(invitations.acceptedAt), isNull(invitations.revokedAt)),
    )
    .returning({ id: invitations.id });
  return accepted.length > 0;
}

export async function listInvitations(db: Db, limit: number) {
  return db
    .select({
      id: invitations.id,
      email: invitations.email,
      name: invitations.name,
      group: classGroups.name,
      deliveredBy: invitations.deliveredBy,
      acceptedAt: invitations.acceptedAt,
      revokedAt: invitations.revokedAt,
      expiresAt: invitations.expiresAt,
      createdAt: invitations.createdAt,
    })
    .from(invitations)
    .leftJoin(classGroups, eq(classGroups.id, invitations.groupId))
    .orderBy(desc(invitations.createdAt))
    .limit(limit);
}

export async function listGroupsWithCounts(db: Db, now: Date) {
  const members = db
    .select({ groupId: classGroupMembers.groupId, value: count().as('members') })
    .from(classGroupMembers)
    .groupBy(classGroupMembers.groupId)
    .as('members');
  const pending = db
    .select({ groupId: invitations.groupId, value: count().as('pending') })
    .from(invitations)
    .where(
      and(
        isNull(invitations.acceptedAt),
        isNull(invitations.revokedAt),
        gt(invitations.expiresAt, now),
      ),
    )
    .groupBy(invitations.groupId)
    .as('pending');
  return db
    .select({
      id: classGroups.id,
      name: classGroups.name,
      memberCount: sql<number>`coalesce(${members.value}, 0)::int`,
      pendingInvitations: sql<number>`coalesce(${pending.value}, 0)::int`,
    })
    .from(classGroups)
    .leftJoin(members, eq(members.groupId, classGroups.id))
    .leftJoin(pending, eq(pending.groupId, classGroups.id))
    .orderBy(classGroups.name);
}

/** The newest open invitation for an address (school sign-in accepts it without the link). */
export async function findOpenInvitationByEmail(db: Db, email: string, now: Date) {
  const [row] = await db
    .select()
    .from(invitations)
    .where(
      and(
        eq(invitations.email, email),
        isNull(invitations.acceptedAt),
        isNull(invitations.revokedAt),
        gt(invitations.expiresAt, now),
      ),
    )
    .orderBy(desc(invitations.createdAt))
    .limit(1);
  return row;
}

/** The groups someone belongs to and the invitations sent to them, for their data export. */
export async function findRosterDataOf(db: Db, userId: string, email: string) {
  const [groups, invited] = await Promise.all([
    db
      .select({ name: classGroups.name, joinedAt: classGroupMembers.createdAt })
      .from(classGroupMembers)
      .innerJoin(classGroups, eq(classGroups.id, classGroupMembers.groupId))
      .where(eq(classGroupMembers.userId, userId)),
    db
      .select({
        email: invitations.email,
        name: invitations.name,
        deliveredBy: invitations.deliveredBy,
        createdAt: invitations.createdAt,
        acceptedAt: invitations.acceptedAt,
      })
      .from(invitations)
      .where(
        sql`${invitations.email} = ${email.toLowerCase()} or ${invitations.acceptedUserId} = ${userId}`,
      ),
  ]);
  return { groups, invitations: invited };
}

/** Invitations keep an address after the account is gone: deleting the account deletes them. */
export async function deleteInvitationsOf(db: Db, userId: string, email: string): Promise<void> {
  await db
    .delete(invitations)
    .where(
      sql`${invitations.email} = ${email.toLowerCase()} or ${invitations.acceptedUserId} = ${userId}`,
    );
}

export async function findModuleGroupIds(db: Db, moduleId: string): Promise<string[]> {
  const rows = await db
    .select({ groupId: moduleGroups.groupId })
    .from(moduleGroups)
    .where(eq(moduleGroups.moduleId, moduleId));
  return rows.map((row) => row.groupId);
}

/** Replaces who the module is for; unknown group ids are left out. */
export async function replaceModuleGroups(db: Db, moduleId: string, groupIds: string[]) {
  await db.delete(moduleGroups).where(eq(moduleGroups.moduleId, moduleId));
  const known = await existingGroupIds(db, groupIds);
  if (known.length > 0) {
    await db.insert(moduleGroups).values(known.map((groupId) => ({ moduleId, groupId })));
  }
  return known;
}

/** The ids among `groupIds` that name a group: a deleted or made-up one is left out. */
async function existingGroupIds(db: Db, groupIds: string[]): Promise<string[]> {
  if (groupIds.length === 0) return [];
  const rows = await db
    .select({ id: classGroups.id })
    .from(classGroups)
    .where(inArray(classGroups.id, groupIds));
  return rows.map((row) => row.id);
}

export async function findUserGroupIds(db: Db, userId: string): Promise<string[]> {
  const rows = await db
    .select({ groupId: classGroupMembers.groupId })
    .from(classGroupMembers)
    .where(eq(classGroupMembers.userId, userId));
  return rows.map((row) => row.groupId);
}

/** Replaces the groups a person is in; unknown group ids are left out. */
export async function replaceUserGroups(db: Db, userId: string, groupIds: string[], now: Date) {
  await db.delete(classGroupMembers).where(eq(classGroupMembers.userId, userId));
  const known = await existingGroupIds(db, groupIds);
  if (known.length > 0) {
    await db
      .insert(classGroupMembers)
      .values(known.map((groupId) => ({ groupId, userId, createdAt: now })));
  }
  return known;
}

export async function userExists(db: Db, userId: string): Promise<boolean> {
  const [row] = await db.select({ id: users.id }).from(users).where(eq(users.id, userId));
  return Boolean(row);
}

export async function moduleExists(db: Db, moduleId: string): Promise<boolean> {
  const [row] = await db.select({ id: modules.id }).from(modules).where(eq(modules.id, moduleId));
  return Boolean(row);
}
