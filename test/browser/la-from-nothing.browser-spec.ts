import { join } from 'node:path';
import { Browser, BrowserContext, Page } from 'playwright-core';
import { generate } from 'otplib';
import { ACTION_TIMEOUT_MS, launchChromium } from '../support/browser';
import { ProductionApp, startProductionApp } from '../support/production-app';
import { SmtpInbox } from '../support/smtp-inbox';
import { createTestDatabase, TestDatabase } from '../support/test-database';

const NEW_SCHOOL_ROLL = join(__dirname, '..', '..', 'docs', 'samples', 'roll-new-school.ctf.xml');
const ADMIN = { email: 'ceri.admin@cardiff.example', password: 'the castle keep at dusk 1091' };
const HEAD = { email: 'head@llandaf.example', password: 'rooks over the cathedral green' };
const DSP = { email: 'dsp@llandaf.example', password: 'afon taf yn llifo i’r môr 2026' };
const SUMMARY = 'Alys came in hungry for the third day running and said there was no food at home.';

/** The code an authenticator app shows `steps` time steps from now (each use of a code needs a later step). */
const codeFor = (secret: string, steps = 0) => generate({ secret, epoch: Math.floor(Date.now() / 1000) + steps * 30 });

/**
 * Issue 11's "done when", as a local authority would live it: the built app started in production mode
 * on an EMPTY database (no demo), a real SMTP server, REQUIRE_2FA at its production default (on). The
 * first administrator comes from `admin:create`; everyone else from invitations read from the SMTP
 * server; every non-staff account must set up two-factor before anything else; the DSP does it all in
 * Welsh and signs in with a code; the roll comes from a CTF file; the DSP records a concern about a
 * pupil who arrived in that file. On whichever engine DATABASE_URL names (SQLite or PostgreSQL).
 */
