import { BrowserContext } from 'playwright-core';
import { BrowserHarness, signedInPage, startBrowserHarness } from '../support/browser';
import { SmtpInbox } from '../support/smtp-inbox';

const PASSWORD = 'lighthouse kettles and slate 31';

describe('An administrator adds a school and invites its head, who accepts in the browser (real browser, real email)', () => {
  let harness: BrowserHarness;
  let inbox: SmtpInbox;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    inbox = await SmtpInbox.start();
    harness = await startBrowserHarness({ env: { SMTP_URL: inbox.url } });
  });

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await harness?.close();
    await inbox?.close();
  });

  it('adds the school, invites the head by email; the head sets a password in Welsh and signs in', async () => {
    const { context, page } = await signedInPage(harness, 'admin@cardiff.example');
    contexts.push(context);
    await page.getByRole('link', { name: 'Manage organisations' }).click();
    await page.getByLabel('Name in English').fill('Ysgol Llanishen Fach');
    await page.getByLabel('Name in Welsh (optional)').fill('Ysgol Llanisien Fach');
    await page.getByLabel('Establishment code').fill('6812555');
    await page.getByRole('button', { name: 'Add organisation' }).click();
    await page.getByText('The organisation has been added.').waitFor();
    expect(await page.getByRole('cell', { name: '6812555' }).count()).toBe(1);

    await page.getByRole('link', { name: 'Accounts', exact: true }).click();
    await page.getByRole('link', { name: 'Invite someone' }).click();
    await page.getByLabel('Full name').fill('Rhys Pennaeth');
    await page.getByLabel('Email address').fill('rhys@llanishen.example');
    await page.getByLabel('Organisation').selectOption({ label: 'Ysgol Llanishen Fach' });
    await page.getByLabel('Role').selectOption({ label: 'Head teacher' });
    await page.getByLabel('Language for their emails').selectOption('cy');
    await page.getByRole('button', { name: 'Send invitation' }).click();
    await page.getByText('The invitation has been sent.').waitFor();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('Rhys Pennaeth');

    const email = await inbox.waitFor('rhys@llanishen.example');
    const link = SmtpInbox.linkIn(email, '/invite/');
    const path = new URL(link).pathname;

    // The head, in their own browser: the page speaks the language they were invited in.
    const headContext = await harness.browser.newContext();
    contexts.push(headContext);
    const head = await headContext.newPage();
    await head.goto(`${harness.baseUrl}${path}`);
    expect(await head.locator('html').getAttribute('lang')).toBe('cy');
    expect(await head.getByRole('heading', { level: 1 }).textContent()).toContain('Croeso, Rhys Pennaeth');
    expect(await head.getByText('Ysgol Llanisien Fach').count()).toBeGreaterThan(0);
    await head.getByLabel('Cyfrinair', { exact: true }).fill(PASSWORD);
    await head.getByLabel('Teipiwch y cyfrinair eto').fill(PASSWORD);
    await head.getByRole('button', { name: 'Gosod cyfrinair' }).click();
    await head.getByRole('heading', { name: /Mae eich cyfrinair wedi/ }).waitFor();
    await head.getByRole('link', { name: 'Mewngofnodi' }).last().click();
    await head.waitForURL(/\/login/);
    await head.getByLabel('Cyfeiriad e-bost').fill('rhys@llanishen.example');
    await head.getByLabel(/^Cyfrinair$/).fill(PASSWORD);
    await head.getByRole('button', { name: 'Mewngofnodi' }).click();
    await head.waitForURL((url) => !url.pathname.startsWith('/login'));
    expect(await head.getByText('Ysgol Llanisien Fach').count()).toBeGreaterThan(0);
    expect(await head.getByRole('link', { name: 'Cyfrifon staff' }).count()).toBeGreaterThan(0);

    // The link has been used up.
    await head.goto(`${harness.baseUrl}${path}`);
    expect(await head.getByRole('heading', { level: 1 }).textContent()).not.toContain('Croeso');
  });
});
