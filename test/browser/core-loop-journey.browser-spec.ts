import { BrowserContext, Page } from 'playwright-core';
import { BrowserHarness, signedInPage, startBrowserHarness } from '../support/browser';

const TEACHER = 'teacher@riverside.example';
const DSP = 'dsp@riverside.example';
const MASH = 'mash@cardiff.example';
const EARLY_HELP = 'earlyhelp@cardiff.example';
const HEAD = 'head@riverside.example';

/** Quotes, an ampersand and a script tag: all must reach every reader as typed, and nothing may run. */
const SUMMARY = `At PE Grace had a bruise on her upper arm & said "I walked into a door". She had written <script>alert(1)</script> on her worksheet.`;
const CHILDS_WORDS = `I walked into a door, Mam says "don't tell".`;
const MARK_NOTE = 'Bruise about 3cm across, yellow-green';
const RATIONALE = 'A bruise Grace cannot explain, and she was told not to tell: refer to MASH today.';
const MASH_NOTE = 'Not at the threshold for statutory action; the family needs early help.';

const CONCERN_PATH = /^\/concerns\/[0-9a-f-]{36}$/;

/**
 * The core loop, person by person, each in their own browser (cookies): a teacher records a concern
 * of suspected physical abuse (a bruise the child cannot explain: level 4), the DSP answers the threshold question and refers
 * to MASH, with MASH first on the form and no early-help box, MASH redirects it to early help, the
 * early-help team receives it, and the head teacher reads it all in the chronology. Nothing anywhere
 * labels the referral as going against or above the guidance.
 */
