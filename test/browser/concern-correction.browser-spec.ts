import { BrowserContext } from 'playwright-core';
import { BrowserHarness, signedInPage, startBrowserHarness } from '../support/browser';
import { axeViolations } from '../support/axe';

const DSP = 'dsp@hillcrest.example';
const TEACHER = 'teacher@hillcrest.example';

/** A DSP corrects the time of a teacher's concern in a real browser and sees before, after and why. */
describe('Correcting a concern (real browser)', () => {
  let harness: BrowserHarness;
  let context: BrowserContext | undefined;

  beforeAll(async () => {
    harness = await startBrowserHarness();
  });

  afterAll(async () => {
    await context?.close();
    await harness?.close();
  });

  it('corrects the time, shows the old and new time with the reason, and passes axe', async () => {
    const teacher = harness.testApp.as(TEACHER);
    const pupil = (await teacher.pupils())[0];
    const { id } = await teacher.created<{ id: string }>('/api/concerns', {
      pupilId: pupil.id,
      occurredAt: '2026-11-30T10:00:00.000Z',
      category: 'wellbeing',
      summary: 'Came in upset at break and would not say why.',
      evidenceBasis: 'observed',
    });
    const signedIn = await signedInPage(harness, DSP);
    context = signedIn.context;
    const page = signedIn.page;
    await page.goto(`${harness.baseUrl}/concerns/${id}`);
    await page.getByRole('link', { name: 'Correct this record' }).click();
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('link', { name: 'When it happened' }).click();
    await page.getByLabel('Time').fill('08:45');
    // Saving without a reason shows the error summary.
    await page.getByRole('button', { name: 'Save the correction' }).click();
    expect(await page.locator('.govuk-error-summary').textContent()).toContain('Say why you are correcting this');
    expect(await axeViolations(page)).toEqual([]);
    await page
      .getByLabel('Why are you correcting this?')
      .fill('The teacher noted the time of the report, not of the event');
    await Promise.all([
      page.waitForURL(new RegExp(`/concerns/${id}`)),
      page.getByRole('button', { name: 'Save the correction' }).click(),
    ]);
    const history = (await page.locator('.app-amendments').textContent()) ?? '';
    expect(history).toContain('When it happened');
    expect(history).toContain('10:00');
    expect(history).toContain('8:45');
    expect(history).toContain('The teacher noted the time of the report, not of the event');
    expect(await axeViolations(page)).toEqual([]);
  });
});
