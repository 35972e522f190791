import { randomUUID } from 'node:crypto';
import { Escalation } from '../../src/dsp/escalations/escalation.entity';
import { projectReferralStates } from '../../src/dsp/escalations/referral-state-projection';
import { bootTestApp, TestApp } from '../support/test-app';
import { Escalation as EscalationAnswer, InboxItem, Paged, PupilSummary } from '../support/api';
import { openPageSession, PageSession } from '../support/web-session';

const MASH = 'mash@cardiff.example';
const EARLY_HELP = 'earlyhelp@cardiff.example';
const TEACHER = 'teacher@riverside.example';
const DSP = 'dsp@riverside.example';
const HEAD = 'head@riverside.example';
const OTHER_DSP = 'dsp@hillcrest.example';
const LEAD = 'lead@cardiff.example';

const HOUR = 3600 * 1000;
const DAY = 24 * HOUR;

/** Text a catalogue lookup gives back when the key is missing: it must never reach a page. */
const RAW_KEY =
  /\b(?:inbox|referralPage|referralFields|chronologyPage|chronologyKinds|chronology|laOutcomes|concernCategories|escalationRoutes|guidance|roles|nav|layout|errors|service|yearGroups)\.[A-Za-z_]+/g;

describe('Local-authority pages and the chronology page', () => {
  let testApp: TestApp;
  const browsers: Record<string, PageSession> = {};
  let pupil: PupilSummary;
  let mashReferralId = '';
  let earlyHelpReferralId = '';

  const SCRIPT = '<script>alert("x")</script>';
  const summaryA = `Came in upset and said home was frightening. ${SCRIPT}\nSecond line of the account.`;
  const summaryB = 'Backdated: bruising on the forearm noticed during PE.';
  const childsWords = 'Dw i ddim eisiau mynd adre heno.';
  const rationale = 'DSP rationale: the disclosure meets the threshold for MASH.';
  const reasonForRoute = 'The child says she is afraid to go home tonight; MASH must see this today.';
  const actionTaken = 'Kept her with the learning mentor and told the DSP at once.';
  const familyLanguage = 'Polish (the mother); the child speaks English and Welsh';
  const outcomeNote = 'Not at the statutory threshold; the family agreed to early help.';

  const page = (email: string, path: string) => browsers[email].get(path);
  const submit = (email: string, path: string, form: Record<string, string>) => browsers[email].post(path, form);
  const recordConcern = async (body: Record<string, unknown>) =>
    (await testApp.as(TEACHER).created('/api/concerns', body)).id;
  const rawKeysIn = (html: string) => html.match(RAW_KEY) ?? [];

  beforeAll(async () => {
    testApp = await bootTestApp();
    for (const email of [MASH, EARLY_HELP, TEACHER, DSP, HEAD, OTHER_DSP])
      browsers[email] = await openPageSession(testApp, email);
    pupil = await testApp.as(DSP).pupilNamed('Zofia', 'Nowak');

    // Recorded first, about today; then a concern recorded later about something five days ago.
    const now = Date.now();
    const concernA = await recordConcern({
      pupilId: pupil.id,
      occurredAt: new Date(now - HOUR).toISOString(),
      category: 'emotional',
      issues: [],
      indicators: [],
      summary: summaryA,
      childsWords,
      childsWordsLanguage: 'cy',
      evidenceBasis: 'disclosed_by_child',
      actionTaken,
      bodyMap: [{ view: 'front', x: 0.76, y: 0.35, note: 'Red mark on the upper left arm' }],
    });
    await recordConcern({
      pupilId: pupil.id,
      occurredAt: new Date(now - 5 * DAY).toISOString(),
      category: 'physical',
      summary: summaryB,
      evidenceBasis: 'observed',
    });
    const decision = await testApp.as(DSP).post(`/api/concerns/${concernA}/decision`, { outcome: 'mash', rationale });
    expect(decision.status).toBe(201);
    const referral = await testApp.as(DSP).post<EscalationAnswer>(`/api/concerns/${concernA}/escalations`, {
      route: 'mash',
      reasonForRoute,
      consent: { sought: true, given: true, givenBy: 'Mother, Anna Nowak' },
      referral: {
        householdMembers: [{ name: 'Anna Nowak', relationship: 'Mother', dateOfBirth: '1988-04-02' }],
        agenciesInvolved: ['School nurse'],
        communicationNeeds: `Polish interpreter for the mother ${SCRIPT}`,
        familyLanguage,
        phonedAt: new Date(now - 30 * 60 * 1000).toISOString(),
      },
    });
    expect(referral.status).toBe(201);
    expect(referral.body.againstRecommendation).toBe(false);
    mashReferralId = referral.body.id;
    // The DSP's threshold judgement, as the decision form will send it.
    await testApp.dataSource.getRepository(Escalation).update(mashReferralId, { reasonableCause: 'unsure' });
  });

  afterAll(() => testApp.close());

  describe('the MASH inbox and referral page', () => {
    it('lists the referral in the MASH inbox with the pupil, school, times and markers, linked to its page', async () => {
      const response = await page(MASH, '/la/inbox');
      expect(response.status).toBe(200);
      expect(response.text).toContain(`${pupil.firstName} ${pupil.lastName}`);
      expect(response.text).toContain(`href="/la/escalations/${mashReferralId}"`);
      expect(response.text).toContain('Riverside Primary');
      // The concern's category, and nothing about the guidance.
      expect(response.text).toContain('Emotional abuse');
      expect(response.text).not.toContain('Against the guidance');
      expect(response.text).not.toContain('Emergency');
      // The due time as people say it, never a midnight.
      expect(response.text).toMatch(/by \d\d:\d\d on (Monday|Tuesday|Wednesday|Thursday|Friday) \d{1,2} [A-Z][a-z]+/);
      expect(response.text).not.toContain('by 00:00');
      expect(response.text).toMatch(/<strong class="govuk-tag\s*">New<\/strong>/);
      expect(response.text).toContain('href="/la/inbox" aria-current="page"');
      // The menu offers the inbox to the team.
      expect(response.text).toMatch(
        /<a class="govuk-service-navigation__link" href="\/la\/inbox" aria-current="page">Inbox<\/a>/,
      );
    });

    it('puts an overdue referral first, tagged and announced, so it cannot be missed', async () => {
      const dewi = await testApp.as(DSP).pupilNamed('Dewi');
      const concern = await recordConcern({
        pupilId: dewi.id,
        occurredAt: new Date(Date.now() - 3 * DAY).toISOString(),
        category: 'sexual',
        summary: 'Overdue case.',
        evidenceBasis: 'observed',
      });
      const sent = await testApp.as(DSP).post<EscalationAnswer>(`/api/concerns/${concern}/escalations`, {
        route: 'mash',
        consent: { sought: false, reasonNotSought: 'Asking the parent would put the child at further risk.' },
      });
      expect(sent.status).toBe(201);
      // Received three days ago: its decision was due long since.
      await testApp.dataSource
        .getRepository(Escalation)
        .update(sent.body.id, { sentAt: new Date(Date.now() - 3 * DAY), dueBy: new Date(Date.now() - 2 * DAY) });
      // Changed in place only to move it in time, so its stored state (referral_states) is rewritten too.
      await projectReferralStates(testApp.dataSource.manager, [sent.body.id]);

      const html = (await page(MASH, '/la/inbox')).text;
      const rows = html.split('<tr class="govuk-table__row').slice(2);
      expect(rows[0]).toContain(`/la/escalations/${sent.body.id}`);
      expect(rows[0]).toContain('app-inbox__row--overdue');
      expect(rows[0]).toContain('<strong class="govuk-tag govuk-tag--red">Overdue</strong>');
      expect(html).toContain('Overdue referrals: 1.');
      // Open work comes before decided referrals.
      const ours = rows.findIndex((row) => row.includes(mashReferralId));
      const firstDecided = rows.findIndex((row) => row.includes('govuk-tag--green'));
      expect(ours).toBeGreaterThan(0);
      if (firstDecided >= 0) expect(ours).toBeLessThan(firstDecided);

      const referral = await page(MASH, `/la/escalations/${sent.body.id}`);
      expect(referral.text).toMatch(/This referral is overdue: the decision was due (by \d\d:\d\d on|by the end of) /);
      expect(referral.text).toContain('Asking the parent would put the child at further risk.');
    });

    it('filters the inbox by status', async () => {
      const decided = await page(MASH, '/la/inbox?status=decided');
      expect(decided.status).toBe(200);
      expect(decided.text).not.toContain(`/la/escalations/${mashReferralId}`);
      expect(decided.text).toContain('href="/la/inbox?status&#x3D;decided" aria-current="page"');
      const fresh = await page(MASH, '/la/inbox?status=sent');
      expect(fresh.text).toContain(`/la/escalations/${mashReferralId}`);
      expect((await page(MASH, '/la/inbox?status=lost')).status).toBe(400);
    });

    it('shows the referral as the team reads it, recorded words escaped and verbatim', async () => {
      const response = await page(MASH, `/la/escalations/${mashReferralId}`);
      expect(response.status).toBe(200);
      const html = response.text;
      expect(html).toContain(pupil.upn);
      expect(html).toContain('Siân Morgan');
      expect(html).toContain('Emotional abuse');
      // Nothing about the guidance: no level, no recommended route, no label.
      expect(html).not.toContain('Complex, early help');
      expect(html).not.toContain('Recommended route');
      expect(html).not.toContain('Against the guidance');
      expect(html).not.toContain('Route the school chose');
      // The body map and action taken, the DSP's rationale and threshold judgement.
      expect(html).toContain(actionTaken);
      expect(html).toContain('Red mark on the upper left arm');
      expect(html).toContain('/assets/body-map-front.svg');
      expect(html).toContain(rationale);
      expect(html).toMatch(/id="reasonable-cause">.*reasonable cause to suspect the child is at risk\?.*Unsure<\/dd>/);
      // The pupil's flags, home language, family language and whether the child speaks Welsh.
      expect(html).toContain(familyLanguage);
      expect(html).toMatch(
        /<dt class="govuk-summary-list__key">Home language<\/dt><dd class="govuk-summary-list__value">Polish<\/dd>/,
      );
      expect(html).toMatch(/id="speaks-welsh">.*Speaks Welsh<\/dt><dd class="govuk-summary-list__value">No<\/dd>/);
      expect(html).toContain('English as an additional language');
      expect(html).toContain('Mother, Anna Nowak');
      expect(html).toContain('School nurse');
      expect(html).toContain('Anna Nowak</strong>, Mother');
      expect(html).toContain('The school&#x27;s reason for this route');
      expect(html).not.toContain(SCRIPT);
      expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;\nSecond line of the account.');
      expect(html).toContain('Polish interpreter for the mother &lt;script&gt;');
      expect(html).toMatch(
        /<blockquote class="app-childs-words app-verbatim" lang="cy">Dw i ddim eisiau mynd adre heno.<\/blockquote>/,
      );
      expect(html).toContain(`action="/la/escalations/${mashReferralId}/acknowledge"`);
      expect(html).toContain(`action="/la/escalations/${mashReferralId}/outcome"`);
      // MASH outcomes only, labelled.
      expect(html).toContain('value="redirect_early_help"');
      expect(html).toContain('Strategy discussion');
      expect(html).not.toContain('value="family_help"');
    });

    it('acknowledges through the form, then shows the referral as acknowledged without the button', async () => {
      const response = await submit(MASH, `/la/escalations/${mashReferralId}/acknowledge`, {});
      expect(response.status).toBe(303);
      expect(response.headers.location).toBe(`/la/escalations/${mashReferralId}?done=acknowledged`);
      const after = await page(MASH, response.headers.location);
      expect(after.status).toBe(200);
      expect(after.text).toContain('govuk-notification-banner--success');
      expect(after.text).toContain('Referral acknowledged.');
      expect(after.text).toContain('<strong class="govuk-tag govuk-tag--yellow">Acknowledged</strong>');
      expect(after.text).toContain('Bethan Lewis (MASH team)');
      expect(after.text).not.toContain(`/la/escalations/${mashReferralId}/acknowledge`);

      const again = await submit(MASH, `/la/escalations/${mashReferralId}/acknowledge`, {});
      expect(again.status).toBe(422);
      expect(again.text).toContain('This referral has already been acknowledged');
    });

    it('re-renders an empty outcome form with a focusable error summary that links to each field', async () => {
      const response = await submit(MASH, `/la/escalations/${mashReferralId}/outcome`, { note: '' });
      expect(response.status).toBe(400);
      expect(response.text).toMatch(/<div class="govuk-error-summary"[^>]*tabindex="-1"/);
      expect(response.text).toContain('<a href="#outcome">Choose the outcome your team has decided</a>');
      expect(response.text).toContain('<a href="#note">Enter a note about the decision</a>');
      expect(response.text).toContain('id="outcome"');
      expect(response.text).toContain('id="note-error"');
      expect(response.text).toMatch(/<title>There is a problem: /);
    });

    it('keeps what was entered when only the note is missing', async () => {
      const response = await submit(MASH, `/la/escalations/${mashReferralId}/outcome`, {
        outcome: 'strategy_discussion',
        note: '   ',
      });
      expect(response.status).toBe(400);
      expect(response.text).toMatch(/value="strategy_discussion" checked/);
      expect(response.text).not.toContain('<a href="#outcome">');
      expect(response.text).toContain('<a href="#note">');
    });

    it('re-fills a note exactly as typed, line by line, when the form comes back', async () => {
      const note = 'First line.\n  Indented second line.\nThird line.';
      const response = await submit(MASH, `/la/escalations/${mashReferralId}/outcome`, { note });
      expect(response.status).toBe(400);
      const refilled = /<textarea[^>]*id="note"[^>]*>\n([\s\S]*?)<\/textarea>/.exec(response.text);
      expect(refilled?.[1]).toBe(note);
    });

    it('says how long a note may be, in the summary and on the field, in English and in Welsh', async () => {
      const note = 'n'.repeat(10_001);
      const response = await submit(MASH, `/la/escalations/${mashReferralId}/outcome`, {
        outcome: 'strategy_discussion',
        note,
      });
      expect(response.status).toBe(400);
      expect(response.text).toContain('<a href="#note">This must be 10000 characters or fewer</a>');
      expect(response.text).toMatch(/id="note-error"[^>]*>.*This must be 10000 characters or fewer<\/p>/);
      expect(response.text).not.toContain('{max}');
      expect(response.text).toContain(note);

      const welsh = await openPageSession(testApp, MASH, { language: 'cy' });
      const inWelsh = await welsh.post(`/la/escalations/${mashReferralId}/outcome`, {
        outcome: 'strategy_discussion',
        note,
      });
      expect(inWelsh.status).toBe(400);
      expect(inWelsh.text).toContain('<a href="#note">Rhaid i hwn fod yn 10000 nod neu lai</a>');
      expect(inWelsh.text).not.toContain('{max}');
    });

    it('rejects an outcome that belongs to another team with the message, keeping the note', async () => {
      const response = await submit(MASH, `/la/escalations/${mashReferralId}/outcome`, {
        outcome: 'family_help',
        note: 'Kept note',
      });
      expect(response.status).toBe(422);
      expect(response.text).toContain('Choose one of the outcomes listed for this referral');
      expect(response.text).toContain('Kept note</textarea>');
    });

    it('records a redirect to early help through the form', async () => {
      const response = await submit(MASH, `/la/escalations/${mashReferralId}/outcome`, {
        outcome: 'redirect_early_help',
        note: outcomeNote,
      });
      expect(response.status).toBe(303);
      expect(response.headers.location).toBe(`/la/escalations/${mashReferralId}?done=decided`);
      const after = await page(MASH, response.headers.location);
      expect(after.text).toContain('Outcome recorded.');
      expect(after.text).toContain('Redirected to early help');
      expect(after.text).toContain(outcomeNote);
      expect(after.text).toContain('An early help referral was created from this one');
      expect(after.text).not.toContain(`/la/escalations/${mashReferralId}/outcome"`);

      const again = await submit(MASH, `/la/escalations/${mashReferralId}/outcome`, {
        outcome: 'no_further_action',
        note: 'Second try',
      });
      expect(again.status).toBe(422);
      expect(again.text).toContain('This referral already has an outcome');
    });
  });

  describe('what the receiving teams read when the answers differ (issue 8 review)', () => {
    it("keeps the DSP's answer with the decision apart from the one sent with the referral, and warns early help when consent was not sought", async () => {
      // Another pupil, so Zofia's chronology below stays as the other tests expect.
      const other = await testApp.as(DSP).pupilNamed('Osian', 'Williams');
      const concernId = await recordConcern({
        pupilId: other.id,
        occurredAt: new Date(Date.now() - 2 * 3600 * 1000).toISOString(),
        category: 'wellbeing',
        issues: ['bullying'],
        summary: 'Name-calling at the gate; later she said her stepfather hits her mum.',
        evidenceBasis: 'disclosed_by_child',
      });
      await testApp.as(DSP).created(`/api/concerns/${concernId}/decision`, {
        outcome: 'monitor',
        rationale: 'Bullying handled in school.',
        reasonableCause: 'no',
      });
      const referral = await testApp.as(DSP).created<{ id: string }>(`/api/concerns/${concernId}/escalations`, {
        route: 'mash',
        reasonableCause: 'yes',
        consent: { sought: false, reasonNotSought: 'The stepfather may be the one causing harm.' },
      });
      const mashPage = await page(MASH, `/la/escalations/${referral.id}`);
      expect(mashPage.text).toMatch(/id="reasonable-cause">[\s\S]*?<dd[^>]*>Yes<\/dd>/);
      expect(mashPage.text).toMatch(/id="decision-reasonable-cause">[\s\S]*?<dd[^>]*>No<\/dd>/);

      const redirected = await testApp
        .as(MASH)
        .created<{ earlyHelpEscalationId: string }>(`/api/la/escalations/${referral.id}/outcome`, {
          outcome: 'redirect_early_help',
          note: 'Family help; speak to us before calling home.',
        });
      const earlyHelpPage = await page(EARLY_HELP, `/la/escalations/${redirected.earlyHelpEscalationId}`);
      expect(earlyHelpPage.status).toBe(200);
      expect(earlyHelpPage.text).toContain('Speak to the MASH officer before you contact the family');
      expect(earlyHelpPage.text).not.toContain('The stepfather may be the one causing harm.');
    });
  });

  describe('the early help team', () => {
    it('sees the new referral in its inbox and can open it, but not the MASH referral', async () => {
      const { items } = await testApp.as(EARLY_HELP).read<Paged<InboxItem>>('/api/la/escalations');
      earlyHelpReferralId = items.find((item) => item.pupil.id === pupil.id)!.id;
      expect(earlyHelpReferralId).toBeDefined();

      const inbox = await page(EARLY_HELP, '/la/inbox');
      expect(inbox.status).toBe(200);
      expect(inbox.text).toContain(`${pupil.firstName} ${pupil.lastName}`);
      expect(inbox.text).toContain(`href="/la/escalations/${earlyHelpReferralId}"`);
      expect(inbox.text).not.toContain(mashReferralId);

      const referral = await page(EARLY_HELP, `/la/escalations/${earlyHelpReferralId}`);
      expect(referral.status).toBe(200);
      expect(referral.text).toContain('Redirected by MASH from Riverside Primary&#x27;s referral');
      expect(referral.text).toContain('The MASH officer&#x27;s note');
      expect(referral.text).toContain(outcomeNote);
      expect(referral.text).not.toContain('Route the school chose');
      expect(inbox.text).toContain('Redirected by MASH');
      expect(referral.text).toContain('value="family_help"');
      expect(referral.text).not.toContain('value="redirect_early_help"');

      const mash = await page(EARLY_HELP, `/la/escalations/${mashReferralId}`);
      const missing = await page(EARLY_HELP, `/la/escalations/${randomUUID()}`);
      expect(mash.status).toBe(404);
      expect(missing.status).toBe(404);
      expect(mash.text).not.toContain(pupil.lastName);
      expect((await submit(EARLY_HELP, `/la/escalations/${mashReferralId}/acknowledge`, {})).status).toBe(404);
    });
  });

  describe('the API answers the teams read', () => {
    it('omit every guidance field, on the inbox list, the referral and GET /api/escalations/:id', async () => {
      const guidanceKeys = ['recommendedLevel', 'recommendedRoute', 'againstRecommendation', 'aboveGuidance'];
      const list = await testApp.as(MASH).read<Paged<InboxItem>>('/api/la/escalations');
      const item = list.items.find((i) => i.id === mashReferralId) as unknown as Record<string, unknown>;
      expect(item).toMatchObject({ category: 'emotional', emergency: false, indicators: [] });
      const detail = (await testApp.as(MASH).get(`/api/la/escalations/${mashReferralId}`)).body as Record<
        string,
        unknown
      >;
      const plain = (await testApp.as(MASH).get(`/api/escalations/${mashReferralId}`)).body as Record<string, unknown>;
      expect(detail).toMatchObject({
        reasonableCause: 'unsure',
        referral: { familyLanguage },
        pupil: { homeLanguage: 'Polish', flags: ['eal'], speaksWelsh: false },
        concern: { actionTaken, bodyMap: [{ view: 'front', note: 'Red mark on the upper left arm' }] },
        decision: { outcome: 'mash', rationale },
      });
      for (const answer of [item, detail, plain])
        expect(Object.keys(answer).filter((key) => guidanceKeys.includes(key))).toEqual([]);
      // The school's DSP still reads what the guidance said.
      const forSchool = (await testApp.as(DSP).get(`/api/escalations/${mashReferralId}`)).body as Record<
        string,
        unknown
      >;
      expect(forSchool).toHaveProperty('recommendedLevel');
    });

    it('page the inbox: page, pageSize and the true total; a bad page size is a 400', async () => {
      const paged = await testApp.as(MASH).get<Paged<InboxItem>>('/api/la/escalations', { pageSize: '1' });
      expect(paged.status).toBe(200);
      expect(paged.body).toMatchObject({ page: 1, pageSize: 1, total: expect.any(Number) });
      expect(paged.body.items).toHaveLength(1);
      expect(paged.body.total).toBeGreaterThan(1);
      const bad = await testApp.as(MASH).get('/api/la/escalations', { pageSize: '201' });
      expect(bad.status).toBe(400);
      expect(bad.body).toMatchObject({ errors: { pageSize: expect.any(Array) } });
    });

    it('tell the early help team in Welsh where a redirect came from', async () => {
      const welsh = await openPageSession(testApp, EARLY_HELP, { language: 'cy' });
      const html = (await welsh.get(`/la/escalations/${earlyHelpReferralId}`)).text;
      expect(html).toContain('Wedi&#x27;i ailgyfeirio gan yr Hyb Diogelu Amlasiantaethol o atgyfeiriad');
      expect(html).toContain(outcomeNote);
      expect(html).toMatch(/erbyn (\d\d:\d\d ddydd|diwedd dydd) /);
    });
  });

  describe("the LA lead's early-help response time", () => {
    it('shows the default of 5, refuses what is not 1 to 30 with the reason, and saves a new one', async () => {
      const lead = await openPageSession(testApp, LEAD);
      const before = await lead.get('/la/services');
      expect(before.text).toContain('Early help&#x27;s response time');
      expect(before.text).toMatch(/id="earlyHelpResponseDays"[^>]*value="5"/);
      for (const bad of ['0', '31', 'five']) {
        const refused = await lead.post('/la/services/response-time', { earlyHelpResponseDays: bad });
        expect(refused.status).toBe(400);
        expect(refused.text).toContain(
          '<a href="#earlyHelpResponseDays">Enter a whole number of working days from 1 to 30</a>',
        );
        expect(refused.text).toMatch(new RegExp(`id="earlyHelpResponseDays"[^>]*value="${bad}"`));
      }
      const saved = await lead.post('/la/services/response-time', { earlyHelpResponseDays: '7' });
      expect(saved.status).toBe(303);
      expect(saved.headers.location).toBe('/la/services?done=responseTime');
      expect((await lead.get('/la/services')).text).toMatch(/id="earlyHelpResponseDays"[^>]*value="7"/);
      expect((await page(MASH, '/la/services')).status).toBe(403);
      await lead.post('/la/services/response-time', { earlyHelpResponseDays: '5' });
    });
  });

  describe('school roles on the local-authority pages', () => {
    it('gives a DSP 403 for the inbox and 404 for the team page of their own referral', async () => {
      expect((await page(DSP, '/la/inbox')).status).toBe(403);
      const referral = await page(DSP, `/la/escalations/${mashReferralId}`);
      expect(referral.status).toBe(404);
      expect(referral.text).not.toContain(pupil.lastName);
    });
  });

  describe('the chronology page', () => {
    const path = () => `/pupils/${pupil.id}/chronology`;

    it('lists the entries in the order they happened, the backdated concern first', async () => {
      const response = await page(HEAD, path());
      expect(response.status).toBe(200);
      const html = response.text;
      expect(html).toContain(`${pupil.firstName} ${pupil.lastName}`);
      expect(html).toContain(pupil.upn);
      const positions = [
        summaryB,
        'Came in upset',
        rationale,
        'MASH must see this today',
        'Referral acknowledged: MASH',
        outcomeNote,
      ].map((text) => html.indexOf(text.replace(/'/g, '&#x27;')));
      expect(positions.every((position) => position > 0)).toBe(true);
      expect([...positions].sort((a, b) => a - b)).toEqual(positions);
      expect(html).toContain('Tomos Evans (Staff member)');
      expect(html).toMatch(/<strong class="govuk-tag govuk-tag--purple app-timeline__kind">DSP decision<\/strong>/);
      expect(html).toMatch(/href="\/concerns\/[0-9a-f-]{36}"/);
      // Handlebars escapes `=` in attributes; browsers read it back as `=`.
      expect(html).toContain(`href="/pupils/${pupil.id}/chronology?print&#x3D;1"`);
    });

    it('escapes recorded text and keeps its line breaks', async () => {
      const html = (await page(HEAD, path())).text;
      expect(html).not.toContain(SCRIPT);
      expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;\nSecond line of the account.');
    });

    it('narrows the list by kind and by category, keeping the choices in the form', async () => {
      const decisions = await page(HEAD, `${path()}?kind=decision`);
      expect(decisions.status).toBe(200);
      expect(decisions.text).toContain(rationale);
      expect(decisions.text).not.toContain(summaryB);
      expect(decisions.text).toMatch(/value="decision" checked/);
      expect(decisions.text).toContain('Entries matching the filters: 1');

      const two = await page(HEAD, `${path()}?kind=decision&kind=concern_recorded&category=`);
      expect(two.status).toBe(200);
      expect(two.text).toContain(summaryB);
      expect(two.text).not.toContain('MASH must see this today');

      const physical = await page(HEAD, `${path()}?category=physical`);
      expect(physical.text).toContain(summaryB);
      expect(physical.text).not.toContain('Came in upset');
      expect(physical.text).toMatch(/<option value="physical" selected>/);

      expect((await page(HEAD, `${path()}?kind=gossip`)).status).toBe(400);
    });

    it('offers a print-friendly version without the menu or the filter form', async () => {
      const response = await page(HEAD, `${path()}?kind=decision&print=1`);
      expect(response.status).toBe(200);
      expect(response.text).toContain('app-print-view');
      expect(response.text).not.toContain('govuk-service-navigation');
      expect(response.text).not.toContain('<form');
      expect(response.text).toContain('Printed ');
      expect(response.text).toContain(rationale);
      expect(response.text).toContain(`href="/pupils/${pupil.id}/chronology?kind&#x3D;decision"`);
    });

    it('pages the API chronology from the newest end, keeping its fields and order and giving the true total', async () => {
      type Answer = {
        pupil: { id: string };
        entries: Array<{ id: string; at: string }>;
        page: number;
        pageSize: number;
        total: number;
      };
      const api = (query: Record<string, string>) =>
        testApp
          .as(HEAD)
          .get<Answer & { errors?: Record<string, string[]> }>(`/api/pupils/${pupil.id}/chronology`, query);
      const whole = (await api({ pageSize: '200' })).body;
      expect(whole.total).toBe(whole.entries.length);
      expect(whole.total).toBeGreaterThan(3);
      const newest = (await api({ pageSize: '2' })).body;
      expect(newest).toMatchObject({ page: 1, pageSize: 2, total: whole.total, pupil: { id: pupil.id } });
      expect(newest.entries.map((e) => e.id)).toEqual(whole.entries.slice(-2).map((e) => e.id));
      const next = (await api({ pageSize: '2', page: '2' })).body;
      expect(next.entries.map((e) => e.id)).toEqual(whole.entries.slice(-4, -2).map((e) => e.id));
      expect((await api({ pageSize: '201' })).status).toBe(400);
      expect((await api({ page: '0' })).body.errors).toHaveProperty('page');
      expect((await page(HEAD, `${path()}?page=0`)).status).toBe(400);
    });

    it('lets the DSP read it too, but not staff or the other school', async () => {
      expect((await page(DSP, path())).status).toBe(200);
      // Staff can see the pupil but not the chronology: AccessPolicy.assertChronologyVisible decides 403 or 404.
      const staff = await page(TEACHER, path());
      expect([403, 404]).toContain(staff.status);
      expect(staff.text).not.toContain(summaryB);
      const other = await page(OTHER_DSP, path());
      expect(other.status).toBe(404);
      expect(other.text).not.toContain(pupil.lastName);
      expect((await page(HEAD, `/pupils/${randomUUID()}/chronology`)).status).toBe(404);
    });
  });

  describe('in Welsh', () => {
    it('renders the inbox, the referral page and the chronology with no catalogue keys showing', async () => {
      const inbox = await page(MASH, '/la/inbox?lang=cy');
      expect(inbox.status).toBe(200);
      expect(inbox.text).toContain('<html lang="cy"');
      expect(inbox.text).toContain('Mewnflwch atgyfeiriadau');
      expect(rawKeysIn(inbox.text)).toEqual([]);

      const referral = await page(MASH, `/la/escalations/${mashReferralId}?lang=cy`);
      expect(referral.status).toBe(200);
      expect(referral.text).toContain('Ailgyfeiriwyd at gymorth cynnar');
      expect(referral.text).toContain(childsWords);
      expect(rawKeysIn(referral.text)).toEqual([]);

      const open = await page(EARLY_HELP, `/la/escalations/${earlyHelpReferralId}?lang=cy`);
      expect(open.status).toBe(200);
      expect(open.text).toContain('Cofnodi&#x27;r canlyniad');
      expect(rawKeysIn(open.text)).toEqual([]);

      const chronology = await page(HEAD, `/pupils/${pupil.id}/chronology?lang=cy`);
      expect(chronology.status).toBe(200);
      expect(chronology.text).toContain('Cronoleg diogelu');
      // Titles come from the service in the page's language; recorded words stay as written.
      expect(chronology.text).toContain('Pryder wedi&#x27;i gofnodi');
      expect(chronology.text).toContain(outcomeNote.replace(/'/g, '&#x27;'));
      expect(rawKeysIn(chronology.text)).toEqual([]);

      const printed = await page(HEAD, `/pupils/${pupil.id}/chronology?lang=cy&print=1`);
      expect(printed.text).toContain('Argraffwyd');
      expect(rawKeysIn(printed.text)).toEqual([]);
    });
  });
});
