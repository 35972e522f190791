import { BrowserContext, Page } from 'playwright-core';
import { ACTION_TIMEOUT_MS, BrowserHarness, signedInPage, startBrowserHarness } from '../support/browser';
import { SmtpInbox } from '../support/smtp-inbox';

const NEW_PASSWORD = 'violet harbour bicycle spoon';

describe('A forgotten password and the account page (real browser, real email)', () => {
  let inbox: SmtpInbox;
  let harness: BrowserHarness;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    inbox = await SmtpInbox.start();
    harness = await startBrowserHarness({ env: { SMTP_URL: inbox.url, APP_URL: 'https://safeguarding.test' } });
  });

  afterAll(async () => {
    await harness?.close();
    await inbox?.close();
  });

  afterEach(() => context?.close());

  it('goes from the sign-in page through the emailed link to signing in with the new password', async () => {
    // Without JavaScript: every step is a plain link or form.
    context = await harness.browser.newContext({ javaScriptEnabled: false });
    context.setDefaultTimeout(ACTION_TIMEOUT_MS);
    page = await context.newPage();
    const email = 'teacher@hillcrest.example';

    await page.goto(`${harness.baseUrl}/login`);
    await page.getByRole('link', { name: 'Forgotten your password?' }).click();
    await page.waitForURL(/\/reset$/);
    await page.getByLabel('Email address').fill(email);
    await page.getByRole('button', { name: 'Send the link' }).click();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Check your email');

    const link = SmtpInbox.linkIn(await inbox.waitFor(email), '/reset/');
    await page.goto(`${harness.baseUrl}${new URL(link).pathname}`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Choose a new password');
    await page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
    await page.getByLabel('Type the new password again').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Save the new password' }).click();
    await page.waitForURL(/\/login\?reset=1$/);
    expect(await page.getByText('Your password has been changed. Sign in with your new password.').count()).toBe(1);

    await page.getByLabel('Email address').fill(email);
    await page.getByLabel(/^Password$/).fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => !url.pathname.startsWith('/login'));
    expect(await page.getByRole('link', { name: 'Your account' }).count()).toBe(1);

    // The link worked once.
    await page.goto(`${harness.baseUrl}${new URL(link).pathname}`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('This link cannot be used');
  });

  it('shows the account page in Welsh from the menu, and saves the settings without JavaScript', async () => {
    ({ context, page } = await signedInPage(harness, 'dsp@hillcrest.example', { javaScriptEnabled: false }));
    await page.getByRole('button', { name: 'Cymraeg' }).click();
    await page.waitForLoadState();
    await page.getByRole('link', { name: 'Eich cyfrif' }).click();
    await page.waitForURL(/\/account$/);
    expect(await page.locator('html').getAttribute('lang')).toBe('cy');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Eich cyfrif');
    expect(await page.getByRole('heading', { name: 'Newid eich cyfrinair' }).count()).toBe(1);
    expect(await page.getByRole('main').getByRole('link', { name: 'Mewngofnodi dau gam' }).getAttribute('href')).toBe(
      '/account/two-factor',
    );
    await page.getByLabel('Peidiwch ag anfon hysbysiadau e-bost ataf').check();
    await page.getByRole('button', { name: "Cadw'r gosodiadau" }).click();
    await page.waitForURL(/\/account\?done=preferences$/);
    expect(await page.getByText("Mae eich gosodiadau wedi'u cadw.").count()).toBe(1);
    expect(await page.getByLabel('Peidiwch ag anfon hysbysiadau e-bost ataf').isChecked()).toBe(true);
    expect(await harness.testApp.as('dsp@hillcrest.example').me()).toMatchObject({
      language: 'cy',
      emailNotifications: false,
    });
  });
});
