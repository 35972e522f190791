import { PupilSummary } from '../support/api';
import { bootTestApp, TestApp } from '../support/test-app';
import { openPageSession, PageSession } from '../support/web-session';

type Fields = Array<[string, string]>;

const REASON = 'The child is in hospital and safe with the crisis team tonight.';

/**
 * Issue 8 on the pages, in English and Welsh: the threshold question on the decision form, a
 * downgrade needs a reason and shows "Below the guidance" (concern, chronology, dashboard), going up
 * is never labelled, a child at risk gets MASH first with no early-help box, and a member of staff
 * may report when no DSP can be reached, which the DSPs see at once.
 */
describe('Decisions and referrals against the guidance, on the pages (EN and CY)', () => {
  let testApp: TestApp;
  let pupils: PupilSummary[];
  let next = 0;

  /** A concern recorded by the teacher over the API, about a different demo pupil each time. */
  const concernAbout = async (fields: Record<string, unknown>) => {
    const pupil = pupils[next++ % pupils.length];
    const concern = await testApp.as('teacher@riverside.example').created<{ id: string }>('/api/concerns', {
      pupilId: pupil.id,
      occurredAt: new Date(Date.now() - 3600 * 1000).toISOString(),
      category: 'wellbeing',
      summary: 'What was seen',
      evidenceBasis: 'observed',
      ...fields,
    });
    return { id: concern.id, pupil };
  };
  const signIn = (email: string, language?: 'en' | 'cy') => openPageSession(testApp, email, { language });
  const submit = (session: PageSession, concernId: string, form: string, fields: Fields) =>
    session.submit(`/concerns/${concernId}`, `/concerns/${concernId}/${form}`, fields);

  beforeAll(async () => {
    testApp = await bootTestApp();
    pupils = await testApp.as('teacher@riverside.example').pupils();
  });

  afterAll(() => testApp.close());

  it('in Welsh: asks the threshold question, refuses monitor on a suicide risk without a reason, then shows it below the guidance everywhere', async () => {
    const { id, pupil } = await concernAbout({ indicators: ['suicidal_intent'] });
    const dsp = await signIn('dsp@riverside.example', 'cy');
    const page = await dsp.get(`/concerns/${id}`);
    expect(page.text).toContain(
      'A oes gennych achos rhesymol dros amau bod y plentyn yn profi neu&#x27;n wynebu risg o gamdriniaeth, esgeulustod neu niwed arall?',
    );
    expect(page.text).toContain('Ffoniwch 999 nawr, yna adroddwch i&#x27;r Hyb Diogelu Amlasiantaethol');
    expect(page.text).not.toContain('Ystyriwch gymorth cynnar yn gyntaf');

    const refused = await submit(dsp, id, 'decision', [
      ['reasonableCause', 'no'],
      ['outcome', 'monitor'],
      ['rationale', 'Wedi siarad gyda mam.'],
    ]);
    expect(refused.status).toBe(422);
    expect(refused.text).toContain(
      '<a href="#decisionReasonForRoute">Mae eich penderfyniad yn is na&#x27;r canllawiau ar gyfer plentyn sy&#x27;n wynebu risg: dywedwch pam, mewn o leiaf 20 nod</a>',
    );
    expect(refused.text).toMatch(/id="outcome-monitor" name="outcome" type="radio" value="monitor"[^>]* checked/);

    const decided = await submit(dsp, id, 'decision', [
      ['reasonableCause', 'no'],
      ['outcome', 'monitor'],
      ['rationale', 'Wedi siarad gyda mam.'],
      ['reasonForRoute', REASON],
    ]);
    expect(decided.status).toBe(303);
    const after = await dsp.get(`/concerns/${id}`);
    expect(after.text).toContain('Is na&#x27;r canllawiau');
    expect(after.text).toContain(REASON);

    const chronology = await dsp.get(`/pupils/${pupil.id}/chronology`);
    expect(chronology.text).toContain('Is na&#x27;r canllawiau');
    const api = await testApp
      .as('dsp@riverside.example')
      .read<{ entries: Array<Record<string, unknown>> }>(`/api/pupils/${pupil.id}/chronology`);
    expect(api.entries.find((e) => e.kind === 'decision' && e.concernId === id)).toMatchObject({ belowGuidance: true });

    const home = await dsp.get('/');
    const below = home.text.slice(home.text.indexOf('id="below"'));
    expect(below).toContain('Penderfyniad yn is na&#x27;r canllawiau');
    expect(below).toContain(`href="/concerns/${id}#decisions"`);
  });

  it('in English: going up (MASH on a level-1 concern) is never labelled, and the decision waits on the dashboard until the referral is sent', async () => {
    const { id, pupil } = await concernAbout({});
    const dsp = await signIn('dsp@riverside.example', 'en');
    const decided = await submit(dsp, id, 'decision', [
      ['reasonableCause', 'unsure'],
      ['outcome', 'mash'],
      ['rationale', 'Worth a word with MASH.'],
    ]);
    expect(decided.status).toBe(303);
    const page = await dsp.get(`/concerns/${id}`);
    for (const label of ['Below the guidance', 'Against the guidance', 'against the guidance']) {
      expect(page.text.slice(page.text.indexOf('id="decisions"'))).not.toContain(label);
    }
    const home = await dsp.get('/');
    const notSent = home.text.slice(home.text.indexOf('id="notSent"'), home.text.indexOf('id="queue"'));
    expect(notSent).toContain('Decided to refer, referral not sent');
    expect(notSent).toContain(`${pupil.firstName} ${pupil.lastName}`);

    const sent = await submit(dsp, id, 'escalations', [
      ['route', 'mash'],
      ['reasonableCause', 'unsure'],
      ['consentSought', 'yes'],
      ['consentGiven', 'yes'],
      ['consentGivenBy', 'Mother'],
    ]);
    expect(sent.status).toBe(303);
    const referred = await dsp.get(`/concerns/${id}`);
    expect(referred.text).not.toContain('Below the guidance');
    const chronology = await dsp.get(`/pupils/${pupil.id}/chronology`);
    expect(chronology.text).toContain('Referral sent: MASH');
    expect(chronology.text).not.toContain('Below the guidance');
    const homeAfter = await dsp.get('/');
    expect(homeAfter.text).not.toContain(`href="/concerns/${id}#refer-heading"`);
  });

  it('records a phone call with the decision and asks for the written referral within 24 hours', async () => {
    const { id } = await concernAbout({ indicators: ['disclosure_of_abuse'] });
    const dsp = await signIn('dsp@riverside.example', 'en');
    const decided = await submit(dsp, id, 'decision', [
      ['reasonableCause', 'yes'],
      ['outcome', 'mash'],
      ['rationale', 'Phoned MASH straight away.'],
      ['phonedDate', '2026-01-15'],
      ['phonedTime', '14:10'],
    ]);
    expect(decided.status).toBe(303);
    const home = await dsp.get('/');
    const phoned = home.text.slice(home.text.indexOf('id="phoned"'));
    expect(phoned).toContain('Phoned: confirm in writing');
    expect(phoned).toContain(`href="/concerns/${id}#refer-heading"`);
    expect(phoned).toContain('Written confirmation overdue');
  });

  it('lets the teacher report to MASH when no DSP can be reached; the DSPs see who reported at once', async () => {
    const { id } = await concernAbout({ indicators: ['afraid_to_go_home'] });
    const teacher = await signIn('teacher@riverside.example', 'en');
    const page = await teacher.get(`/concerns/${id}`);
    expect(page.text).toContain('No DSP can be reached and the child is at risk? You can report to MASH yourself');
    expect(page.text).toContain(`action="/concerns/${id}/staff-report"`);

    const wrongRoute = await submit(teacher, id, 'staff-report', [
      ['route', 'early_help'],
      ['consentSought', 'yes'],
    ]);
    expect(wrongRoute.status).toBe(422);
    expect(wrongRoute.text).toContain('<a href="#route">Choose MASH or the police</a>');

    const sent = await submit(teacher, id, 'staff-report', [
      ['route', 'mash'],
      ['reasonForRoute', 'DSP and deputy on a course, phones off.'],
      ['consentSought', 'no'],
      ['reasonNotSought', 'The child is afraid of the parent.'],
    ]);
    expect(sent.status).toBe(303);
    expect(sent.headers.location).toBe(`/concerns/${id}?done=reported`);

    const dsp = await signIn('dsp@riverside.example', 'en');
    const home = await dsp.get('/');
    expect(home.text).toContain('Reported by Tomos Evans because no DSP could be reached');
    expect(home.text).toContain('DSP and deputy on a course, phones off.');
    const concernPage = await dsp.get(`/concerns/${id}`);
    expect(concernPage.text).toContain('Sent by staff: no DSP could be reached');

    // At once, on every page the DSPs open (not only the dashboard), until a DSP takes it over.
    const notice = /Staff sent (\d+) report\(s\) to MASH or the police because no DSP could be reached/;
    const pupilsPage = await dsp.get('/pupils');
    expect(pupilsPage.text).toMatch(notice);
    expect(pupilsPage.text).toContain('href="/#staffReports"');
    const welsh = await signIn('dsp@riverside.example', 'cy');
    expect((await welsh.get('/pupils')).text).toContain('am nad oedd modd cysylltu ag unrhyw berson diogelu dynodedig');
    // Not the head teacher (who cannot decide) and not another school's DSP.
    expect((await (await signIn('head@riverside.example', 'en')).get('/pupils')).text).not.toMatch(notice);
    expect((await (await signIn('dsp@hillcrest.example', 'en')).get('/pupils')).text).not.toMatch(notice);
    const before = Number(notice.exec(pupilsPage.text)![1]);
    await testApp.as('dsp@riverside.example').created(`/api/concerns/${id}/decision`, {
      outcome: 'mash',
      rationale: 'Taken over: the referral Tomos sent stands; I am following it up with MASH.',
      reasonableCause: 'yes',
    });
    const after = notice.exec((await dsp.get('/pupils')).text);
    expect(after === null ? 0 : Number(after[1])).toBe(before - 1);
  });

  it('over the API: staff need dspUnavailable (403 without), get 201 with it for MASH and 422 for early help', async () => {
    const { id } = await concernAbout({ indicators: ['afraid_to_go_home'] });
    const teacher = testApp.as('teacher@riverside.example');
    const consent = { sought: false, reasonNotSought: 'The child is afraid of the parent.' };
    expect((await teacher.post(`/api/concerns/${id}/escalations`, { route: 'mash', consent })).status).toBe(403);
    const earlyHelp = await teacher.post(`/api/concerns/${id}/escalations`, {
      route: 'early_help',
      dspUnavailable: true,
      consent: { sought: true, given: true, givenBy: 'Mother' },
    });
    expect(earlyHelp.status).toBe(422);
    expect(earlyHelp.body).toMatchObject({ rule: 'dsp_unavailable_route', errors: { route: expect.any(Array) } });
    const sent = await teacher.post(`/api/concerns/${id}/escalations`, {
      route: 'mash',
      dspUnavailable: true,
      consent,
    });
    expect(sent.status).toBe(201);
    expect(sent.body).toMatchObject({ dspUnavailable: true, againstRecommendation: false, aboveGuidance: false });
  });
});
