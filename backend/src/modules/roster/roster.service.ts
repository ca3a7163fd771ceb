/**
 * Class rosters: the admin's class list becomes groups, memberships and invitations. People
 * with an account join the row's group at once; the others get a single-use invitation, mailed
 * or handed out as a link. Registering through it ignores REGISTRATION_MODE (the teacher chose
 * these people) and joins the group; a mailed one also verifies the address.
 */
import type {
  ClassGroup,
  ImportRosterResponse,
  Invitation,
  InvitationLookupResponse,
  RosterRowResult,
} from '@hintbook/contracts';
import type { Config } from '../../config/env.js';
import type { Db } from '../../db/client.js';
import { withTransaction } from '../../db/transaction.js';
import type { Clock } from '../../lib/clock.js';
import type { Logger } from '../../lib/logger.js';
import { generateSecretToken, hashSecretToken } from '../../lib/secret-tokens.js';
import { recordAudit, type AuditActor } from '../audit/audit.service.js';
import { mailNotConfigured } from '../mail/mail.errors.js';
import { describeDuration, invitationMail } from '../mail/mail.templates.js';
import { sendInBackground, type Mailer } from '../mail/mailer.js';
import {
  invitationForOtherEmail,
  invitationInvalid,
  invitationNotFound,
  moduleNotFoundForGroups,
  userNotFoundForGroups,
} from './roster.errors.js';
import { parseRoster } from './roster-text.js';
import {
  addGroupMember,
  createInvitation,
  deleteInvitationsOf,
  findRosterDataOf,
  findModuleGroupIds,
  findUserGroupIds,
  moduleExists,
  replaceModuleGroups,
  replaceUserGroups,
  userExists,
  findInvitationByHash,
  findOpenInvitationByEmail,
  findOrCreateGroups,
  findUserIdsByEmails,
  listGroupsWithCounts,
  listInvitations as findInvitations,
  markInvitationAccepted,
  revokeInvitation as revokeInvitationRow,
  revokeOpenInvitations,
} from './roster.repository.js';

export interface RosterDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  mailer: Mailer;
  mail: Config['mail'];
}

export async function importRoster(
  deps: RosterDeps,
  actor: AuditActor,
  body: { text: string; sendEmails: boolean },
): Promise<ImportRosterResponse> {
  if (body.sendEmails && !deps.mailer.isConfigured) throw mailNotConfigured();
  const parsed = parseRoster(body.text);
  const now = deps.clock();
  const results: RosterRowResult[] = parsed.rejected.map((row) => ({
    line: row.line,
    email: row.text,
    name: null,
    group: null,
    outcome: 'rejected',
    message: row.reason,
  }));
  const mails: Array<Parameters<typeof invitationMail>[0]> = [];
  const groupsCreated = await withTransaction(deps.db, async (db) => {
    const groupNames = parsed.rows.flatMap((row) => (row.group ? [row.group] : []));
    const groups = await findOrCreateGroups(db, groupNames, now);
    const accounts = await findUserIdsByEmails(
      db,
      parsed.rows.map((row) => row.email),
    );
    for (const row of parsed.rows) {
      const groupId = row.group ? groups.ids.get(row.group.toLowerCase())! : null;
      const userId = accounts.get(row.email);
      const base = { line: row.line, email: row.email, name: row.name, group: row.group };
      if (userId) {
        const isAdded = groupId ? await addGroupMember(db, groupId, userId, now) : false;
        results.push({
          ...base,
          outcome: isAdded ? 'added_to_group' : 'has_account',
          message: isAdded
            ? `Has an account: added to ${row.group}`
            : groupId
              ? `Has an account, already in ${row.group}`
              : 'Has an account already',
        });
        continue;
      }
      const renewed = (await revokeOpenInvitations(db, row.email, now)) > 0;
      const token = generateSecretToken();
      await createInvitation(db, {
        email: row.email,
        name: row.name,
        groupId,
        tokenHash: hashSecretToken(token),
        deliveredBy: body.sendEmails ? 'email' : 'link',
        invitedBy: actor.id,
        expiresAt: new Date(now.getTime() + deps.mail.invitationTtlSeconds * 1000),
        createdAt: now,
      });
      const url = `${deps.mail.publicUrl}/register#invite=${token}`;
      if (body.sendEmails) {
        mails.push({
          to: row.email,
          name: row.name,
          group: row.group,
          url,
          validFor: describeDuration(deps.mail.invitationTtlSeconds),
        });
      }
      results.push({
        ...base,
        outcome: renewed ? 'invitation_renewed' : 'invited',
        message: `${renewed ? 'New invitation (the earlier one stops working)' : 'Invited'}${body.sendEmails ? ': email on its way' : ': hand out the link'}`,
        ...(body.sendEmails ? {} : { inviteUrl: url }),
      });
    }
    await recordAudit(
      db,
      actor,
      {
        action: 'roster.import',
        targetType: 'roster',
        details: {
          rows: parsed.rows.length,
          rejected: parsed.rejected.length,
          invited: results.filter(
            (r) => r.outcome === 'invited' || r.outcome === 'invitation_renewed',
          ).length,
          groupsCreated: groups.created,
          emailed: body.sendEmails,
        },
      },
      now,
    );
    return groups.created;
  });
  // Only after the rows are stored: a mail never points at an invitation that was rolled back.
  for (const mail of mails)
    sendInBackground(deps.mailer, deps.logger, invitationMail(mail), 'invitation');
  results.sort((a, b) => a.line - b.line);
  return { rows: results, groupsCreated };
}

