import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { createTransport, Transporter } from 'nodemailer';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { EmailMessage, renderEmail } from './email-content';

/**
 * Sends email through SMTP (SMTP_URL), or, outside production without SMTP_URL, writes each one as an
 * .eml file in the outbox folder and logs its link, so a newcomer can follow an invitation from the demo.
 * Sending happens after the change that caused it has committed; a failure is the caller's to report.
 */
@Injectable()
export class Mailer {
  private readonly logger = new Logger('Mail');
  private readonly transporter: Transporter;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    const { transport } = config.mail;
    this.transporter =
      transport.kind === 'smtp'
        ? createTransport(transport.url)
        : createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  }

  /** An absolute link to a path of the app (`/invite/abc`), from APP_URL. */
  link(path: string): string {
    return `${this.config.mail.appUrl}${path.startsWith('/') ? path : `/${path}`}`;
  }

  async send(email: EmailMessage): Promise<void> {
    const { subject, text, html } = renderEmail(email);
    const info = (await this.transporter.sendMail({
      from: this.config.mail.from,
      to: email.to,
      subject,
      text,
      html,
    })) as {
      message?: Buffer;
    };
    const { transport } = this.config.mail;
    if (transport.kind === 'outbox' && info.message) {
      await mkdir(transport.directory, { recursive: true });
      const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${email.kind}-${randomBytes(4).toString('hex')}.eml`;
      const file = join(transport.directory, name);
      await writeFile(file, info.message);
      // Outside production only (production requires SMTP_URL): the link is what a developer needs to go on.
      this.logger.log(`Email "${email.kind}" to ${email.to} written to ${file}; its link: ${email.link}`);
    }
  }
}
