/**
 * A real SMTP server on loopback that keeps every mail it receives, parsed: tests read the
 * verification and reset mails the way a person reads their inbox, links included.
 */
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface CaughtMail {
  to: string;
  subject: string;
  text: string;
  html: string;
}

export interface MailCatcher {
  /** For SMTP_URL. */
  url: string;
  mails: CaughtMail[];
  /** Resolves with the first mail to `to` (lower-cased) that matches, waiting up to 10 s. */
  waitForMail(to: string, match?: (mail: CaughtMail) => boolean): Promise<CaughtMail>;
  close(): Promise<void>;
}

export async function startMailCatcher(): Promise<MailCatcher> {
  const mails: CaughtMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream).then(
        (parsed) => {
          const to = Array.isArray(parsed.to) ? parsed.to[0] : parsed.to;
          mails.push({
            to: (to?.value[0]?.address ?? '').toLowerCase(),
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
            html: typeof parsed.html === 'string' ? parsed.html : '',
          });
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;

  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    async waitForMail(to, match = () => true) {
      const deadline = Date.now() + 10_000;
      for (;;) {
        const found = mails.find((mail) => mail.to === to.toLowerCase() && match(mail));
        if (found) return found;
        if (Date.now() > deadline) {
          throw new Error(
            `no mail to ${to} within 10 s; got: ${mails.map((m) => `${m.to} "${m.subject}"`).join(', ')}`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The one link in a mail's text that points at `page` (e.g. `reset-password`). */
export function linkIn(mail: CaughtMail, page: string): string {
  const link = new RegExp(`https?://\\S+/${page}#token=[\\w-]+`).exec(mail.text)?.[0];
  if (!link) throw new Error(`no ${page} link in: ${mail.text}`);
  return link;
}

export function tokenOf(link: string): string {
  return new URL(link).hash.replace(/^#token=/, '');
}
