import { Browser, BrowserContext, BrowserContextOptions, chromium, Locator, Page } from 'playwright-core';
import { AddressInfo } from 'node:net';
import { bootTestApp, DEMO_PASSWORD, TestApp } from './test-app';

/** Debian's Chromium, headless, with nothing reaching outside this machine. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

export interface BrowserHarness {
  testApp: TestApp;
  browser: Browser;
  baseUrl: string;
  close(): Promise<void>;
}

/** The whole app listening on a loopback port, plus a browser to drive it. */
export async function startBrowserHarness(): Promise<BrowserHarness> {
  const testApp = await bootTestApp();
  await testApp.app.listen(0, '127.0.0.1');
  const { port } = testApp.app.getHttpServer().address() as AddressInfo;
  const browser = await launchChromium();
  return {
    testApp,
    browser,
    baseUrl: `http://127.0.0.1:${port}`,
    async close() {
      await browser.close();
      await testApp.close();
    },
  };
}

/** Signs in through the real form, as a person would. */
export async function signIn(page: Page, baseUrl: string, email: string): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel(/Email address|Cyfeiriad e-bost/).fill(email);
  await page.getByLabel(/^(Password|Cyfrinair)$/).fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: /^(Sign in|Mewngofnodi)$/ }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
}

/** A fresh browser context (its own cookies, as a separate person would have) signed in as `email`. */
export async function signedInPage(
  harness: BrowserHarness,
  email: string,
  options: BrowserContextOptions = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await harness.browser.newContext(options);
  // Fail fast, with the locator in the message, rather than waiting half a minute for something that never comes.
  context.setDefaultTimeout(7_000);
  const page = await context.newPage();
  await signIn(page, harness.baseUrl, email);
  return { context, page };
}

/** Calls the JSON API as `email` (Bearer token), for setting up data a test is not about. */
export async function apiAs(testApp: TestApp, email: string) {
  const auth = { Authorization: `Bearer ${await testApp.tokenFor(email)}` };
  return {
    get: (path: string, query: Record<string, string> = {}) => testApp.http().get(path).query(query).set(auth),
    post: (path: string, body: object) => testApp.http().post(path).set(auth).send(body),
  };
}

/** The id of a pupil on `email`'s roll, by first and last name. */
export async function pupilIdOf(testApp: TestApp, email: string, firstName: string, lastName: string): Promise<string> {
  const response = await (await apiAs(testApp, email)).get('/api/pupils', { q: lastName });
  const pupil = (response.body.items as Array<{ id: string; firstName: string; lastName: string }>).find(
    (p) => p.firstName === firstName && p.lastName === lastName,
  );
  if (!pupil) throw new Error(`${firstName} ${lastName} is not on the roll ${email} can see`);
  return pupil.id;
}

/** Whether `first` comes before `second` in the document (both must resolve to one element). */
export async function comesBefore(first: Locator, second: Locator): Promise<boolean> {
  const handle = await second.elementHandle();
  return first.evaluate(
    (a, b) => Boolean(b && a.compareDocumentPosition(b as Node) & Node.DOCUMENT_POSITION_FOLLOWING),
    handle,
  );
}
