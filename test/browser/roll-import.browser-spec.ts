import { join } from 'node:path';
import { BrowserContext, Page } from 'playwright-core';
import { BrowserHarness, signIn, startBrowserHarness } from '../support/browser';

const SAMPLE = join(__dirname, '..', '..', 'docs', 'samples', 'roll-riverside.csv');

describe('A head teacher imports the roll: upload, preview, confirm (real browser, no JavaScript)', () => {
  let harness: BrowserHarness;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    harness = await startBrowserHarness();
  });

  afterAll(() => harness?.close());

  beforeEach(async () => {
    context = await harness.browser.newContext({ javaScriptEnabled: false });
    page = await context.newPage();
  });

  afterEach(() => context.close());

  it('uploads the sample CSV, sees every row and what will happen, confirms, and finds the new pupils', async () => {
    await signIn(page, harness.baseUrl, 'head@riverside.example');
    await page.goto(`${harness.baseUrl}/pupils`);
    await page.getByRole('link', { name: 'Import the roll' }).click();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('Import the roll');

    await page.getByLabel('Roll file').setInputFiles(SAMPLE);
    await page.getByLabel(/Full roll/).check();
    await page.getByRole('button', { name: 'Check the file' }).click();
    await page.waitForURL(/\/roll\/import\/[0-9a-f-]{36}$/);

    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('Check the import');
    expect(await page.locator('[data-count="added"]').textContent()).toBe('3');
    expect(await page.locator('[data-count="rejected"]').textContent()).toBe('0');
    expect(await page.locator('tbody tr').count()).toBe(15);
    expect(await page.locator('tbody tr[data-action="added"]').count()).toBe(3);
    // Nothing has changed yet.
    expect(await harness.testApp.as('dsp@riverside.example').pupils({ q: 'Pritchard' })).toEqual([]);

    await page.getByRole('button', { name: 'Import this roll' }).click();
    await page.waitForURL(/\/roll\/import\?added=3/);
    expect(await page.getByText('The roll has been imported: 3 added').count()).toBe(1);

    await page.goto(`${harness.baseUrl}/pupils?q=pritchard`);
    expect(await page.locator('tbody tr').count()).toBe(2);
    await page.getByRole('link', { name: /Pritchard, Elin/ }).click();
    expect(await page.getByRole('heading', { name: 'Address and contacts' }).count()).toBe(1);
    expect(await page.getByText('12 Heol y Bont').count()).toBe(1);
  });
});
