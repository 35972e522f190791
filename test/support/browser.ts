import { Browser, chromium, Page } from 'playwright-core';
import { AddressInfo } from 'node:net';
import { bootTestApp, DEMO_PASSWORD, TestApp } from './test-app';

/** Debian's Chromium, headless, with nothing reaching outside this machine. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
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
