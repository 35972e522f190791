import { AddressInfo } from 'node:net';
import { simpleParser, ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** One email as it arrived at the test's SMTP server. */
export interface ReceivedEmail {
  to: string[];
  from: string;
  subject: string;
  text: string;
  html: string;
  raw: string;
}

/**
 * A real SMTP server on loopback (the `smtp-server` package) that keeps what it receives, so tests read
 * the emails the app really sent, through nodemailer's real SMTP transport. Give the app
 * `SMTP_URL: inbox.url`.
 */
export class SmtpInbox {
  readonly received: ReceivedEmail[] = [];
  private waiters: Array<() => void> = [];

  private constructor(
    private readonly server: SMTPServer,
    readonly url: string,
  ) {}

  static async start(): Promise<SmtpInbox> {
    const holder: { inbox?: SmtpInbox } = {};
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onAuth: (auth, _session, callback) => callback(null, { user: auth.username ?? 'test' }),
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          simpleParser(raw)
            .then((parsed: ParsedMail) => {
              holder.inbox!.received.push({
                to: session.envelope.rcptTo.map((rcpt) => rcpt.address.toLowerCase()),
                from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
                subject: parsed.subject ?? '',
                text: parsed.text ?? '',
                html: typeof parsed.html === 'string' ? parsed.html : '',
                raw,
              });
              for (const wake of holder.inbox!.waiters.splice(0)) wake();
              callback();
            })
            .catch((error: Error) => callback(error));
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.server.address() as AddressInfo;
    const inbox = new SmtpInbox(server, `smtp://test:test@127.0.0.1:${port}`);
    holder.inbox = inbox;
    return inbox;
  }

  /** The emails sent to `address` so far, oldest first. */
  to(address: string): ReceivedEmail[] {
    return this.received.filter((email) => email.to.includes(address.toLowerCase()));
  }

  /** Waits until an email to `address` matching `test` has arrived (the test's own timeout bounds the wait). */
  async waitFor(address: string, test: (email: ReceivedEmail) => boolean = () => true): Promise<ReceivedEmail> {
    for (;;) {
      const found = this.to(address).find(test);
      if (found) return found;
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  /** The first link to `path` (e.g. `/invite/`) in an email's text. */
  static linkIn(email: ReceivedEmail, path: string): string {
    const match = new RegExp(`https?://\\S+${path.replace(/[/]/g, '\\/')}\\S+`).exec(email.text);
    if (!match) throw new Error(`No ${path} link in: ${email.text}`);
    return match[0];
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
