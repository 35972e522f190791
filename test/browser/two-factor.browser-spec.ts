import { BrowserContext, Page } from 'playwright-core';
import { generate } from 'otplib';
import { ACTION_TIMEOUT_MS, BrowserHarness, signIn, startBrowserHarness } from '../support/browser';
import { DEMO_PASSWORD } from '../support/test-app';

/** The code an authenticator app shows `steps` time steps from now (each sign-in by code needs a later step). */
const codeFor = (secret: string, steps = 0) => generate({ secret, epoch: Math.floor(Date.now() / 1000) + steps * 30 });

describe('Two-factor sign-in from the pages (real browser)', () => {
  let harness: BrowserHarness;
  let context: BrowserContext;
  let page: Page;
  const email = 'dsp@bridge.example';
  let secret: string;
  let recoveryCodes: string[];

  beforeAll(async () => {
    harness = await startBrowserHarness();
  });

  afterAll(() => harness?.close());

  beforeEach(async () => {
    context = await harness.browser.newContext();
    context.setDefaultTimeout(ACTION_TIMEOUT_MS);
    page = await context.newPage();
  });

  afterEach(() => context.close());

  it('sets it up from the page by the key shown, signs out, and signs in with password then code', async () => {
    const refused: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) refused.push(message.text());
    });
    await signIn(page, harness.baseUrl, email);
    await page.getByRole('link', { name: 'Two-factor sign-in' }).click();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Two-factor sign-in');
    await page.getByRole('button', { name: 'Set up two-factor sign-in' }).click();

    // The QR code is drawn (inline SVG, under the app's Content-Security-Policy) and the key is readable.
    const qr = page.getByRole('img', { name: 'QR code to scan with your authenticator app' });
    expect(await qr.locator('svg').isVisible()).toBe(true);
    expect((await qr.locator('svg').boundingBox())?.width).toBeGreaterThan(100);
    const shown = (await page.locator('#secret').textContent())!.trim();
    expect(shown).toMatch(/^([A-Z2-7]{4} ){7}[A-Z2-7]{4}$/);
    secret = shown.replace(/ /g, '');

    const codeField = page.getByLabel('2. Enter the 6-digit code your app now shows');
    expect(await codeField.getAttribute('autocomplete')).toBe('one-time-code');
    await codeField.fill('000000');
    await page.getByRole('button', { name: 'Turn on two-factor sign-in' }).click();
    expect(await page.getByRole('alert').textContent()).toContain('The code is wrong');
    await page.getByLabel('2. Enter the 6-digit code your app now shows').fill(await codeFor(secret));
    await page.getByRole('button', { name: 'Turn on two-factor sign-in' }).click();

    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Your recovery codes');
    expect(await page.getByText('These codes are shown only once').count()).toBe(1);
    recoveryCodes = await page.locator('#recovery-codes code').allTextContents();
    expect(recoveryCodes).toHaveLength(10);
    await page.getByRole('link', { name: 'I have kept my recovery codes safe' }).click();
    await page.waitForURL(`${harness.baseUrl}/`);
    expect(refused).toEqual([]);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/login\?signedOut=1/);
    await page.getByLabel('Email address').fill(email);
    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Enter your code');
    const code = page.getByLabel('Code from your authenticator app');
    expect(await code.getAttribute('inputmode')).toBe('numeric');
    await code.fill(await codeFor(secret, 1));
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL(`${harness.baseUrl}/`);
    expect(await page.getByText('Signed in as').count()).toBe(1);
  });

  it('asks for the code in Welsh, without JavaScript, says what is wrong, and takes a recovery code', async () => {
    const noScript = await harness.browser.newContext({ javaScriptEnabled: false });
    noScript.setDefaultTimeout(ACTION_TIMEOUT_MS);
    try {
      const visitor = await noScript.newPage();
      await visitor.goto(`${harness.baseUrl}/login`);
      await visitor.getByRole('button', { name: 'Cymraeg' }).click();
      await visitor.waitForURL(/\/login/);
      await visitor.getByLabel('Cyfeiriad e-bost').fill(email);
      await visitor.getByLabel('Cyfrinair').fill(DEMO_PASSWORD);
      await visitor.getByRole('button', { name: 'Mewngofnodi' }).click();
      expect(await visitor.getByRole('heading', { level: 1 }).textContent()).toBe('Rhowch eich cod');
      expect(await visitor.locator('html').getAttribute('lang')).toBe('cy');

      await visitor.getByRole('button', { name: 'Parhau' }).click();
      expect(await visitor.getByRole('alert').textContent()).toContain("Rhowch y cod o'ch ap dilysu, neu god adfer");
      await visitor.getByLabel("Cod o'ch ap dilysu").fill('000000');
      await visitor.getByRole('button', { name: 'Parhau' }).click();
      expect(await visitor.getByRole('alert').textContent()).toContain("Mae'r cod yn anghywir");

      await visitor.getByText('Nid yw fy ffôn gyda fi').click();
      await visitor.getByLabel("Cod o'ch ap dilysu").fill(recoveryCodes[0]);
      await visitor.getByRole('button', { name: 'Parhau' }).click();
      await visitor.waitForURL(`${harness.baseUrl}/`);
      expect(await visitor.getByText('Wedi mewngofnodi fel', { exact: false }).count()).toBeGreaterThan(0);
    } finally {
      await noScript.close();
    }
  });
});
