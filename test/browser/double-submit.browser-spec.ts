import { BrowserContext } from 'playwright-core';
import { BrowserHarness, pupilIdOf, signedInPage, startBrowserHarness } from '../support/browser';

const TEACHER = 'teacher@riverside.example';

/**
 * A tired person double-clicks "Record concern" on the form that came back with errors: one concern is
 * recorded, not two.
 */
describe('Recording a concern with a double click (real browser)', () => {
  let harness: BrowserHarness;
  let context: BrowserContext | undefined;
  let plainContext: BrowserContext | undefined;

  beforeAll(async () => {
    harness = await startBrowserHarness();
  });

  afterAll(async () => {
    await plainContext?.close();
    await context?.close();
    await harness?.close();
  });

  it('records the concern once', async () => {
    const pupilId = await pupilIdOf(harness.testApp, TEACHER, 'Osian', 'Williams');
    const signedIn = await signedInPage(harness, TEACHER, { javaScriptEnabled: true });
    context = signedIn.context;
    const page = signedIn.page;
    await page.goto(`${harness.baseUrl}/concerns/new?pupilId=${pupilId}`);

    // First without the required answers: the form comes back (at /concerns) with its errors.
    const button = page.locator('button.govuk-button[value=record]');
    await Promise.all([page.waitForURL(/\/concerns$/), button.click()]);
    await page.locator('.govuk-error-summary').waitFor();

    const summary = 'Double-clicked: bruise on the left forearm seen at break.';
    await page.getByLabel('What did you see or hear?').fill(summary);
    await page.locator('input[name=evidenceBasis]').first().check();
    await page.locator('input[name=category]').first().check();
    // Deterministically: the second of two quick submits is stopped by the page (a real double click
    // races the first request, so it duplicates only sometimes).
    const prevented = await page.evaluate(() => {
      const form = document.querySelector<HTMLFormElement>('form.app-concern-form')!;
      const seen: boolean[] = [];
      const hold = (event: Event) => {
        seen.push(event.defaultPrevented);
        event.preventDefault();
      };
      form.addEventListener('submit', hold);
      const record = form.querySelector<HTMLButtonElement>('button.govuk-button[value=record]')!;
      form.requestSubmit(record);
      form.requestSubmit(record);
      form.removeEventListener('submit', hold);
      return seen;
    });
    expect(prevented).toEqual([false, true]);
    await page.evaluate(() => window.dispatchEvent(new PageTransitionEvent('pageshow')));

    await button.dblclick();
    await page.waitForURL(/\/concerns\/[0-9a-f-]{36}\?done=recorded/);
    await page.waitForTimeout(1000);

    const rows = await harness.testApp.dataSource.query<Array<{ n: number | string }>>(
      'SELECT COUNT(*) AS n FROM concerns WHERE summary = $1',
      [summary],
    );
    expect(Number(rows[0].n)).toBe(1);
  });

  it('records once, and lands on that concern, when the form reaches the server twice (no JavaScript)', async () => {
    const pupilId = await pupilIdOf(harness.testApp, TEACHER, 'Osian', 'Williams');
    const signedIn = await signedInPage(harness, TEACHER, { javaScriptEnabled: false });
    plainContext = signedIn.context;
    const page = signedIn.page;
    // The page's script cannot stop this one: the form's post goes to the server twice, as a click
    // repeated while the first is on its way does, and the browser shows the second answer.
    await page.route(`${harness.baseUrl}/concerns`, async (route) => {
      if (route.request().method() !== 'POST') return route.continue();
      await route.fetch({ maxRedirects: 0 });
      await route.fulfill({ response: await route.fetch({ maxRedirects: 0 }) });
    });
    await page.goto(`${harness.baseUrl}/concerns/new?pupilId=${pupilId}`);
    const summary = 'Sent twice without a script: scratches on both wrists.';
    await page.getByLabel('What did you see or hear?').fill(summary);
    await page.locator('input[name=evidenceBasis]').first().check();
    await page.locator('input[name=category]').first().check();
    await Promise.all([
      page.waitForURL(/\/concerns\/[0-9a-f-]{36}\?done=recorded/),
      page.locator('button.govuk-button[value=record]').click(),
    ]);

    const rows = await harness.testApp.dataSource.query<Array<{ id: string }>>(
      'SELECT id FROM concerns WHERE summary = $1',
      [summary],
    );
    expect(rows).toHaveLength(1);
    expect(new URL(page.url()).pathname).toBe(`/concerns/${rows[0].id}`);
  });
});