export async function listInvitations(
  deps: Pick<RosterDeps, 'db' | 'clock'>,
): Promise<Invitation[]> {
  const now = deps.clock();
  const rows = await findInvitations(deps.db, 500);
  return rows.map((row) => ({
    id: row.id,
    email: row.email,
    name: row.name,
    group: row.group,
    status: row.acceptedAt
      ? 'accepted'
      : row.revokedAt
        ? 'revoked'
        : row.expiresAt <= now
          ? 'expired'
          : 'pending',
    deliveredBy: row.deliveredBy === 'email' ? 'email' : 'link',
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
  }));
}

export async function revokeInvitation(
  deps: Pick<RosterDeps, 'db' | 'clock'>,
  actor: AuditActor,
  id: string,
): Promise<void> {
  const now = deps.clock();
  await withTransaction(deps.db, async (db) => {
    if (!(await revokeInvitationRow(db, id, now))) throw invitationNotFound();
    await recordAudit(
      db,
      actor,
      { action: 'invitation.revoke', targetType: 'invitation', targetId: id },
      now,
    );
  });
}

export async function listGroups(deps: Pick<RosterDeps, 'db' | 'clock'>): Promise<ClassGroup[]> {
  return listGroupsWithCounts(deps.db, deps.clock());
}

/** What the registration page shows for a link; refuses spent, revoked and expired ones. */
export async function lookUpInvitation(
  deps: Pick<RosterDeps, 'db' | 'clock'>,
  token: string,
): Promise<InvitationLookupResponse> {
  const found = await findUsableInvitation(deps.db, token, deps.clock());
  return { email: found.invitation.email, name: found.invitation.name, group: found.group };
}

/** For registration: the open invitation behind `token`, for exactly this address. */
export async function findInvitationFor(db: Db, token: string, email: string, now: Date) {
  const found = await findUsableInvitation(db, token, now);
  if (found.invitation.email !== email.toLowerCase()) {
    throw invitationForOtherEmail(found.invitation.email);
  }
  return found.invitation;
}

/**
 * Spends the invitation for the new account (inside the registration's transaction) and joins
 * its group. Returns whether the address is now shown to be theirs (the link was mailed there).
 */
export async function acceptInvitation(
  db: Db,
  invitation: { id: string; groupId: string | null; deliveredBy: string },
  userId: string,
  now: Date,
): Promise<{ provesEmail: boolean }> {
  if (!(await markInvitationAccepted(db, invitation.id, userId, now))) throw invitationInvalid();
  if (invitation.groupId) await addGroupMember(db, invitation.groupId, userId, now);
  return { provesEmail: invitation.deliveredBy === 'email' };
}

async function findUsableInvitation(db: Db, token: string, now: Date) {
  const found = await findInvitationByHash(db, hashSecretToken(token));
  const invitation = found?.invitation;
  if (
    !found ||
    !invitation ||
    invitation.acceptedAt ||
    invitation.revokedAt ||
    invitation.expiresAt <= now
  ) {
    throw invitationInvalid();
  }
  return found;
}

/** For school sign-in: the provider vouched for the address, so its open invitation applies. */
export function findInvitationByEmail(db: Db, email: string, now: Date) {
  return findOpenInvitationByEmail(db, email.toLowerCase(), now);
}

/** For the account export: group memberships and invitations of this person. */
export function exportRosterData(db: Db, user: { id: string; email: string }) {
  return findRosterDataOf(db, user.id, user.email);
}

/** For account deletion: nothing of the roster may keep the address. */
export function forgetInvitations(db: Db, user: { id: string; email: string }) {
  return deleteInvitationsOf(db, user.id, user.email);
}

export async function getModuleGroups(deps: Pick<RosterDeps, 'db'>, moduleId: string) {
  if (!(await moduleExists(deps.db, moduleId))) throw moduleNotFoundForGroups();
  return { groupIds: await findModuleGroupIds(deps.db, moduleId) };
}

/** Who a module is for: none means everyone; audited, as it changes what students see. */
export async function setModuleGroups(
  deps: Pick<RosterDeps, 'db' | 'clock'>,
  actor: AuditActor,
  moduleId: string,
  groupIds: string[],
) {
  const now = deps.clock();
  return withTransaction(deps.db, async (db) => {
    if (!(await moduleExists(db, moduleId))) throw moduleNotFoundForGroups();
    const stored = await replaceModuleGroups(db, moduleId, [...new Set(groupIds)]);
    await recordAudit(
      db,
      actor,
      {
        action: 'module.groups',
        targetType: 'module',
        targetId: moduleId,
        details: { groupIds: stored },
      },
      now,
    );
    return { groupIds: stored };
  });
}

export async function getUserGroups(deps: Pick<RosterDeps, 'db'>, userId: string) {
  if (!(await userExists(deps.db, userId))) throw userNotFoundForGroups();
  return { groupIds: await findUserGroupIds(deps.db, userId) };
}

/** The groups a person is in: audited, as it changes which modules they see. */
export async function setUserGroups(
  deps: Pick<RosterDeps, 'db' | 'clock'>,
  actor: AuditActor,
  userId: string,
  groupIds: string[],
) {
  const now = deps.clock();
  return withTransaction(deps.db, async (db) => {
    if (!(await userExists(db, userId))) throw userNotFoundForGroups();
    const stored = await replaceUserGroups(db, userId, [...new Set(groupIds)], now);
    await recordAudit(
      db,
      actor,
      {
        action: 'user.groups',
        targetType: 'user',
        targetId: userId,
        details: { groupIds: stored },
      },
      now,
    );
    return { groupIds: stored };
  });
}
