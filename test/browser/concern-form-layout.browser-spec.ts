import { BrowserContext, Locator, Page } from 'playwright-core';
import { BrowserHarness, pupilIdOf, signedInPage, startBrowserHarness } from '../support/browser';

const DSP = 'dsp@riverside.example';
const TEACHER = 'teacher@riverside.example';

const WIDE = { width: 1280, height: 900 };
const PHONE = { width: 375, height: 740 };

type Box = { x: number; y: number; width: number; height: number };

async function boxOf(locator: Locator): Promise<Box> {
  const box = await locator.boundingBox();
  if (!box) throw new Error(`${locator.toString()} has no box (not shown)`);
  return box;
}

/** Whether the box lies wholly within the page's viewport as it is scrolled now. */
async function inViewport(page: Page, locator: Locator): Promise<boolean> {
  const box = await boxOf(locator); // relative to the viewport
  const viewport = page.viewportSize()!;
  return box.y >= 0 && box.x >= 0 && box.y + box.height <= viewport.height && box.x + box.width <= viewport.width;
}

/**
 * Issue 8: on "Record a concern", "Call 999 now" used to appear 1,600 px below the emergency ticks
 * (2,100 px on a phone), and only once a category was chosen; the guidance panel sat far below the ticks.
 * Now the banner is right under the ticks the moment one is ticked, the panel is in the right-hand column
 * on a wide screen (staying in view), and a phone gets a one-line summary near the top.
 */
