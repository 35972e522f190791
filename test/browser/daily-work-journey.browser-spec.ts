import { BrowserContext, Page } from 'playwright-core';
import { londonDateOf } from '../../src/calendar/london-time';
import { tinyPdf } from '../../src/dsp/attachments/attachment-test-helpers';
import { BrowserHarness, signedInPage, startBrowserHarness } from '../support/browser';
import { SmtpInbox } from '../support/smtp-inbox';

const TEACHER = 'teacher@riverside.example';
const DSP = 'dsp@riverside.example';
const SUMMARY = 'Grace said she had no breakfast again and fell asleep in maths.';
const ACTION = 'Speak to Grace’s mum at pick-up about breakfast club';
const CONCERN_PATH = /^\/concerns\/[0-9a-f-]{36}$/;

/**
 * The DSP's day in one journey (issue 13), each person in their own browser: a teacher records a
 * concern; the DSP is told in the app (the header's count, the notifications page) and by an email read
 * from a real SMTP server, which names neither the pupil nor the concern; the DSP sets an action for
 * the teacher, attaches the GP's letter (a PDF), corrects the time the concern happened with a reason;
 * the teacher completes the action; the DSP reads it all on the concern and the chronology.
 */
describe('A DSP’s day: told of a concern, sets an action, attaches a letter, corrects the time (real browser, real email)', () => {
  let harness: BrowserHarness;
  let inbox: SmtpInbox;
  const contexts: BrowserContext[] = [];

  async function as(email: string): Promise<Page> {
    const { context, page } = await signedInPage(harness, email);
    contexts.push(context);
    return page;
  }

  beforeAll(async () => {
    inbox = await SmtpInbox.start();
    // The sweep (and with it the email flush after commit) is off in tests unless asked for.
    harness = await startBrowserHarness({ env: { SMTP_URL: inbox.url, REMINDER_SWEEP_SECONDS: '1' } });
  });

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await harness?.close();
    await inbox?.close();
  });

  it('tells the DSP, who acts on it; the teacher completes the action', async () => {
    // The teacher records a concern about Grace.
    const teacher = await as(TEACHER);
    await teacher.getByRole('link', { name: 'Pupils' }).first().click();
    await teacher.getByLabel('Search by name or UPN').fill('okafor');
    await teacher.getByRole('button', { name: 'Search' }).click();
    await teacher.getByRole('link', { name: 'Okafor, Grace' }).click();
    await teacher.getByRole('button', { name: 'Record a concern' }).click();
    await teacher.getByLabel('What did you see or hear?').fill(SUMMARY);
    await teacher
      .getByRole('group', { name: 'How do you know?' })
      .getByRole('radio', { name: 'Seen or heard by the person recording it' })
      .check();
    await teacher.getByRole('radio', { name: 'Neglect', exact: true }).check();
    await teacher.getByRole('button', { name: 'Record concern', exact: true }).click();
    await teacher.waitForURL((url) => CONCERN_PATH.test(url.pathname));
    const concernPath = new URL(teacher.url()).pathname;

    // The DSP sees it counted in the header and listed on the notifications page.
    const dsp = await as(DSP);
    expect(await dsp.locator('#header-notifications').textContent()).toMatch(/Notifications \(\d+ unread\)/);
    await dsp.locator('#header-notifications').click();
    await dsp.waitForURL(/\/notifications/);
    const notice = dsp.getByRole('link', { name: /New concern recorded at Riverside Primary/ });
    expect(await notice.count()).toBe(1);

    // And by email, which says what kind of thing happened and where, with a link, and nothing of the child.
    const email = await inbox.waitFor(DSP, (received) => received.text.includes(concernPath));
    expect(email.subject).toContain('New concern recorded at Riverside Primary');
    for (const word of ['Grace', 'Okafor', 'breakfast', 'maths', 'Neglect', 'Esgeulustod']) {
      expect(email.text).not.toContain(word);
      expect(email.subject).not.toContain(word);
    }

    // The notification's link opens the concern.
    await notice.click();
    await dsp.waitForURL((url) => url.pathname === concernPath);

    // An action for the teacher, due in two days.
    const teacherName = (await harness.testApp.as(TEACHER).me()).name;
    await dsp.getByText('Set an action', { exact: true }).first().click();
    await dsp.getByLabel('What needs to be done').fill(ACTION);
    await dsp.getByLabel('Who will do it').selectOption({ label: `${teacherName} (Staff member)` });
    await dsp.getByLabel('Due date').fill(londonDateOf(new Date(Date.now() + 2 * 86_400_000)));
    await dsp.getByRole('button', { name: 'Set action' }).click();
    await dsp.waitForURL((url) => url.pathname === concernPath);
    expect(await dsp.locator('#actions + ul').textContent()).toContain(ACTION);

    // The GP's letter, attached.
    await dsp
      .getByLabel('Attach a file')
      .setInputFiles({ name: 'GP letter.pdf', mimeType: 'application/pdf', buffer: tinyPdf('GP letter') });
    await dsp.getByRole('button', { name: 'Attach file' }).click();
    expect(await dsp.getByRole('link', { name: 'GP letter.pdf' }).isVisible()).toBe(true);

    // The time it happened, corrected, with the reason kept beside the old and new times.
    await dsp.getByRole('link', { name: 'Correct this record' }).click();
    await dsp.getByRole('link', { name: 'When it happened' }).click();
    // Yesterday's date too: 08:50 today is still in the future before 08:50 (the app refuses that).
    await dsp.getByLabel('Date', { exact: true }).fill(londonDateOf(new Date(Date.now() - 86_400_000)));
    await dsp.getByLabel('Time').fill('08:50');
    await dsp.getByLabel('Why are you correcting this?').fill('It happened at registration, not when it was typed up');
    await dsp.getByRole('button', { name: 'Save the correction' }).click();
    await dsp.waitForURL((url) => url.pathname === concernPath);
    const history = (await dsp.locator('.app-amendments').textContent()) ?? '';
    expect(history).toContain('When it happened');
    expect(history).toContain('8:50');
    expect(history).toContain('It happened at registration, not when it was typed up');

    // The teacher finds the action on the dashboard and completes it.
    await teacher.goto(`${harness.baseUrl}/`);
    expect(await teacher.locator('#my-actions-list').textContent()).toContain(ACTION);
    await teacher.getByRole('link', { name: 'View all my actions' }).click();
    await teacher
      .locator('tbody tr', { hasText: ACTION })
      .getByRole('link', { name: /Mark as done/ })
      .click();
    await teacher.getByLabel('What was done').fill('Mum will bring Grace to breakfast club from Monday');
    await teacher.getByRole('button', { name: 'Mark as done' }).click();
    await teacher.waitForURL(/\/actions\?done=completed$/);

    // The DSP reads it all: the action done, and the chronology has each step.
    await dsp.goto(`${harness.baseUrl}${concernPath}`);
    const actions = (await dsp.locator('#actions + ul').textContent()) ?? '';
    expect(actions).toContain('Done');
    expect(actions).toContain('Mum will bring Grace to breakfast club from Monday');
    await dsp
      .getByRole('link', { name: /chronology/i })
      .first()
      .click();
    const timeline = (await dsp.locator('main').textContent()) ?? '';
    for (const kind of ['Action set', 'Action completed', 'Concern corrected', 'Attachment added'])
      expect([kind, timeline.includes(kind)]).toEqual([kind, true]);
  });
});