describe('A local authority from nothing to a recorded concern (production build, real email, real browser)', () => {
  let database: TestDatabase;
  let inbox: SmtpInbox;
  let app: ProductionApp;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  async function newPage(): Promise<Page> {
    const context = await browser.newContext();
    context.setDefaultTimeout(ACTION_TIMEOUT_MS);
    contexts.push(context);
    return context.newPage();
  }

  const h1 = (page: Page) => page.getByRole('heading', { level: 1 }).textContent();

  /** Signs in through the form; answers where it landed. */
  async function signInWithPassword(page: Page, email: string, password: string, welsh = false): Promise<void> {
    await page.goto(`${app.base}/login`);
    await page.getByLabel(welsh ? 'Cyfeiriad e-bost' : 'Email address').fill(email);
    await page.getByLabel(welsh ? /^Cyfrinair$/ : /^Password$/).fill(password);
    await page.getByRole('button', { name: welsh ? 'Mewngofnodi' : 'Sign in' }).click();
    await page.waitForURL((url) => url.pathname !== '/login');
  }

  /** Sets up two-factor from the page REQUIRE_2FA sends a new account to; answers the key. */
  async function setUpTwoFactor(page: Page, welsh = false): Promise<string> {
    await page.waitForURL(`${app.base}/account/two-factor`);
    expect(await h1(page)).toBe(welsh ? 'Mewngofnodi dau gam' : 'Two-factor sign-in');
    await page.getByRole('button', { name: welsh ? 'Gosod mewngofnodi dau gam' : 'Set up two-factor sign-in' }).click();
    const secret = (await page.locator('#secret').textContent())!.replace(/\s/g, '');
    await page
      .getByLabel(
        welsh
          ? '2. Rhowch y cod 6 digid y mae eich ap yn ei ddangos nawr'
          : '2. Enter the 6-digit code your app now shows',
      )
      .fill(await codeFor(secret));
    await page
      .getByRole('button', { name: welsh ? 'Troi mewngofnodi dau gam ymlaen' : 'Turn on two-factor sign-in' })
      .click();
    expect(await h1(page)).toBe(welsh ? 'Eich codau adfer' : 'Your recovery codes');
    expect(await page.locator('#recovery-codes code').count()).toBe(10);
    await page
      .getByRole('link', {
        name: welsh ? 'Rwyf wedi cadw fy nghodau adfer yn ddiogel' : 'I have kept my recovery codes safe',
      })
      .click();
    await page.waitForURL(`${app.base}/`);
    return secret;
  }

  /** Follows an invitation link and chooses a password; lands on the sign-in page. */
  async function acceptInvitation(page: Page, link: string, password: string, welsh = false): Promise<void> {
    await page.goto(`${app.base}${new URL(link).pathname}`);
    expect(await h1(page)).toContain(welsh ? 'Croeso' : 'Welcome');
    await page.getByLabel(welsh ? 'Cyfrinair' : 'Password', { exact: true }).fill(password);
    await page.getByLabel(welsh ? 'Teipiwch y cyfrinair eto' : /Type the password again|Confirm/).fill(password);
    await page.getByRole('button', { name: welsh ? 'Gosod cyfrinair' : 'Set password' }).click();
    await page
      .getByRole('link', { name: welsh ? 'Mewngofnodi' : 'Sign in' })
      .last()
      .click();
    await page.waitForURL(/\/login/);
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    inbox = await SmtpInbox.start();
    app = await startProductionApp({
      databaseUrl: database.url,
      smtpUrl: inbox.url,
      readyWhen: /no organisations and no accounts yet/,
    });
    browser = await launchChromium();
  });

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await app?.stop();
    await inbox?.close();
    await database?.drop();
  });

  it('starts empty, makes the first administrator from the command line, and ends with a DSP recording a concern about an imported pupil', async () => {
    // 1. The first administrator, from the command line.
    const created = await app.runScript('admin-create', [
      '--email',
      ADMIN.email,
      '--name',
      'Ceri Admin',
      '--authority',
      'Cardiff Council',
      '--authority-code',
      '681',
    ]);
    expect(created.code).toBe(0);
    const adminLink = /https?:\/\/\S+\/invite\/\S+/.exec(created.stdout)?.[0];
    expect(adminLink).toBeDefined();

    const admin = await newPage();
    await acceptInvitation(admin, adminLink!, ADMIN.password);
    await signInWithPassword(admin, ADMIN.email, ADMIN.password);
    // REQUIRE_2FA is on in production: an administrator sets up two-factor before anything else.
    await setUpTwoFactor(admin);

    // 2. The administrator adds a school and invites its head.
    await admin.getByRole('link', { name: 'Manage organisations' }).click();
    await admin.getByLabel('Name in English').fill('Llandaff Primary');
    await admin.getByLabel('Name in Welsh (optional)').fill('Ysgol Gynradd Llandaf');
    await admin.getByLabel('Establishment code').fill('6812345');
    await admin.getByRole('button', { name: 'Add organisation' }).click();
    await admin.getByText('The organisation has been added.').waitFor();

    await admin.getByRole('link', { name: 'Accounts', exact: true }).click();
    await admin.getByRole('link', { name: 'Invite someone' }).click();
    await admin.getByLabel('Full name').fill('Gareth Head');
    await admin.getByLabel('Email address').fill(HEAD.email);
    await admin.getByLabel('Organisation').selectOption({ label: 'Llandaff Primary' });
    await admin.getByLabel('Role').selectOption({ label: 'Head teacher' });
    await admin.getByRole('button', { name: 'Send invitation' }).click();
    await admin.getByText('The invitation has been sent.').waitFor();

    // 3. The head reads the invitation from the real SMTP server, sets a password and two-factor.
    const headEmail = await inbox.waitFor(HEAD.email);
    expect(headEmail.text).toContain('Llandaff Primary');
    const head = await newPage();
    await acceptInvitation(head, SmtpInbox.linkIn(headEmail, '/invite/'), HEAD.password);
    await signInWithPassword(head, HEAD.email, HEAD.password);
    await setUpTwoFactor(head);

    // 4. The head invites a DSP, in Welsh.
    await head.getByRole('link', { name: 'Staff accounts' }).first().click();
    await head.getByRole('link', { name: 'Invite someone' }).click();
    await head.getByLabel('Full name').fill('Nia Dafydd');
    await head.getByLabel('Email address').fill(DSP.email);
    await head.getByLabel('Role').selectOption({ label: 'Designated safeguarding person' });
    await head.getByLabel('Language for their emails').selectOption('cy');
    await head.getByRole('button', { name: 'Send invitation' }).click();
    await head.getByText('The invitation has been sent.').waitFor();

    // 5. The head imports the roll from a Common Transfer File: preview, then confirm.
    await head.goto(`${app.base}/pupils`);
    await head.getByRole('link', { name: 'Import the roll' }).click();
    await head.getByLabel('Roll file').setInputFiles(NEW_SCHOOL_ROLL);
    await head.getByLabel(/Full roll/).check();
    await head.getByRole('button', { name: 'Check the file' }).click();
    await head.waitForURL(/\/roll\/import\/[0-9a-f-]{36}$/);
    const added = Number(await head.locator('[data-count="added"]').textContent());
    expect(added).toBeGreaterThanOrEqual(10);
    expect(await head.locator('[data-count="rejected"]').textContent()).toBe('0');
    await head.getByRole('button', { name: 'Import this roll' }).click();
    await head.waitForURL(new RegExp(`/roll/import\\?added=${added}`));

    // 6. The DSP, in Welsh: the invitation, a password, two-factor, signing out and in with a code.
    const dspEmail = await inbox.waitFor(DSP.email);
    expect(dspEmail.subject.startsWith('Rydych wedi cael gwahoddiad')).toBe(true);
    expect(dspEmail.text).not.toContain('Alys');
    const dsp = await newPage();
    await acceptInvitation(dsp, SmtpInbox.linkIn(dspEmail, '/invite/'), DSP.password, true);
    expect(await dsp.locator('html').getAttribute('lang')).toBe('cy');
    await signInWithPassword(dsp, DSP.email, DSP.password, true);
    const dspSecret = await setUpTwoFactor(dsp, true);
    await dsp.getByRole('button', { name: 'Allgofnodi' }).click();
    await dsp.waitForURL(/\/login/);

    await dsp.getByLabel('Cyfeiriad e-bost').fill(DSP.email);
    await dsp.getByLabel(/^Cyfrinair$/).fill(DSP.password);
    await dsp.getByRole('button', { name: 'Mewngofnodi' }).click();
    expect(await h1(dsp)).toBe('Rhowch eich cod');
    await dsp.getByLabel("Cod o'ch ap dilysu").fill(await codeFor(dspSecret, 1));
    await dsp.getByRole('button', { name: 'Parhau' }).click();
    await dsp.waitForURL(`${app.base}/`);
    expect(await dsp.locator('html').getAttribute('lang')).toBe('cy');

    // 7. The DSP records a concern about a pupil who came in with the roll (the form in English).
    await dsp.getByRole('button', { name: 'English' }).click();
    await dsp.goto(`${app.base}/pupils?q=bowen`);
    await dsp.getByRole('link', { name: 'Bowen, Alys' }).click();
    await dsp.waitForURL(/\/pupils\/[0-9a-f-]{36}$/);
    expect(await dsp.getByText('10 Heol Eglwys').count()).toBeGreaterThan(0);
    await dsp.getByRole('button', { name: 'Record a concern' }).click();
    await dsp.waitForURL(/\/concerns\/new\?pupilId=/);
    await dsp.getByLabel('What did you see or hear?').fill(SUMMARY);
    await dsp
      .getByRole('group', { name: 'How do you know?' })
      .getByRole('radio', { name: 'Told by the child' })
      .check();
    await dsp.getByRole('radio', { name: 'Neglect', exact: true }).check();
    await dsp.getByRole('button', { name: 'Record concern', exact: true }).click();
    await dsp.waitForURL((url) => /^\/concerns\/[0-9a-f-]{36}$/.test(url.pathname));
    expect(await h1(dsp)).toBe('Concern: Neglect');
    expect(await dsp.getByText(SUMMARY, { exact: true }).count()).toBe(1);

    // Nobody's email carried the pupil's name or what was recorded.
    for (const email of inbox.received) expect(`${email.subject}\n${email.text}`).not.toMatch(/Alys|Bowen|hungry/);
  });
});