describe('Record a concern: "Call 999 now" beside the ticks, and the guidance beside the form (real browser)', () => {
  let harness: BrowserHarness;
  let context: BrowserContext | undefined;
  let pupilId: string;

  async function formAs(
    email: string,
    options: { javaScriptEnabled?: boolean; viewport: { width: number; height: number } },
  ): Promise<Page> {
    const signedIn = await signedInPage(harness, email, {
      javaScriptEnabled: options.javaScriptEnabled ?? true,
      viewport: options.viewport,
    });
    context = signedIn.context;
    await signedIn.page.goto(`${harness.baseUrl}/concerns/new?pupilId=${pupilId}`);
    return signedIn.page;
  }

  const suicidalIntent = (page: Page) =>
    page.locator('#emergency-indicators input[name="indicators"][value="suicidal_intent"]');
  const lastEmergencyTick = (page: Page) => page.locator('#emergency-indicators .govuk-checkboxes__item').last();
  const banner = (page: Page) => page.locator('#emergency-indicators').getByRole('alert');

  /** The banner sits right under the emergency ticks, in the same column, and both are on screen. */
  async function expectBannerBesideTicks(page: Page) {
    const ticks = await boxOf(lastEmergencyTick(page));
    const call = await boxOf(banner(page));
    expect(call.y).toBeGreaterThanOrEqual(ticks.y + ticks.height - 1);
    expect(call.y - (ticks.y + ticks.height)).toBeLessThan(40);
    expect(Math.abs(call.x - ticks.x)).toBeLessThan(40);
    expect(await banner(page).getByRole('heading').textContent()).toBe('Call 999 now');
  }

  beforeAll(async () => {
    harness = await startBrowserHarness();
    pupilId = await pupilIdOf(harness.testApp, DSP, 'Osian', 'Williams');
  });

  afterAll(() => harness?.close());

  afterEach(async () => {
    await context?.close();
    context = undefined;
  });

  it.each([
    ['a wide screen', WIDE],
    ['a phone', PHONE],
  ])(
    'ticking "suicidal intent" shows "Call 999 now" at once right under the ticks, with no category chosen (%s)',
    async (_label, viewport) => {
      const page = await formAs(DSP, { viewport });
      expect(await page.locator('input[name="category"]:checked').count()).toBe(0);
      expect(await page.getByRole('alert').count()).toBe(0);

      await suicidalIntent(page).scrollIntoViewIfNeeded();
      await suicidalIntent(page).check();
      await banner(page).waitFor();
      await expectBannerBesideTicks(page);
      expect(await inViewport(page, banner(page))).toBe(true);
      expect(await banner(page).textContent()).toContain('Phone 999 first');
      // Still no category: the banner does not wait for one.
      expect(await page.locator('input[name="category"]:checked').count()).toBe(0);

      await suicidalIntent(page).uncheck();
      await banner(page).waitFor({ state: 'detached' });
      expect(await page.getByRole('alert').count()).toBe(0);
    },
  );

  it('without JavaScript, "Check the guidance" draws "Call 999 now" beside the ticks, with no category chosen', async () => {
    const page = await formAs(DSP, { javaScriptEnabled: false, viewport: WIDE });
    expect(await page.getByRole('alert').count()).toBe(0);
    await suicidalIntent(page).check();
    await page.getByRole('button', { name: 'Check the guidance' }).click();
    await page.waitForURL((url) => url.pathname === '/concerns');

    // No "choose a category" error in the way: the answer is to call 999.
    expect(await page.locator('.govuk-error-summary').count()).toBe(0);
    await expectBannerBesideTicks(page);
    expect(await suicidalIntent(page).isChecked()).toBe(true);
    expect(
      await page.locator('#guidance-panel').getByText('Call 999 now: a child may be in immediate danger.').count(),
    ).toBe(1);
  });

  it('on a wide screen, the guidance panel is in the right-hand column and stays in view beside the ticks', async () => {
    const page = await formAs(DSP, { viewport: WIDE });
    await page.getByRole('radio', { name: 'Wellbeing (no suspected abuse)' }).check();
    await page.getByRole('checkbox', { name: 'Self-harm' }).check();
    const panel = page.locator('#guidance-panel section');
    await panel.getByText('Level of need: Complex, early help', { exact: true }).waitFor();

    await suicidalIntent(page).scrollIntoViewIfNeeded();
    const ticks = await boxOf(page.locator('#emergency-indicators'));
    const summaryField = await boxOf(page.locator('#summary'));
    const shown = await boxOf(panel);
    // To the right of the fields, not under them.
    expect(shown.x).toBeGreaterThanOrEqual(summaryField.x + summaryField.width);
    expect(shown.x).toBeGreaterThanOrEqual(ticks.x + ticks.width);
    // In view while the ticks are: its top on screen, beside them.
    expect(shown.y).toBeGreaterThanOrEqual(0);
    expect(shown.y).toBeLessThan(PHONE.height);
    expect(await page.locator('#guidance-summary').isVisible()).toBe(false);

    // Further down the form (the body map), still in view.
    await page.locator('#markNote').scrollIntoViewIfNeeded();
    const later = await boxOf(panel);
    expect(later.y).toBeGreaterThanOrEqual(0);
    expect(later.y).toBeLessThan(WIDE.height / 2);
  });

  it('on a wide screen, the panel never covers the body map: a click on the figure still adds a mark there', async () => {
    const page = await formAs(DSP, { viewport: WIDE });
    await page.getByRole('radio', { name: 'Physical abuse' }).check();
    await page.locator('#guidance-panel section').waitFor();
    const figure = page.locator('input[name="bodyMapFront"]');
    await figure.scrollIntoViewIfNeeded();
    const drawn = await boxOf(figure);
    const panel = await boxOf(page.locator('.app-guidance-aside__sticky'));
    expect(panel.x).toBeGreaterThanOrEqual(drawn.x + drawn.width);
    await figure.click({ position: { x: 80, y: 105 } });
    await page.locator('#body-map-marks table').waitFor();
    expect(await page.locator('input[name="bodyMap[0][view]"]').getAttribute('value')).toBe('front');
  });

  it.each([
    ['with JavaScript', true],
    ['without JavaScript', false],
  ])(
    'on a phone, a summary near the top gives the level and route and links to the full panel (%s)',
    async (_label, js) => {
      const page = await formAs(DSP, { viewport: PHONE, javaScriptEnabled: js });
      expect(await page.locator('#guidance-summary').isVisible()).toBe(false);
      await page.getByRole('radio', { name: 'Wellbeing (no suspected abuse)' }).check();
      await page.getByRole('checkbox', { name: 'Self-harm' }).check();
      if (!js) {
        await page.getByRole('button', { name: 'Check the guidance' }).click();
        await page.waitForURL((url) => url.pathname === '/concerns');
      }
      const summary = page.locator('#guidance-summary');
      await summary.getByText('Level of need: Complex, early help', { exact: true }).waitFor();
      expect(await summary.getByText('Early help', { exact: true }).count()).toBe(1);
      expect(await summary.getByRole('link', { name: 'See the full guidance' }).getAttribute('href')).toBe(
        '#guidance-panel',
      );

      await page.evaluate(() => window.scrollTo(0, 0));
      const top = await boxOf(summary);
      const firstField = await boxOf(page.locator('#occurredDate'));
      const panel = await boxOf(page.locator('#guidance-panel section'));
      const ticks = await boxOf(page.locator('#emergency-indicators'));
      // Near the top: above the first question, on the first screen; the full panel is one column, below the ticks.
      expect(top.y + top.height).toBeLessThanOrEqual(firstField.y);
      expect(top.y).toBeLessThan(PHONE.height);
      expect(panel.y).toBeGreaterThan(ticks.y + ticks.height);
      expect(panel.width).toBeGreaterThan(PHONE.width * 0.7);

      await summary.getByRole('link', { name: 'See the full guidance' }).click();
      expect(await inViewport(page, page.locator('#guidance-panel h2'))).toBe(true);
    },
  );

  it('tells a teacher to give the concern to the DSP, never to "send a MASH referral from this system"', async () => {
    for (const [email, staff] of [
      [TEACHER, true],
      [DSP, false],
    ] as const) {
      const page = await formAs(email, { viewport: WIDE });
      await page.getByRole('radio', { name: 'Physical abuse' }).check();
      await page.getByRole('checkbox', { name: 'An injury that may not be accidental' }).check();
      const panel = page.locator('#guidance-panel');
      await panel.getByText(/^Level of need: Child at risk: report to social services/).waitFor();
      // A DSP's steps ("How to get it: ... the MASH referral from this system") are for the DSP only.
      const dspSteps = await panel.getByText(/Send a MASH referral|from this system|How to get it/).count();
      if (staff) expect(dspSteps).toBe(0);
      else expect(dspSteps).toBeGreaterThan(0);
      expect(await panel.getByRole('heading', { name: 'What you do now' }).count()).toBe(staff ? 1 : 0);
      if (staff) {
        expect(
          await panel.getByText(/^Give this concern to your designated safeguarding person \(DSP\) now/).count(),
        ).toBe(1);
        expect(await panel.getByText(/^If no DSP can be reached and you think the child is at risk/).count()).toBe(1);
      }
      await context?.close();
      context = undefined;
    }
  });

  it('"Another language" asks which, and the concern page says it', async () => {
    const page = await formAs(TEACHER, { viewport: WIDE });
    const which = page.getByLabel('Which language?');
    expect(await which.isVisible()).toBe(false);
    await page.getByRole('radio', { name: 'Another language' }).check();
    expect(await which.isVisible()).toBe(true);
    await which.fill('Polish');
    await page.getByRole('radio', { name: 'Welsh' }).check();
    expect(await which.isVisible()).toBe(false);
    await page.getByRole('radio', { name: 'Another language' }).check();
    expect(await which.inputValue()).toBe('Polish');

    await page.getByLabel('What did you see or hear?').fill('Osian was upset and said something to his friend.');
    await page.getByLabel("The child's own words (optional)").fill('Nie chcę iść do domu.');
    await page.getByRole('radio', { name: 'Seen or heard by the person recording it' }).check();
    await page.getByRole('radio', { name: 'Wellbeing (no suspected abuse)' }).check();
    await page.getByRole('button', { name: 'Record concern' }).click();
    await page.waitForURL((url) => /^\/concerns\/[0-9a-f-]{36}$/.test(url.pathname));
    expect(
      await page.getByText('Exactly as the child said them, in Polish. Not translated.', { exact: true }).count(),
    ).toBe(1);
    expect(await page.getByText('Nie chcę iść do domu.', { exact: true }).count()).toBe(1);
  });
});
