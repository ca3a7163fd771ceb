import nodemailer from 'nodemailer';
import type { Logger } from 'pino';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
}

/** Sends email; the only file that knows about SMTP. */
export interface Mailer {
  /** False when no SMTP server is configured: callers offer another way (admin-issued links). */
  readonly isConfigured: boolean;
  send(message: MailMessage): Promise<void>;
}

export interface MailerOptions {
  smtpUrl: string | undefined;
  from: string;
  logger: Logger;
}

const SMTP_TIMEOUT_MS = 15_000;

export function createMailer(options: MailerOptions): Mailer {
  if (!options.smtpUrl) {
    return {
      isConfigured: false,
      async send() {
        throw new Error('no SMTP server is configured (SMTP_URL)');
      },
    };
  }
  // Timeouts well under the SDK's minutes-long defaults: a dead mail server must not pile up
  // sockets; callers send in the background and log failures.
  const url = new URL(options.smtpUrl);
  const transport = nodemailer.createTransport({
    host: url.hostname,
    port: Number(url.port) || (url.protocol === 'smtps:' ? 465 : 587),
    secure: url.protocol === 'smtps:',
    auth: url.username
      ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) }
      : undefined,
    connectionTimeout: SMTP_TIMEOUT_MS,
    greetingTimeout: SMTP_TIMEOUT_MS,
    socketTimeout: SMTP_TIMEOUT_MS,
  });
  return {
    isConfigured: true,
    async send(message) {
      await transport.sendMail({ from: options.from, ...message });
    },
  };
}

/**
 * Sends without making the caller wait: an HTTP answer must not reveal (by its timing) whether
 * an address has an account, nor hang on a slow mail server. Failures are logged, never thrown.
 */
export function sendInBackground(
  mailer: Mailer,
  logger: Logger,
  message: MailMessage,
  kind: string,
): void {
  mailer.send(message).then(
    () => logger.info({ kind }, 'mail sent'),
    (error: unknown) =>
      logger.warn(
        { kind, err: error instanceof Error ? error.message.slice(0, 300) : String(error) },
        'mail not sent',
      ),
  );
}