describe('The core loop, from a teacher’s concern to the chronology (real browser)', () => {
  let harness: BrowserHarness;
  const contexts: BrowserContext[] = [];
  const dialogs: string[] = [];

  /** A signed-in page in a new context; any dialog (e.g. an injected alert) is recorded and dismissed. */
  async function as(email: string): Promise<Page> {
    const { context, page } = await signedInPage(harness, email);
    contexts.push(context);
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    return page;
  }

  const pathOf = (page: Page) => new URL(page.url()).pathname;

  beforeAll(async () => {
    harness = await startBrowserHarness();
  });

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await harness?.close();
  });

  it('records, decides, refers, redirects and shows it all in time order', async () => {
    // (a) The teacher finds Grace, who has no history, and records a concern as a person would.
    const teacher = await as(TEACHER);
    await teacher.getByRole('link', { name: 'Pupils' }).first().click();
    await teacher.getByLabel('Search by name or UPN').fill('okafor');
    await teacher.getByRole('button', { name: 'Search' }).click();
    await teacher.getByRole('link', { name: 'Okafor, Grace' }).click();
    await teacher.waitForURL(/\/pupils\/[0-9a-f-]{36}$/);
    const pupilUrl = teacher.url();
    expect(await teacher.getByRole('heading', { level: 1 }).textContent()).toContain('Grace Okafor');

    await teacher.getByRole('button', { name: 'Record a concern' }).click();
    await teacher.waitForURL(/\/concerns\/new\?pupilId=/);
    expect(await teacher.getByRole('heading', { level: 1 }).textContent()).toBe('Record a concern');

    await teacher.getByLabel('What did you see or hear?').fill(SUMMARY);
    await teacher.getByLabel("The child's own words (optional)").fill(CHILDS_WORDS);
    await teacher
      .getByRole('group', { name: 'Which language did the child speak?' })
      .getByRole('radio', { name: 'English' })
      .check();
    await teacher
      .getByRole('group', { name: 'How do you know?' })
      .getByRole('radio', { name: 'Told by the child' })
      .check();
    await teacher.getByRole('radio', { name: 'Physical abuse', exact: true }).check();
    await teacher.getByRole('checkbox', { name: 'Money worries or poverty at home' }).check();

    // The body map: describe the mark, then click the front figure (a real form post, kept state).
    await teacher.getByLabel('Describe the mark (optional)').fill(MARK_NOTE);
    await teacher
      .getByRole('button', { name: 'Front of the body: click where the mark is' })
      .click({ position: { x: 80, y: 130 } });
    await teacher.waitForURL((url) => url.pathname === '/concerns');
    const marks = teacher.getByRole('table', { name: 'Marks on the body map' });
    expect(await marks.getByRole('row').count()).toBe(2); // the header and mark 1
    expect(await marks.getByLabel('Note for mark 1').inputValue()).toBe(MARK_NOTE);
    // Everything typed before the click is still there.
    expect(await teacher.getByLabel('What did you see or hear?').inputValue()).toBe(SUMMARY);
    expect(await teacher.getByLabel("The child's own words (optional)").inputValue()).toBe(CHILDS_WORDS);
    expect(await teacher.getByRole('radio', { name: 'Physical abuse', exact: true }).isChecked()).toBe(true);
    expect(await teacher.getByRole('checkbox', { name: 'Money worries or poverty at home' }).isChecked()).toBe(true);

    await teacher.getByRole('button', { name: 'Record concern', exact: true }).click();
    await teacher.waitForURL((url) => CONCERN_PATH.test(url.pathname) && url.searchParams.get('done') === 'recorded');
    const concernPath = pathOf(teacher);
    expect(await teacher.getByRole('status').textContent()).toContain(
      "The concern is recorded and is in your DSP's triage queue",
    );
    expect(await teacher.getByRole('heading', { level: 1 }).textContent()).toBe('Concern: Physical abuse');
    // What was recorded, shown literally: the script tag is text, not an element, and nothing ran.
    expect(await teacher.getByText(SUMMARY, { exact: true }).count()).toBe(1);
    expect(await teacher.locator('main script:not([src^="/assets/"])').count()).toBe(0);
    const words = teacher.locator('blockquote');
    expect(await words.textContent()).toBe(CHILDS_WORDS);
    expect(await words.getAttribute('lang')).toBe('en');
    expect(await teacher.getByText('Money worries or poverty at home', { exact: true }).count()).toBe(1);
    expect(await teacher.getByText('Told by the child', { exact: true }).count()).toBe(1);
    expect(await teacher.getByRole('img', { name: 'Front of the body, with 1 marks' }).count()).toBe(1);
    expect(await teacher.getByText(MARK_NOTE, { exact: true }).count()).toBe(1);
    // A member of staff sees what happens next, not the DSP's forms.
    expect(await teacher.getByRole('heading', { name: 'What happens next' }).count()).toBe(1);
    expect(await teacher.getByRole('button', { name: 'Record decision' }).count()).toBe(0);

    // (b) The DSP finds it in the triage queue on their dashboard and decides.
    const dsp = await as(DSP);
    await dsp.getByRole('table', { name: 'Waiting for triage' }).getByRole('link', { name: 'Grace Okafor' }).click();
    await dsp.waitForURL((url) => url.pathname === concernPath);
    expect(await dsp.getByText(SUMMARY, { exact: true }).count()).toBe(1);
    expect(await dsp.getByText('Level of need: Child at risk: report to social services').count()).toBe(1);

    await dsp
      .getByRole('group', { name: /^Do you have reasonable cause to suspect/ })
      .first()
      .getByRole('radio', { name: 'Yes' })
      .check();
    await dsp.getByRole('radio', { name: /^Refer to MASH/ }).check();
    await dsp.getByLabel('Why? (your rationale)').fill(RATIONALE);
    await dsp.getByRole('button', { name: 'Record decision' }).click();
    await dsp.waitForURL((url) => url.pathname === concernPath && url.searchParams.get('done') === 'decided');
    expect(await dsp.getByRole('status').textContent()).toContain('Your decision is recorded');
    expect(await dsp.getByText(RATIONALE, { exact: true }).count()).toBe(1);

    // The referral form for a child at risk opens with MASH and the statutory contacts, and no early-help box.
    const referralForm = dsp.getByRole('region', { name: 'Send a referral' });
    expect(await referralForm.getByText('Consider early help first').count()).toBe(0);
    expect(await referralForm.getByRole('heading', { name: 'Report to MASH the same day' }).count()).toBe(1);
    expect(await referralForm.getByRole('radio', { name: /^MASH/ }).first().isChecked()).toBe(true);
    await referralForm
      .getByRole('group', { name: 'Did you ask the family for consent?' })
      .getByRole('radio', { name: 'Yes' })
      .check();
    await referralForm
      .getByRole('group', { name: 'Did they give consent?' })
      .getByRole('radio', { name: 'Yes' })
      .check();
    await referralForm.getByLabel('Who gave consent').fill('Mother (Ngozi Okafor)');
    await referralForm.getByRole('button', { name: 'Send referral' }).click();
    await dsp.waitForURL((url) => url.pathname === concernPath && url.searchParams.get('done') === 'referred');
    expect(await dsp.getByRole('status').textContent()).toContain('The referral is sent');
    const sent = dsp.locator('.app-referral');
    expect(await sent.count()).toBe(1);
    expect(await sent.getByRole('heading', { name: 'MASH' }).count()).toBe(1);
    expect(await dsp.getByText(/against the guidance|below the guidance|above the guidance/i).count()).toBe(0);

    // (c) MASH finds it in the inbox, acknowledges it and redirects it to early help.
    const mash = await as(MASH);
    await mash.goto(`${harness.baseUrl}/la/inbox`);
    await mash.getByRole('table').getByRole('link', { name: 'Grace Okafor' }).click();
    await mash.waitForURL(/\/la\/escalations\/[0-9a-f-]{36}$/);
    const mashReferralPath = pathOf(mash);
    expect(await mash.getByText('Referral: MASH').count()).toBe(1);
    // The receiving team sees what the DSP sent, and nothing about the guidance.
    expect(await mash.getByText(SUMMARY, { exact: true }).count()).toBe(1);
    expect(await mash.getByText(RATIONALE, { exact: true }).count()).toBe(1);
    expect(await mash.getByText(/guidance|level of need/i).count()).toBe(0);

    await mash.getByRole('button', { name: 'Acknowledge' }).click();
    await mash.waitForURL(
      (url) => url.pathname === mashReferralPath && url.searchParams.get('done') === 'acknowledged',
    );
    expect(await mash.getByRole('alert').textContent()).toContain('Referral acknowledged');

    await mash.getByRole('radio', { name: 'Redirected to early help' }).check();
    await mash.getByLabel('Note', { exact: true }).fill(MASH_NOTE);
    await mash.getByRole('button', { name: 'Record outcome' }).click();
    await mash.waitForURL((url) => url.pathname === mashReferralPath && url.searchParams.get('done') === 'decided');
    expect(await mash.getByRole('alert').textContent()).toContain('An early help referral was created from this one');
    expect(await mash.getByText(MASH_NOTE, { exact: true }).count()).toBe(1);

    // (d) The early-help team has the new referral for Grace and can open it.
    const earlyHelp = await as(EARLY_HELP);
    await earlyHelp.goto(`${harness.baseUrl}/la/inbox`);
    await earlyHelp.getByRole('table').getByRole('link', { name: 'Grace Okafor' }).click();
    await earlyHelp.waitForURL(/\/la\/escalations\/[0-9a-f-]{36}$/);
    expect(pathOf(earlyHelp)).not.toBe(mashReferralPath);
    expect(await earlyHelp.getByText('Referral: Early help').count()).toBe(1);
    expect(await earlyHelp.getByText("Redirected by MASH from Riverside Primary's referral").count()).toBeGreaterThan(
      0,
    );
    expect(await earlyHelp.getByText(MASH_NOTE, { exact: true }).count()).toBeGreaterThan(0);
    expect(await earlyHelp.getByText(SUMMARY, { exact: true }).count()).toBe(1);
    expect(await earlyHelp.getByRole('button', { name: 'Acknowledge' }).count()).toBe(1);

    // (e) The head teacher reads Grace's chronology, in the order things happened.
    const head = await as(HEAD);
    await head.goto(pupilUrl);
    await head.getByRole('link', { name: 'Safeguarding chronology' }).click();
    await head.waitForURL((url) => url.pathname.endsWith('/chronology'));
    const timeline = head.getByRole('list', { name: 'Timeline' });
    const titles = (await timeline.getByRole('heading', { level: 3 }).allTextContents()).map((t) => t.trim());
    const times = await timeline
      .locator('time')
      .evaluateAll((nodes) => nodes.map((node) => node.getAttribute('datetime') ?? ''));
    expect(times).toEqual([...times].sort());
    expect(titles.filter((title) => !title.startsWith('Enrolled at'))).toEqual([
      'Concern recorded: Physical abuse',
      'DSP decision: Refer to MASH',
      'Referral sent: MASH',
      'Referral acknowledged: MASH',
      'Referral sent: Early help',
      'Referral outcome (MASH): Redirected to early help',
    ]);

    // The head teacher sees the whole record but none of the DSP's forms.
    await head.getByRole('link', { name: /^Open the concern\s*: Concern recorded: Physical abuse$/ }).click();
    await head.waitForURL((url) => url.pathname === concernPath);
    expect(await head.getByText(SUMMARY, { exact: true }).count()).toBe(1);
    expect(await head.getByText(RATIONALE, { exact: true }).count()).toBe(1);
    expect(await head.locator('.app-referral').count()).toBe(2);
    for (const name of ['Record your decision', 'Send a referral', 'Close this concern']) {
      expect(await head.getByRole('heading', { name }).count()).toBe(0);
    }
    for (const name of ['Record decision', 'Send referral', 'Close concern']) {
      expect(await head.getByRole('button', { name }).count()).toBe(0);
    }
    // The head may record concerns, so may attach a file to one (issue 13): that form only.
    expect(await head.locator('main form[method="post"]:not([enctype="multipart/form-data"])').count()).toBe(0);

    // Nobody's browser ever ran the script typed into the concern.
    expect(dialogs).toEqual([]);
  });

  it('flags a downgrade of an emergency as below the guidance, with the DSP’s reason, until the concern is closed', async () => {
    const DOWNGRADE_REASON = 'Spoke to Grace and her mum with the school nurse; the crisis team saw her this morning.';
    const dsp = await as(DSP);
    await dsp.getByRole('link', { name: 'Pupils' }).first().click();
    await dsp.getByLabel('Search by name or UPN').fill('okafor');
    await dsp.getByRole('button', { name: 'Search' }).click();
    await dsp.getByRole('link', { name: 'Okafor, Grace' }).click();
    await dsp.getByRole('button', { name: 'Record a concern' }).click();
    await dsp.getByLabel('What did you see or hear?').fill('Grace said she wants to die and has a plan.');
    await dsp
      .getByRole('group', { name: 'How do you know?' })
      .getByRole('radio', { name: 'Told by the child' })
      .check();
    await dsp.getByRole('radio', { name: 'Wellbeing (no suspected abuse)', exact: true }).check();
    await dsp.getByRole('checkbox', { name: 'The child has talked about intending to end their life' }).check();
    await dsp.getByRole('button', { name: 'Record concern', exact: true }).click();
    await dsp.waitForURL((url) => CONCERN_PATH.test(url.pathname));
    const concernPath = pathOf(dsp);
    expect(await dsp.getByText('Level of need: Emergency').count()).toBe(1);

    // A tired DSP records "monitor" on an emergency without saying why: refused, with the reason asked for.
    await dsp
      .getByRole('group', { name: /^Do you have reasonable cause to suspect/ })
      .first()
      .getByRole('radio', { name: 'Not sure' })
      .check();
    await dsp.getByRole('radio', { name: /^Monitor/ }).check();
    await dsp.getByLabel('Why? (your rationale)').fill('Seems settled now.');
    // Enter in a one-line box (here the time of a phone call) sends nothing: only the button does.
    const enterSubmits = await dsp.locator('#decisionPhonedTime').evaluate((input) => {
      const enter = new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true });
      input.dispatchEvent(enter);
      return !enter.defaultPrevented;
    });
    expect(enterSubmits).toBe(false);
    await dsp.getByRole('button', { name: 'Record decision' }).click();
    const problem = dsp.getByRole('alert').filter({ hasText: 'There is a problem' });
    expect(await problem.isVisible()).toBe(true);
    expect(await problem.getByRole('link', { name: /lower than the guidance/ }).count()).toBe(1);

    await dsp.getByLabel('Why are you choosing a lower route than the guidance?').fill(DOWNGRADE_REASON);
    await dsp.getByRole('button', { name: 'Record decision' }).click();
    await dsp.waitForURL((url) => url.pathname === concernPath && url.searchParams.get('done') === 'decided');
    expect(await dsp.getByText('Below the guidance', { exact: true }).count()).toBeGreaterThan(0);
    expect(await dsp.getByText(DOWNGRADE_REASON).count()).toBeGreaterThan(0);

    // The dashboard keeps it under "Decided below the guidance".
    await dsp.goto(`${harness.baseUrl}/`);
    expect(await dsp.getByRole('heading', { name: /^Decided below the guidance/ }).count()).toBe(1);
    const below = dsp.locator('#below ~ ul.app-worklist').first();
    expect(await below.getByRole('link', { name: 'Grace Okafor' }).count()).toBeGreaterThan(0);
    expect(await below.getByText(DOWNGRADE_REASON).count()).toBeGreaterThan(0);
    expect(await below.getByText('Emergency', { exact: true }).count()).toBeGreaterThan(0);
  });
});
