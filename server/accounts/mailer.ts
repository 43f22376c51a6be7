import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import nodemailer, { type Transporter } from 'nodemailer';
import { log } from '../platform/log.js';

export interface Mail {
  to: string;
  subject: string;
  text: string;
}

export interface MailerOptions {
  /** An SMTP server (smtp:// or smtps://, credentials in the URL); unset, mail goes to the outbox. */
  smtpUrl?: string;
  /** Where messages are written when there is no SMTP server: DATA_DIR/outbox. */
  outboxDir: string;
  from: string;
}

/**
 * E-mail through nodemailer: over SMTP when configured; otherwise rendered by nodemailer's JSON
 * transport into one file per message in the outbox folder (and a log line), so a local run, the tests
 * and a first deployment can follow every link without a mail server.
 */
export class Mailer {
  private readonly transport: Transporter;

  constructor(private readonly options: MailerOptions) {
    this.transport = options.smtpUrl ? nodemailer.createTransport(options.smtpUrl) : nodemailer.createTransport({ jsonTransport: true });
    if (!options.smtpUrl) mkdirSync(options.outboxDir, { recursive: true });
  }

  async send(mail: Mail): Promise<void> {
    const info = await this.transport.sendMail({ from: this.options.from, ...mail });
    if (this.options.smtpUrl) {
      log.info({ to: mail.to, subject: mail.subject, messageId: info.messageId }, 'e-mail sent');
      return;
    }
    const file = join(this.options.outboxDir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${info.messageId.replace(/[^\w.-]/g, '')}.json`);
    writeFileSync(file, String(info.message));
    log.info({ to: mail.to, subject: mail.subject, file }, 'e-mail written to the outbox (no SMTP_URL)');
  }
}
