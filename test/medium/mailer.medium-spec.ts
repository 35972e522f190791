import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { message } from '../../src/common/language';
import { loadConfig } from '../../src/config/app-config';
import { Mailer } from '../../src/mail/mailer';
import { SmtpInbox } from '../support/smtp-inbox';

const baseEnv = { NODE_ENV: 'test', APP_URL: 'https://safeguarding.example.gov.uk/' };

describe('Mailer', () => {
  let inbox: SmtpInbox;
  beforeAll(async () => {
    inbox = await SmtpInbox.start();
  });
  afterAll(() => inbox.close());

  it('sends through SMTP in both languages, the recipient’s first, with the link from APP_URL', async () => {
    const mailer = new Mailer(
      loadConfig({ ...baseEnv, SMTP_URL: inbox.url, MAIL_FROM: 'Cardiff <sg@cardiff.example>' }),
    );
    const link = mailer.link('/reset/abc123');
    expect(link).toBe('https://safeguarding.example.gov.uk/reset/abc123');
    await mailer.send({
      to: 'Dsp@School.example',
      language: 'cy',
      kind: 'password_reset',
      link,
      params: { authority: 'Caerdydd' },
    });
    const email = await inbox.waitFor('dsp@school.example');
    expect(email.from).toBe('sg@cardiff.example');
    expect(email.subject).toBe(
      'Ailosod eich cyfrinair ar gyfer y gwasanaeth diogelu / Reset your password for the safeguarding service',
    );
    expect(email.text.indexOf('Gofynnodd rhywun')).toBeLessThan(email.text.indexOf('Someone asked'));
    expect(email.text).toContain(link);
    expect(email.html).toContain(`<a href="${link}">`);
  });

  it('names the role and the places in each half’s own language', async () => {
    const mailer = new Mailer(loadConfig({ ...baseEnv, SMTP_URL: inbox.url }));
    await mailer.send({
      to: 'newhead@school.example',
      language: 'en',
      kind: 'invitation',
      link: mailer.link('/invite/abc'),
      params: {
        inviter: 'Ceri Admin',
        role: message('roles.head_teacher'),
        organisation: { name: 'Riverside Primary', nameCy: 'Ysgol Gynradd Glan yr Afon' },
        authority: { name: 'Cardiff Council', nameCy: 'Cyngor Caerdydd' },
      },
    });
    const email = await inbox.waitFor('newhead@school.example');
    const [english, welsh] = email.text.split('----------');
    expect(english).toContain('as Head teacher at Riverside Primary');
    expect(english).toContain('Cardiff Council');
    expect(english).not.toMatch(/Pennaeth|Glan yr Afon|Caerdydd/);
    expect(welsh).toContain('fel Pennaeth yn Ysgol Gynradd Glan yr Afon');
    expect(welsh).toContain('Cyngor Caerdydd');
    expect(welsh).not.toMatch(/Head teacher|Riverside Primary|Cardiff Council/);
  });

  it('writes an .eml file to the outbox when there is no SMTP server (outside production)', async () => {
    const directory = join(tmpdir(), `sg-outbox-${process.pid}-${Date.now()}`);
    const mailer = new Mailer(loadConfig({ ...baseEnv, OUTBOX_DIR: directory }));
    await mailer.send({
      to: 'head@school.example',
      language: 'en',
      kind: 'password_reset',
      link: mailer.link('/reset/xyz'),
    });
    const files = readdirSync(directory);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/password_reset.*\.eml$/);
    const raw = readFileSync(join(directory, files[0]), 'utf8');
    expect(raw).toContain('To: head@school.example');
    expect(raw).toContain('https://safeguarding.example.gov.uk/reset/xyz');
    rmSync(directory, { recursive: true, force: true });
  });
});
