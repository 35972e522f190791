import { Chronology } from '../support/api';
import { BrowserHarness, signedInPage, startBrowserHarness } from '../support/browser';

const RIVERSIDE_DSP = 'dsp@riverside.example';
const HILLCREST_DSP = 'dsp@hillcrest.example';

/**
 * Moving school in a real browser (issue 12's "done when"): Riverside's DSP sends a pupil's
 * safeguarding file to Hillcrest; Hillcrest's DSP sees it incoming with its due date, confirms receipt
 * and reads the whole history; Riverside's DSP still reads what it sent.
 */
describe('A pupil’s safeguarding file moves from Riverside to Hillcrest (real browser)', () => {
  let harness: BrowserHarness;

  beforeAll(async () => {
    harness = await startBrowserHarness();
  });

  afterAll(() => harness?.close());

  it('is sent, seen incoming with its due date, received, and read by both sides as they should', async () => {
    const api = harness.testApp.as(RIVERSIDE_DSP);
    // A Riverside pupil with a safeguarding history that only Riverside has seen.
    let pupil: { id: string; firstName: string; lastName: string } | undefined;
    let history: string[] = [];
    for (const candidate of await api.pupils({ pageSize: '200' })) {
      const chronology = await api.read<Chronology>(`/api/pupils/${candidate.id}/chronology`);
      if (chronology.entries.some((e) => e.kind === 'concern_recorded')) {
        pupil = candidate;
        history = chronology.entries.filter((e) => e.kind === 'concern_recorded').map((e) => e.detail ?? '');
        break;
      }
    }
    if (!pupil) throw new Error('No Riverside pupil with a concern in the demo');
    const name = `${pupil.firstName} ${pupil.lastName}`;
    const leavingOn = new Date(Date.now() - 24 * 3600 * 1000).toISOString().slice(0, 10);

    const { context: riversideContext, page: riverside } = await signedInPage(harness, RIVERSIDE_DSP);
    await riverside.goto(`${harness.baseUrl}/pupils/${pupil.id}`);
    await riverside
      .getByRole('link', { name: 'Send this pupil’s safeguarding file to a new school'.replace('’', "'") })
      .click();
    expect(await riverside.getByRole('heading', { level: 1 }).textContent()).toContain(name);
    // Sent with nothing chosen: the errors say what is missing, beside the fields.
    await riverside.getByRole('button', { name: 'Send the file' }).click();
    expect(await riverside.getByRole('alert').textContent()).toContain('Choose where the pupil is going');
    await riverside.getByLabel(/Hillcrest High/).check();
    await riverside.getByLabel('Leaving date').fill(leavingOn);
    await riverside.getByLabel(/Note for the receiving DSP/).fill('Please read the chronology before his first day');
    await riverside.getByRole('button', { name: 'Send the file' }).click();
    await riverside.waitForURL(/\/transfers\/[0-9a-f-]{36}\?done=sent$/);
    expect(await riverside.getByRole('status').textContent()).toContain('The file has been sent');
    const transferPath = new URL(riverside.url()).pathname;

    const { context: hillcrestContext, page: hillcrest } = await signedInPage(harness, HILLCREST_DSP);
    expect(await hillcrest.locator('#transfers').textContent()).toContain('Incoming, waiting for your receipt: 1');
    await hillcrest.getByRole('link', { name: 'Safeguarding file transfers' }).click();
    const row = hillcrest.locator('#incoming + table tbody tr', { hasText: name });
    expect(await row.count()).toBe(1);
    expect(await row.textContent()).toContain('Waiting for receipt');
    expect(await row.textContent()).toMatch(/by \d{2}:\d{2} on/);
    await row.getByRole('link', { name }).click();
    await hillcrest.waitForURL(`${harness.baseUrl}${transferPath}`);
    expect(await hillcrest.getByText('Please read the chronology before his first day').count()).toBe(1);
    await hillcrest.getByRole('button', { name: 'Confirm receipt' }).click();
    await hillcrest.waitForURL(/\?done=received$/);
    expect(await hillcrest.getByRole('status').textContent()).toContain('Receipt confirmed');

    await hillcrest
      .getByRole('link', { name: 'Read the pupil’s chronology'.replace('’', "'") })
      .first()
      .click();
    expect(await hillcrest.getByRole('heading', { level: 1 }).textContent()).toContain(pupil.firstName);
    const hillcrestReads = await hillcrest.locator('main').textContent();
    for (const summary of history) expect(hillcrestReads).toContain(summary);
    expect(hillcrestReads).toContain('Safeguarding file received from Riverside Primary');

    await riverside.goto(`${harness.baseUrl}/pupils/${pupil.id}/chronology`);
    const riversideReads = await riverside.locator('main').textContent();
    for (const summary of history) expect(riversideReads).toContain(summary);
    expect(riversideReads).toContain('Safeguarding file sent to Hillcrest High');
    await riversideContext.close();
    await hillcrestContext.close();
  });
});
