import { BrowserContext, Page } from 'playwright-core';
import { BrowserHarness, pupilIdOf, signedInPage, startBrowserHarness } from '../support/browser';

const TEACHER = 'teacher@riverside.example';
const DSP = 'dsp@riverside.example';
const NOTE = 'Bruise about 3cm across, yellow-green';

/**
 * Issue 8: Enter in "Describe the mark" used to press the form's default button and record the whole
 * concern, losing the mark and its note. It must add the mark (or, with no body area chosen, say so and
 * keep the note), with and without JavaScript, and record nothing.
 */
describe('Enter in "Describe the mark" on the record-a-concern form (real browser)', () => {
  let harness: BrowserHarness;
  let context: BrowserContext | undefined;
  let pupilId: string;

  async function concernFormAs(javaScriptEnabled: boolean): Promise<Page> {
    const signedIn = await signedInPage(harness, TEACHER, { javaScriptEnabled });
    context = signedIn.context;
    await signedIn.page.goto(`${harness.baseUrl}/concerns/new?pupilId=${pupilId}`);
    return signedIn.page;
  }

  /** How many concerns the pupil's chronology shows as recorded. */
  const concernsOf = async () => {
    const chronology = await harness.testApp
      .as(DSP)
      .read<{ entries: Array<{ kind: string }> }>(`/api/pupils/${pupilId}/chronology`);
    return chronology.entries.filter((entry) => entry.kind === 'concern_recorded').length;
  };

  beforeAll(async () => {
    harness = await startBrowserHarness();
    pupilId = await pupilIdOf(harness.testApp, TEACHER, 'Osian', 'Williams');
  });

  afterAll(() => harness?.close());

  afterEach(async () => {
    await context?.close();
    context = undefined;
  });

  it.each([
    ['with JavaScript', true],
    ['without JavaScript', false],
  ])('adds the mark with its note and records nothing (%s)', async (_label, javaScriptEnabled) => {
    const before = await concernsOf();
    const page = await concernFormAs(javaScriptEnabled);
    await page.getByLabel('What did you see or hear?').fill('Osian has a bruise on his arm.');
    await page.getByLabel('Body area').selectOption('left_arm');
    await page.getByLabel('Describe the mark (optional)').fill(NOTE);
    await page.getByLabel('Describe the mark (optional)').press('Enter');

    const marks = page.locator('#body-map-marks table');
    await marks.waitFor();
    expect(new URL(page.url()).pathname).toBe('/concerns');
    expect(await marks.getByText('Left arm (front)').count()).toBe(1);
    expect(await page.getByLabel('Note for mark 1').inputValue()).toBe(NOTE);
    expect(await page.getByLabel('Describe the mark (optional)').inputValue()).toBe('');
    // The rest of the form is still there to finish.
    expect(await page.locator('#summary').inputValue()).toBe('Osian has a bruise on his arm.');
    expect(await concernsOf()).toBe(before);
  });

  it.each([
    ['with JavaScript', true],
    ['without JavaScript', false],
  ])('keeps the note and asks for a body area when none is chosen (%s)', async (_label, javaScriptEnabled) => {
    const before = await concernsOf();
    const page = await concernFormAs(javaScriptEnabled);
    await page.getByLabel('Describe the mark (optional)').fill(NOTE);
    await page.getByLabel('Describe the mark (optional)').press('Enter');

    await page.locator('.govuk-error-summary').getByText('Choose a body area to add a mark').waitFor();
    expect(await page.getByLabel('Describe the mark (optional)').inputValue()).toBe(NOTE);
    expect(await concernsOf()).toBe(before);
  });
});
