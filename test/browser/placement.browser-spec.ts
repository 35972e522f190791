import { BrowserContext, Page } from 'playwright-core';
import { londonDateOf } from '../../src/calendar/london-time';
import { BrowserHarness, signedInPage, startBrowserHarness } from '../support/browser';
import { axeViolations } from '../support/axe';

const PRU_DSP = 'dsp@bridge.example';
const HOME_DSP = 'dsp@hillcrest.example';

const PRU_SUMMARY = 'Hana arrived at Bridge upset and said an older boy took her phone on the way in.';
const HOME_SUMMARY = 'Hana told her Hillcrest form tutor she is frightened of going home on Fridays.';

const daysFromToday = (days: number) => londonDateOf(new Date(Date.now() + days * 86_400_000));

/**
 * A placement walked in a real browser, each person in their own: Bridge PRU's DSP places Hillcrest's
 * Hana (found by UPN and date of birth) and records a concern; Hillcrest's DSP is told (the header's
 * notifications), reads it in Hana's chronology and records one of their own; the placement ends with
 * reintegration, and Bridge then reads only what Bridge recorded.
 */
describe('A PRU placement, from start to reintegration (real browser)', () => {
  let harness: BrowserHarness;
  const contexts: BrowserContext[] = [];
  let hana: { id: string; upn: string; dateOfBirth: string };

  async function as(email: string): Promise<Page> {
    const { context, page } = await signedInPage(harness, email);
    contexts.push(context);
    return page;
  }

  async function recordConcern(page: Page, summary: string): Promise<string> {
    await page.goto(`${harness.baseUrl}/concerns/new?pupilId=${hana.id}`);
    await page.getByLabel('What did you see or hear?').fill(summary);
    await page.locator('input[name=evidenceBasis]').first().check();
    await page.locator('input[name=category]').first().check();
    await Promise.all([
      page.waitForURL(/\/concerns\/[0-9a-f-]{36}(\?.*)?$/),
      page.locator('button.govuk-button[value=record]').click(),
    ]);
    return new URL(page.url()).pathname.split('/')[2];
  }

  beforeAll(async () => {
    harness = await startBrowserHarness();
    hana = await harness.testApp.as(HOME_DSP).pupilNamed('Hana', 'Ahmed');
  });

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await harness?.close();
  });

  it('places, shares while placed, ends with reintegration, and leaves the PRU its own records', async () => {
    // Bridge's DSP finds Hana, who is not on Bridge's roll, by exact UPN and date of birth.
    const pru = await as(PRU_DSP);
    await pru.getByRole('link', { name: 'Placements', exact: true }).first().click();
    await pru.getByRole('button', { name: 'Start a placement' }).click();
    await pru.getByLabel('Unique pupil number (UPN)').fill(hana.upn);
    await pru.getByLabel('Date of birth').fill(hana.dateOfBirth);
    await pru.getByRole('button', { name: 'Find the child' }).click();
    expect(await pru.locator('#found-pupil').textContent()).toBe('Hana Ahmed');

    // The placement: the home school is the one Hana is on the roll of.
    await pru.getByRole('radio', { name: 'Hillcrest High' }).check();
    await pru.getByRole('radio', { name: 'Dual registration (part time at the PRU)' }).check();
    await pru.getByRole('radio', { name: 'At risk of exclusion' }).check();
    await pru.getByLabel('More about the reason (optional)').fill('Two mornings a week, agreed with Hillcrest.');
    await pru.getByLabel('Start date').fill(daysFromToday(-7));
    await pru.getByLabel('First review date (optional)').fill(daysFromToday(14));
    await Promise.all([
      pru.waitForURL(/\/placements\/[0-9a-f-]{36}\?done=started$/),
      pru.getByRole('button', { name: 'Start the placement' }).click(),
    ]);
    const placementUrl = pru.url().replace(/\?.*$/, '');
    expect(await pru.locator('#placement-status').textContent()).toBe('Active');

    // Bridge records a concern about Hana.
    const pruConcernId = await recordConcern(pru, PRU_SUMMARY);

    // Hillcrest's DSP reads Bridge's concern and the placement in Hana's chronology, and records their own.
    const home = await as(HOME_DSP);
    // Hillcrest's DSP was told: the header counts it, and the notification opens Bridge's concern.
    await home.goto(`${harness.baseUrl}/`);
    expect(await home.locator('#header-notifications').textContent()).toMatch(/Notifications \(\d+ unread\)/);
    await home.locator('#header-notifications').click();
    await home.waitForURL(/\/notifications/);
    await home
      .getByRole('link', { name: /New concern recorded at Bridge PRU/ })
      .first()
      .click();
    await home.waitForURL(/\/concerns\/[0-9a-f-]{36}$/);
    await home.getByText(PRU_SUMMARY).waitFor();
    await home.goto(`${harness.baseUrl}/pupils/${hana.id}/chronology`);
    await home.getByText(PRU_SUMMARY).waitFor();
    expect(await home.getByText(/Placed at Bridge PRU from Hillcrest High/).count()).toBeGreaterThan(0);
    await recordConcern(home, HOME_SUMMARY);

    // While placed, Bridge reads Hillcrest's concern too.
    await pru.goto(`${harness.baseUrl}/pupils/${hana.id}/chronology`);
    await pru.getByText(HOME_SUMMARY).waitFor();

    // Bridge ends the placement: Hana went back to Hillcrest.
    await pru.goto(placementUrl);
    expect(await pru.getByText('your PRU reads only the records it made itself').count()).toBe(1);
    await pru.getByLabel('End date').fill(daysFromToday(-1));
    await pru.getByRole('radio', { name: 'Went back to the home school (reintegrated)' }).check();
    await pru.getByLabel('Note on the ending').fill('Back at Hillcrest full time from Monday.');
    // Bridge's concern has no decision yet: the ending is refused, saying why, until it has one.
    await pru.getByRole('button', { name: 'End the placement' }).click();
    await pru
      .getByText(/still waits for a DSP's decision/)
      .first()
      .waitFor();
    await harness.testApp
      .as(PRU_DSP)
      .created(`/api/concerns/${pruConcernId}/decision`, { outcome: 'mash', rationale: 'Refer to MASH today.' });
    await pru.goto(placementUrl);
    await pru.getByLabel('End date').fill(daysFromToday(-1));
    await pru.getByRole('radio', { name: 'Went back to the home school (reintegrated)' }).check();
    await pru.getByLabel('Note on the ending').fill('Back at Hillcrest full time from Monday.');
    await Promise.all([
      pru.waitForURL(/\?done=ended$/),
      pru.getByRole('button', { name: 'End the placement' }).click(),
    ]);
    expect(await pru.locator('#placement-status').textContent()).toBe('Ended');

    // Bridge now reads only what Bridge recorded; Hillcrest still reads everything.
    await pru.goto(`${harness.baseUrl}/pupils/${hana.id}/chronology`);
    await pru.getByText(PRU_SUMMARY).waitFor();
    expect(await pru.getByText(HOME_SUMMARY).count()).toBe(0);
    expect(await pru.getByText(/Placement at Bridge PRU ended/).count()).toBeGreaterThan(0);

    await home.goto(`${harness.baseUrl}/pupils/${hana.id}/chronology`);
    await home.getByText(HOME_SUMMARY).waitFor();
    expect(await home.getByText(PRU_SUMMARY).count()).toBe(1);
  });

  it.each(['en', 'cy'] as const)(
    'meets WCAG 2.1 AA on every placement page as far as axe can tell (%s)',
    async (lang) => {
      const pru = await as(PRU_DSP);
      const home = await as(HOME_DSP);
      const check = async (page: Page, path: string) => {
        await page.goto(`${harness.baseUrl}${path}${path.includes('?') ? '&' : '?'}lang=${lang}`);
        expect([path, await axeViolations(page)]).toEqual([path, []]);
      };
      await check(pru, '/placements');
      await check(pru, '/placements?status=ended');
      await check(home, '/placements');
      await check(home, '/');
      await check(pru, '/');
      await check(pru, '/placements/new');
      // The find step with its errors, then the placement's own fields for a child found.
      await pru.getByRole('button', { name: lang === 'cy' ? 'Dod o hyd i’r plentyn' : 'Find the child' }).click();
      await pru.locator('.govuk-error-summary').waitFor();
      expect(await axeViolations(pru)).toEqual([]);
      const chloe = await harness.testApp.as(HOME_DSP).pupilNamed('Chloe', 'Davies');
      await pru.locator('#upn').fill(chloe.upn);
      await pru.locator('#dateOfBirth').fill(chloe.dateOfBirth);
      await pru.locator('form[action="/placements/new/find"] button').click();
      await pru.locator('form[action="/placements/new"]').waitFor();
      expect(await axeViolations(pru)).toEqual([]);
      // The demo placement's page, for the PRU (with its forms) and for the home school.
      const listed = await harness.testApp
        .as(PRU_DSP)
        .read<{ items: Array<{ id: string }> }>('/api/placements', { status: 'active' });
      await check(pru, `/placements/${listed.items[0].id}`);
      await check(home, `/placements/${listed.items[0].id}`);
    },
  );
});
