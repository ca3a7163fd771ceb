import type { MailMessage } from './mailer.js';

/** Text and HTML bodies for the mails Hintbook sends; plain wording, one link each. */

interface LinkMail {
  to: string;
  username: string;
  url: string;
  validFor: string;
}

export function verificationMail({ to, username, url, validFor }: LinkMail): MailMessage {
  return withLink({
    to,
    subject: 'Confirm your email address for Hintbook',
    greeting: `Hello ${username},`,
    lines: ['Please confirm that this is your email address by opening this link:'],
    url,
    button: 'Confirm my email address',
    footer: [
      `The link works once, for ${validFor}.`,
      'If you did not create a Hintbook account, ignore this email.',
    ],
  });
}

export function passwordResetMail({ to, username, url, validFor }: LinkMail): MailMessage {
  return withLink({
    to,
    subject: 'Reset your Hintbook password',
    greeting: `Hello ${username},`,
    lines: ['Someone asked to reset the password of your Hintbook account. To choose a new one:'],
    url,
    button: 'Choose a new password',
    footer: [
      `The link works once, for ${validFor}. Setting a new password signs you out everywhere.`,
      'If you did not ask for this, ignore this email: your password stays as it is.',
    ],
  });
}

export function invitationMail(input: {
  to: string;
  name: string | null;
  group: string | null;
  url: string;
  validFor: string;
}): MailMessage {
  return withLink({
    to: input.to,
    subject: 'You are invited to Hintbook, your coding tutor',
    greeting: input.name ? `Hello ${input.name},` : 'Hello,',
    lines: [
      `Your teacher invited you to Hintbook${input.group ? ` with ${input.group}` : ''}: a tutor that helps you learn to code with hints, and Python right in your browser. Create your account here:`,
    ],
    url: input.url,
    button: 'Create my account',
    footer: [
      `The link works once, for ${input.validFor}, and only for this email address.`,
      'If you did not expect this, ignore this email.',
    ],
  });
}

interface LinkMailParts {
  to: string;
  subject: string;
  greeting: string;
  lines: string[];
  url: string;
  button: string;
  footer: string[];
}

function withLink(parts: LinkMailParts): MailMessage {
  const text = [parts.greeting, '', ...parts.lines, '', parts.url, '', ...parts.footer, ''].join(
    '\n',
  );
  const paragraphs = (lines: string[]) =>
    lines.map((line) => `<p>${escapeHtml(line)}</p>`).join('');
  const html = `<!doctype html><html><body style="font-family:sans-serif;line-height:1.5">
<p>${escapeHtml(parts.greeting)}</p>${paragraphs(parts.lines)}
<p><a href="${escapeHtml(parts.url)}" style="display:inline-block;padding:0.6em 1em;background:#1f5fbf;color:#fff;text-decoration:none;border-radius:4px">${escapeHtml(parts.button)}</a></p>
<p style="font-size:0.9em">Or paste this address into your browser: ${escapeHtml(parts.url)}</p>
${paragraphs(parts.footer)}</body></html>`;
  return { to: parts.to, subject: parts.subject, text, html };
}

function escapeHtml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** "30 minutes", "7 days": for the sentence saying how long a link works. */
export function describeDuration(seconds: number): string {
  const units: Array<[number, string]> = [
    [86400, 'day'],
    [3600, 'hour'],
    [60, 'minute'],
  ];
  for (const [size, name] of units) {
    if (seconds >= size && seconds % size === 0) {
      const count = seconds / size;
      return `${count} ${name}${count === 1 ? '' : 's'}`;
    }
  }
  return `${seconds} seconds`;
}
