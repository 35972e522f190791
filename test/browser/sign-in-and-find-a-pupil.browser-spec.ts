import { BrowserContext, Page } from 'playwright-core';
import { BrowserHarness, signIn, startBrowserHarness } from '../support/browser';

describe('A DSP signs in, finds a pupil and works in Welsh (real browser)', () => {
  let harness: BrowserHarness;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    harness = await startBrowserHarness();
  });

  afterAll(() => harness?.close());

  beforeEach(async () => {
    context = await harness.browser.newContext();
    page = await context.newPage();
  });

  afterEach(() => context.close());

  it('signs in, searches the roll, opens a pupil, switches to Welsh and signs out', async () => {
    await signIn(page, harness.baseUrl, 'dsp@riverside.example');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('Siân Morgan');

    await page.getByRole('link', { name: 'Pupils' }).first().click();
    await page.getByLabel('Search by name or UPN').fill('hassan');
    await page.getByRole('button', { name: 'Search' }).click();
    const rows = page.locator('tbody tr');
    expect(await rows.count()).toBe(2);

    await page.getByRole('link', { name: /Hassan, Yusuf/ }).click();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('Yusuf Hassan');
    expect(await page.getByText('Amira Hassan').count()).toBe(1);

    const pupilPage = page.url();
    await page.getByRole('button', { name: 'Cymraeg' }).click();
    await page.waitForURL(pupilPage);
    expect(await page.locator('html').getAttribute('lang')).toBe('cy');
    expect(await page.getByRole('heading', { name: 'Manylion' }).count()).toBe(1);
    expect((await harness.testApp.as('dsp@riverside.example').me()).language).toBe('cy');

    await page.getByRole('button', { name: 'Allgofnodi' }).click();
    await page.waitForURL(/\/login\?signedOut=1/);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Mewngofnodi');
  });

  it('switches language without JavaScript, before signing in, and keeps the choice once signed in', async () => {
    const noScript = await harness.browser.newContext({ javaScriptEnabled: false });
    try {
      const visitor = await noScript.newPage();
      await visitor.goto(`${harness.baseUrl}/pupils?q=jones`);
      expect(new URL(visitor.url()).pathname).toBe('/login');
      const signInPage = visitor.url();
      await visitor.getByRole('button', { name: 'Cymraeg' }).click();
      await visitor.waitForURL(signInPage);
      expect(await visitor.locator('html').getAttribute('lang')).toBe('cy');

      await visitor.getByLabel('Cyfeiriad e-bost').fill('head@hillcrest.example');
      await visitor.getByLabel('Cyfrinair').fill('demo-password');
      await visitor.getByRole('button', { name: 'Mewngofnodi' }).click();
      await visitor.waitForURL(/\/pupils\?q=jones/);
      expect(await visitor.locator('html').getAttribute('lang')).toBe('cy');
      expect((await harness.testApp.as('head@hillcrest.example').me()).language).toBe('cy');

      await visitor.getByRole('button', { name: 'English' }).click();
      await visitor.waitForURL(/\/pupils\?q=jones/);
      expect(await visitor.locator('html').getAttribute('lang')).toBe('en');
    } finally {
      await noScript.close();
    }
  });

  it('keeps the email and explains the problem when the password is wrong, with the summary focused', async () => {
    await page.goto(`${harness.baseUrl}/login`);
    await page.getByLabel('Email address').fill('dsp@riverside.example');
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    expect(await page.getByRole('alert').textContent()).toContain('The email address or password is wrong');
    expect(await page.getByLabel('Email address').inputValue()).toBe('dsp@riverside.example');
  });

  it('sends a signed-out visitor to sign in, then back to the page they wanted', async () => {
    await page.goto(`${harness.baseUrl}/pupils?q=jones`);
    expect(new URL(page.url()).pathname).toBe('/login');
    await page.getByLabel('Email address').fill('dsp@hillcrest.example');
    await page.getByLabel('Password').fill('demo-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/pupils\?q=jones/);
    expect(await page.locator('tbody tr').count()).toBe(1);
  });
});
