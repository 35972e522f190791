import { Browser, BrowserContext, BrowserContextOptions, chromium, Locator, Page } from 'playwright-core';
import { existsSync } from 'node:fs';
import { AddressInfo, Server } from 'node:net';
import { bootTestApp, DEMO_PASSWORD, TestApp, TestAppOptions } from './test-app';

/** Where the browser tier looks for Chromium: CHROMIUM_PATH, or Debian's package. Kept in step with test/support/browser-tier.js. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * How long one browser action (a click, a wait for a locator) may take: failing with the locator in the
 * message beats waiting half a minute for something that never comes, but a busy machine renders slowly.
 */
export const ACTION_TIMEOUT_MS = 15_000;

/** Debian's Chromium, headless, with nothing reaching outside this machine. */
export function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH))
    throw new Error(
      `No Chromium at ${CHROMIUM_PATH}: install it with \`apt-get install -y chromium\` or set CHROMIUM_PATH.`,
    );
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
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
export async function startBrowserHarness(options: TestAppOptions = {}): Promise<BrowserHarness> {
  const testApp = await bootTestApp(options);
  await testApp.app.listen(0, '127.0.0.1');
  const { port } = (testApp.app.getHttpServer() as Server).address() as AddressInfo;
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
  context.setDefaultTimeout(ACTION_TIMEOUT_MS);
  const page = await context.newPage();
  await signIn(page, harness.baseUrl, email);
  return { context, page };
}

/** The id of a pupil on `email`'s roll, by first and last name. */
export async function pupilIdOf(testApp: TestApp, email: string, firstName: string, lastName: string): Promise<string> {
  return (await testApp.as(email).pupilNamed(firstName, lastName)).id;
}

/** Whether `first` comes before `second` in the document (both must resolve to one element). */
export async function comesBefore(first: Locator, second: Locator): Promise<boolean> {
  const handle = await second.elementHandle();
  return first.evaluate(
    (a, b) => Boolean(b && a.compareDocumentPosition(b as Node) & Node.DOCUMENT_POSITION_FOLLOWING),
    handle,
  );
}
