import { londonDateOf } from '../../src/calendar/london-time';
import { ConcernListItem, Paged } from '../support/api';
import { BrowserHarness, signedInPage, startBrowserHarness } from '../support/browser';
import { axeViolations } from '../support/axe';

const DSP = 'dsp@riverside.example';
const TEACHER = 'teacher@riverside.example';
const DESCRIPTION = 'Ask the pupil how lunchtimes have been this week';

/**
 * An action walked in a real browser: Riverside's DSP sets one on a concern for the class teacher, who
 * finds it on the dashboard, opens "my actions" and marks it done with a note; the DSP then reads it done
 * on the concern. Every page on the way meets WCAG 2.1 AA as far as axe can tell.
 */
describe('An action on a concern, from set to done (real browser)', () => {
  let harness: BrowserHarness;
  let concern: ConcernListItem;

  beforeAll(async () => {
    harness = await startBrowserHarness();
    const open = await harness.testApp
      .as(DSP)
      .read<Paged<ConcernListItem>>('/api/concerns', { status: 'open', pageSize: '200' });
    concern = open.items[0];
  });

  afterAll(() => harness?.close());

  it('is set by the DSP, seen and completed by the teacher, and read done on the concern', async () => {
    const teacherName = (await harness.testApp.as(TEACHER).me()).name;
    const { context: dspContext, page: dsp } = await signedInPage(harness, DSP);
    await dsp.goto(`${harness.baseUrl}/concerns/${concern.id}`);
    await dsp.getByText('Set an action', { exact: true }).first().click();
    // Nothing filled in: the form comes back on its own page with the errors.
    await dsp.getByRole('button', { name: 'Set action' }).click();
    await dsp.locator('.govuk-error-summary').waitFor();
    expect(await dsp.locator('.govuk-error-summary').textContent()).toContain('Enter what needs to be done');
    expect(await axeViolations(dsp)).toEqual([]);
    await dsp.getByLabel('What needs to be done').fill(DESCRIPTION);
    await dsp.getByLabel('Who will do it').selectOption({ label: `${teacherName} (Staff member)` });
    await dsp.getByLabel('Due date').fill(londonDateOf(new Date(Date.now() + 2 * 86_400_000)));
    await dsp.getByRole('button', { name: 'Set action' }).click();
    await dsp.waitForURL(new RegExp(`/concerns/${concern.id}#actions$`));
    expect(await dsp.locator('#actions + ul').textContent()).toContain(DESCRIPTION);
    expect(await axeViolations(dsp)).toEqual([]);

    const { context: teacherContext, page: teacher } = await signedInPage(harness, TEACHER);
    const glance = teacher.locator('#my-actions-list');
    expect(await glance.textContent()).toContain(DESCRIPTION);
    expect(await axeViolations(teacher)).toEqual([]);
    await teacher.getByRole('link', { name: 'View all my actions' }).click();
    await teacher.waitForURL(/\/actions$/);
    expect(await teacher.getByRole('heading', { level: 1 }).textContent()).toContain('My actions');
    expect(await axeViolations(teacher)).toEqual([]);
    const row = teacher.locator('tbody tr', { hasText: DESCRIPTION });
    await row.getByRole('link', { name: /Mark as done/ }).click();
    await teacher.getByLabel('What was done').fill('Talked at break: lunchtimes are better now');
    expect(await axeViolations(teacher)).toEqual([]);
    await teacher.getByRole('button', { name: 'Mark as done' }).click();
    await teacher.waitForURL(/\/actions\?done=completed$/);
    expect(await teacher.getByRole('alert').textContent()).toContain('marked as done');
    // Still listed, after the open ones, as done and with nothing more to do.
    const doneRow = teacher.locator('tbody tr', { hasText: DESCRIPTION });
    expect(await doneRow.textContent()).toContain('Done');
    expect(await doneRow.getByRole('link', { name: /Mark as done/ }).count()).toBe(0);

    await dsp.goto(`${harness.baseUrl}/concerns/${concern.id}`);
    const actions = await dsp.locator('#actions + ul').textContent();
    expect(actions).toContain('Talked at break: lunchtimes are better now');
    expect(actions).toContain('Done');

    // The same pages in Welsh.
    for (const [page, path] of [
      [teacher, '/actions'],
      [teacher, '/'],
      [dsp, `/concerns/${concern.id}`],
    ] as const) {
      await page.goto(`${harness.baseUrl}${path}?lang=cy`);
      expect([path, await axeViolations(page)]).toEqual([path, []]);
    }
    await dspContext.close();
    await teacherContext.close();
  });
});
