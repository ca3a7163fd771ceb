/**
 * Who is admin. Being listed in ADMIN_EMAIL is not enough: the account must also have shown that
 * it owns the address (email link, OpenID Connect claim, or an operator at a shell). Otherwise
 * anyone who registers a listed address before its owner does would take the admin panel.
 */
export function shouldBeAdmin(
  user: { email: string; emailVerifiedAt: Date | null },
  adminEmails: readonly string[],
): boolean {
  return user.emailVerifiedAt !== null && adminEmails.includes(user.email.toLowerCase());
}
