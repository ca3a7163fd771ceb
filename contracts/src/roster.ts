import { z } from 'zod';

/**
 * Class rosters: an admin pastes or uploads a class list; people without an account get an
 * invitation (mailed, or a link to hand out), everyone listed joins the row's group.
 */

export const importRosterBodySchema = z.strictObject({
  /** A CSV export (email, name, group) or addresses separated by lines, commas or semicolons. */
  text: z.string().min(1, { message: 'Paste a class list or choose a file' }).max(200_000),
  /** Mail each invitation (needs SMTP); otherwise the response carries links to hand out. */
  sendEmails: z.boolean().default(false),
});
export type ImportRosterBody = z.input<typeof importRosterBodySchema>;

export const rosterRowOutcomeSchema = z.enum([
  'invited',
  'invitation_renewed',
  'added_to_group',
  'has_account',
  'rejected',
]);

export const rosterRowResultSchema = z.object({
  line: z.number().int(),
  email: z.string(),
  name: z.string().nullable(),
  group: z.string().nullable(),
  outcome: rosterRowOutcomeSchema,
  message: z.string(),
  /** Present for invitations that were not mailed: the link to hand out (shown once). */
  inviteUrl: z.string().optional(),
});
export type RosterRowResult = z.infer<typeof rosterRowResultSchema>;

export const importRosterResponseSchema = z.object({
  rows: z.array(rosterRowResultSchema),
  groupsCreated: z.array(z.string()),
});
export type ImportRosterResponse = z.infer<typeof importRosterResponseSchema>;

export const invitationStatusSchema = z.enum(['pending', 'accepted', 'expired', 'revoked']);

export const invitationSchema = z.object({
  id: z.uuid(),
  email: z.string(),
  name: z.string().nullable(),
  group: z.string().nullable(),
  status: invitationStatusSchema,
  deliveredBy: z.enum(['email', 'link']),
  createdAt: z.string(),
  expiresAt: z.string(),
});
export type Invitation = z.infer<typeof invitationSchema>;

export const listInvitationsResponseSchema = z.object({ invitations: z.array(invitationSchema) });
export type ListInvitationsResponse = z.infer<typeof listInvitationsResponseSchema>;

export const classGroupSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  memberCount: z.number().int(),
  pendingInvitations: z.number().int(),
});
export type ClassGroup = z.infer<typeof classGroupSchema>;

export const listClassGroupsResponseSchema = z.object({ groups: z.array(classGroupSchema) });
export type ListClassGroupsResponse = z.infer<typeof listClassGroupsResponseSchema>;

/** `POST /api/auth/invitation`: what the registration page shows for an invitation link. */
export const invitationLookupBodySchema = z.object({ token: z.string().trim().min(20).max(200) });
export const invitationLookupResponseSchema = z.object({
  email: z.string(),
  name: z.string().nullable(),
  group: z.string().nullable(),
});
export type InvitationLookupResponse = z.infer<typeof invitationLookupResponseSchema>;

const groupIdsSchema = z.array(z.uuid()).max(200);

/** `GET/PUT /api/admin/module-groups/:moduleId`: who a module is for (none: everyone). */
export const moduleGroupsBodySchema = z.strictObject({ groupIds: groupIdsSchema });
export type ModuleGroupsBody = z.infer<typeof moduleGroupsBodySchema>;
export const moduleGroupsResponseSchema = z.object({ groupIds: groupIdsSchema });

/**
 * `GET/PUT /api/admin/user-groups/:userId`: the groups a person is in, which decide the modules
 * they see when a module is for some groups only. A student who changes class moves here.
 */
export const userGroupsBodySchema = z.strictObject({ groupIds: groupIdsSchema });
export type UserGroupsBody = z.infer<typeof userGroupsBodySchema>;
export const userGroupsResponseSchema = userGroupsBodySchema;
