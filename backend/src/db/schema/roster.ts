import { sql } from 'drizzle-orm';
import {
  index,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { modules } from './learning.js';
import { users } from './users.js';

/** A class or set of students ("Year 9 B"); admin views filter by it. */
export const classGroups = pgTable(
  'class_groups',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [uniqueIndex('class_groups_name_lower_idx').on(sql`lower(${table.name})`)],
);

export const classGroupMembers = pgTable(
  'class_group_members',
  {
    groupId: uuid('group_id')
      .notNull()
      .references(() => classGroups.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.groupId, table.userId] }),
    index('class_group_members_user_idx').on(table.userId),
  ],
);

/**
 * A roster entry for someone without an account yet: a single-use link (stored hashed) that lets
 * that address register whatever REGISTRATION_MODE says, and puts the account in its group.
 */
export const invitations = pgTable(
  'invitations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Lower-cased; registering with the link requires exactly this address. */
    email: text('email').notNull(),
    name: text('name'),
    groupId: uuid('group_id').references(() => classGroups.id, { onDelete: 'set null' }),
    tokenHash: text('token_hash').notNull().unique(),
    /** `email` (mailed: registering through it verifies the address) or `link` (handed out). */
    deliveredBy: text('delivered_by').notNull(),
    invitedBy: uuid('invited_by').references(() => users.id, { onDelete: 'set null' }),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    acceptedAt: timestamp('accepted_at', { withTimezone: true }),
    acceptedUserId: uuid('accepted_user_id').references(() => users.id, { onDelete: 'set null' }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('invitations_email_idx').on(table.email, table.createdAt)],
);

/**
 * Modules meant for some groups only. A module with no rows here is for everyone; with rows, only
 * members of those groups (and admins) see it, its notebooks, exercises and course passages.
 */
export const moduleGroups = pgTable(
  'module_groups',
  {
    moduleId: uuid('module_id')
      .notNull()
      .references(() => modules.id, { onDelete: 'cascade' }),
    groupId: uuid('group_id')
      .notNull()
      .references(() => classGroups.id, { onDelete: 'cascade' }),
  },
  (table) => [
    primaryKey({ columns: [table.moduleId, table.groupId] }),
    index('module_groups_group_idx').on(table.groupId),
  ],
);
