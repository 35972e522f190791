import { BrowserContext, Page } from 'playwright-core';
import { Concern, ConcernDetail, ConcernListItem, Paged } from '../support/api';
import { BrowserHarness, comesBefore, pupilIdOf, signedInPage, startBrowserHarness } from '../support/browser';

const DSP = 'dsp@riverside.example';
const HEAD = 'head@riverside.example';

const ELSA = 'ELSA (emotional literacy support assistant)';

/**
 * Issue 4: the guidance panel on "Record a concern" (live with JavaScript, posted without it, in
 * English and Welsh), and the DSP's referral form putting early help before MASH.
 */
describe('The guidance panel and the early-help-first referral form (real browser)', () => {
  let harness: BrowserHarness;
  let context: BrowserContext | undefined;
  const pupils: Record<string, string> = {};

  async function as(email: string, javaScriptEnabled = true): Promise<Page> {
    const signedIn = await signedInPage(harness, email, { javaScriptEnabled });
    context = signedIn.context;
    return signedIn.page;
  }

  const concernForm = (pupilId: string, query = '') => `${harness.baseUrl}/concerns/new?pupilId=${pupilId}${query}`;

  beforeAll(async () => {
    harness = await startBrowserHarness();
    for (const [first, last] of [
      ['Osian', 'Williams'],
      ['Zofia', 'Nowak'],
      ['Dewi', 'Lloyd'],
      ['Isla', 'Thomas'],
    ]) {
      pupils[first] = await pupilIdOf(harness.testApp, DSP, first, last);
    }
  });

  afterAll(() => harness?.close());

  afterEach(async () => {
    await context?.close();
    context = undefined;
  });

  it('updates live as the DSP ticks boxes, without submitting the form', async () => {
    const page = await as(DSP);
    await page.goto(concernForm(pupils.Osian));
    const formUrl = page.url();
    let navigations = 0;
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) navigations += 1;
    });

    const panel = page.locator('#guidance-panel');
    expect(await panel.getAttribute('aria-live')).toBe('polite');
    await panel.getByText('Choose a category to see what the guidance suggests.').waitFor();

    await page.getByRole('radio', { name: 'Wellbeing (no suspected abuse)' }).check();
    await panel.getByText('Level of need: Universal', { exact: true }).waitFor();
    expect(await panel.getByRole('heading', { name: 'What the guidance suggests' }).count()).toBe(1);
    expect(await panel.getByText('Monitor in school', { exact: true }).count()).toBe(1);
    expect(await panel.getByText(ELSA, { exact: true }).count()).toBe(0);

    // Bullying: school-led (level 2), with the untagged school-led service.
    await page.getByRole('checkbox', { name: 'Bullying' }).check();
    await panel.getByText('Level of need: Additional, school-led', { exact: true }).waitFor();
    expect(await panel.getByText('Support in school', { exact: true }).count()).toBe(1);
    expect(await panel.getByRole('heading', { name: 'Local services that fit this concern' }).count()).toBe(1);
    expect(await panel.getByText(ELSA, { exact: true }).count()).toBe(1);
    expect(await panel.getByText(/^Keeping Learners Safe: additional needs \(Bullying\)/).count()).toBe(1);

    // Self-harm: complex (level 3), early help.
    await page.getByRole('checkbox', { name: 'Self-harm' }).check();
    await panel.getByText('Level of need: Complex, early help', { exact: true }).waitFor();
    expect(await panel.getByText('Early help', { exact: true }).count()).toBe(1);
    expect(await panel.getByText('Family Help', { exact: true }).count()).toBe(1);
    expect(await panel.getByText(ELSA, { exact: true }).count()).toBe(0);

    // Immediate danger: the emergency, with the unmissable banner beside the ticks (emergency-call spec).
    expect(await page.getByRole('alert').count()).toBe(0);
    await page.getByRole('checkbox', { name: 'The child is in immediate danger' }).check();
    const banner = page.locator('#emergency-indicators').getByRole('alert');
    await banner.waitFor();
    expect(await banner.getByRole('heading').textContent()).toBe('Call 999 now');
    expect(await banner.textContent()).toContain('Phone 999 first');
    await panel.getByText('Level of need: Emergency', { exact: true }).waitFor();
    expect(await panel.getByText('Police (999)', { exact: true }).count()).toBeGreaterThanOrEqual(1);

    await page.getByRole('checkbox', { name: 'The child is in immediate danger' }).uncheck();
    await banner.waitFor({ state: 'detached' });
    await panel.getByText('Level of need: Complex, early help', { exact: true }).waitFor();

    // Nothing was submitted: the same page, never navigated, the ticks still there.
    expect(page.url()).toBe(formUrl);
    expect(navigations).toBe(0);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Record a concern');
    expect(await page.getByRole('checkbox', { name: 'Self-harm' }).isChecked()).toBe(true);
  });

  it('without JavaScript, “Check the guidance” posts the form and the server draws the same panel, keeping the ticks', async () => {
    const page = await as(DSP, false);
    await page.goto(concernForm(pupils.Zofia));
    const panel = page.locator('#guidance-panel');
    expect((await panel.textContent())?.trim()).toBe('');

    await page.getByLabel('What did you see or hear?').fill('Zofia said the older pupils "took her bag" again.');
    await page.getByRole('radio', { name: 'Wellbeing (no suspected abuse)' }).check();
    await page.getByRole('checkbox', { name: 'Bullying' }).check();
    await page.getByRole('checkbox', { name: 'The child is in immediate danger' }).check();
    await page.getByRole('button', { name: 'Check the guidance' }).click();
    await page.waitForURL((url) => url.pathname === '/concerns');

    const banner = page.locator('#emergency-indicators').getByRole('alert');
    expect(await banner.getByRole('heading').textContent()).toBe('Call 999 now');
    expect(await panel.getByText('Level of need: Emergency', { exact: true }).count()).toBe(1);
    expect(await panel.getByRole('heading', { name: 'What the guidance suggests' }).count()).toBe(1);
    // What was ticked and typed is kept, and nothing was recorded.
    expect(await page.getByRole('radio', { name: 'Wellbeing (no suspected abuse)' }).isChecked()).toBe(true);
    expect(await page.getByRole('checkbox', { name: 'Bullying' }).isChecked()).toBe(true);
    expect(await page.getByRole('checkbox', { name: 'The child is in immediate danger' }).isChecked()).toBe(true);
    expect(await page.getByLabel('What did you see or hear?').inputValue()).toBe(
      'Zofia said the older pupils "took her bag" again.',
    );
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Record a concern');

    // Untick the emergency and check again: level 2, the school-led service, and no banner.
    await page.getByRole('checkbox', { name: 'The child is in immediate danger' }).uncheck();
    await page.getByRole('button', { name: 'Check the guidance' }).click();
    await page.waitForURL((url) => url.pathname === '/concerns');
    await panel.getByText('Level of need: Additional, school-led', { exact: true }).waitFor();
    expect(await page.getByRole('alert').count()).toBe(0);
    expect(await panel.getByText(ELSA, { exact: true }).count()).toBe(1);
    expect(await page.getByRole('checkbox', { name: 'The child is in immediate danger' }).isChecked()).toBe(false);

    const concerns = await harness.testApp.as(DSP).read<Paged<ConcernListItem>>('/api/concerns');
    expect(concerns.items.filter((item) => item.pupil.id === pupils.Zofia)).toEqual([]);
  });

  it('speaks Welsh when the form is in Welsh', async () => {
    const page = await as(HEAD);
    await page.goto(concernForm(pupils.Dewi, '&lang=cy'));
    expect(await page.locator('html').getAttribute('lang')).toBe('cy');
    const panel = page.locator('#guidance-panel');

    await page.getByRole('radio', { name: 'Llesiant (dim amheuaeth o gam-drin)' }).check();
    await page.getByRole('checkbox', { name: 'Bwlio' }).check();
    await panel.getByText('Lefel angen: Ychwanegol, dan arweiniad yr ysgol', { exact: true }).waitFor();
    expect(await panel.getByRole('heading', { name: "Beth mae'r canllawiau'n ei awgrymu" }).count()).toBe(1);
    expect(await panel.getByRole('heading', { name: 'Pam' }).count()).toBe(1);
    expect(await panel.getByRole('heading', { name: "Gwasanaethau lleol sy'n gweddu i'r pryder hwn" }).count()).toBe(1);
    expect(await panel.getByText('Cymorth yn yr ysgol', { exact: true }).count()).toBe(1);
    expect(await panel.getByText('ELSA (cynorthwyydd cymorth llythrennedd emosiynol)', { exact: true }).count()).toBe(
      1,
    );
    expect(await panel.getByText(/^Cadw Dysgwyr yn Ddiogel:/).count()).toBe(1);

    await page.getByRole('checkbox', { name: "Mae'r plentyn mewn perygl uniongyrchol" }).check();
    const banner = page.locator('#emergency-indicators').getByRole('alert');
    await banner.waitFor();
    expect(await banner.getByRole('heading').textContent()).toBe('Ffoniwch 999 nawr');
    await panel.getByText('Lefel angen: Argyfwng', { exact: true }).waitFor();
    expect(await panel.getByText(/Level of need|What the guidance suggests|Call 999 now/).count()).toBe(0);
    expect(await page.getByText(/Call 999 now|Phone 999 first/).count()).toBe(0);
  });

  it('on a level-2 concern, offers early help and local services before MASH, and MASH needs a reason', async () => {
    const recorded = await harness.testApp.as(DSP).post<Concern>('/api/concerns', {
      pupilId: pupils.Isla,
      occurredAt: new Date(Date.now() - 3_600_000).toISOString(),
      category: 'wellbeing',
      issues: ['bullying'],
      summary: 'Isla has been left out and called names by a group in her class all week.',
      evidenceBasis: 'observed',
    });
    expect(recorded.status).toBe(201);
    expect(recorded.body.guidance.level).toBe(2);

    const page = await as(DSP);
    await page.goto(`${harness.baseUrl}/concerns/${recorded.body.id}`);
    const referralForm = page.getByRole('region', { name: 'Send a referral' });
    const earlyHelpFirst = referralForm.getByRole('heading', { name: 'Consider early help first' });
    const service = referralForm.getByRole('listitem').filter({ hasText: ELSA });
    const earlyHelp = referralForm.getByRole('radio', { name: 'Early help', exact: true });
    const mash = referralForm.getByRole('radio', { name: 'MASH', exact: true });
    expect(await earlyHelpFirst.count()).toBe(1);
    expect(await referralForm.getByText(/level of need for this concern is: Additional, school-led/).count()).toBe(1);
    expect(await service.count()).toBe(1);
    expect(await comesBefore(earlyHelpFirst, mash)).toBe(true);
    expect(await comesBefore(service, mash)).toBe(true);
    expect(await comesBefore(earlyHelp, mash)).toBe(true);
    expect(
      await referralForm
        .getByRole('radio')
        .evaluateAll((radios) =>
          radios.filter((r) => (r as HTMLInputElement).name === 'route').map((r) => (r as HTMLInputElement).value),
        ),
    ).toEqual(['early_help', 'mash', 'designated_officer', 'police']);

    // MASH for a level-2 concern without a reason is refused, naming the reason field.
    await mash.check();
    await referralForm
      .getByRole('group', { name: 'Did you ask the family for consent?' })
      .getByRole('radio', { name: 'No' })
      .check();
    await referralForm
      .getByLabel('Why you did not ask for consent')
      .fill('The family have said they will move Isla to another school.');
    await referralForm.getByRole('button', { name: 'Send referral' }).click();
    await page.waitForURL((url) => url.pathname.endsWith('/escalations'));
    const summary = page.getByRole('alert').filter({ hasText: 'There is a problem' });
    expect(await summary.getByRole('link').allTextContents()).toEqual([
      'This route goes against the guidance for this concern: say why, in at least 20 characters',
    ]);
    expect(await summary.getByRole('link').getAttribute('href')).toBe('#reasonForRoute');
    expect(
      await page
        .getByRole('region', { name: 'Send a referral' })
        .getByRole('radio', { name: 'MASH', exact: true })
        .isChecked(),
    ).toBe(true);
    const sent = await harness.testApp.as(DSP).read<ConcernDetail>(`/api/concerns/${recorded.body.id}`);
    expect(sent.escalations).toEqual([]);
  });
});
