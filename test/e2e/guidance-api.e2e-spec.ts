import { randomUUID } from 'node:crypto';
import { Response } from 'supertest';
import { AuditItem, Concern, GuidanceAnswer, InboxItem, Paged } from '../support/api';
import { bootTestApp, TestApp } from '../support/test-app';
import { cookieHeader, signInThroughForm } from '../support/web-session';

/**
 * The guidance engine over HTTP, against DOMAIN.md "Levels of need and the guidance rules": every
 * rule and their combinations, the history triggers on a real pupil's record, and the local
 * authority lead's services directory and thresholds, changed through their pages.
 */

const DAY = 24 * 60 * 60 * 1000;
const PROCEDURE = /Wales Safeguarding Procedures|Keeping Learners Safe/;

// DOMAIN.md's lists, written out here so that the test checks the engine against the document.
const EMERGENCY_INDICATORS = ['immediate_danger', 'child_missing_now', 'medical_emergency', 'suicidal_intent'];
const STATUTORY_INDICATORS = [
  'disclosure_of_abuse',
  'injury_suspected_non_accidental',
  'afraid_to_go_home',
  'sexual_activity_under_13',
  'fgm_known_or_suspected',
  'exploitation_indicators',
];
const STATUTORY_ISSUES = [
  'domestic_abuse',
  'child_sexual_exploitation',
  'child_criminal_exploitation',
  'trafficking',
  'fgm',
  'forced_marriage',
  'radicalisation',
];
const ABUSE_CATEGORIES = ['physical', 'emotional', 'neglect', 'financial'];
const COMPLEX_ISSUES = [
  'self_harm',
  'substance_misuse',
  'missing_from_home',
  'harmful_sexual_behaviour',
  'exclusion_risk',
  'anti_social_behaviour',
  'parent_in_custody',
];
const FAMILY_NEED_ISSUES = [
  'parental_substance_misuse',
  'parental_mental_health',
  'housing',
  'financial_hardship',
  'young_carer',
  'missing_education',
];
const ADDITIONAL_NEED_ISSUES = ['online_safety', 'bullying', 'mental_health', 'attendance', 'behaviour'];

type RuleCase = [label: string, draft: Record<string, unknown>, level: number, route: string, reasons: string[]];

const RULE_CASES: RuleCase[] = [
  ...EMERGENCY_INDICATORS.map((code): RuleCase => [
    `1: indicator ${code}`,
    { category: 'wellbeing', indicators: [code] },
    0,
    'police',
    ['emergency_indicator'],
  ]),
  ...STATUTORY_INDICATORS.map((code): RuleCase => [
    `2: indicator ${code}`,
    { category: 'wellbeing', indicators: [code] },
    4,
    'mash',
    ['statutory_indicator'],
  ]),
  [
    '2: indicator allegation_against_staff',
    { category: 'wellbeing', indicators: ['allegation_against_staff'] },
    4,
    'designated_officer',
    ['statutory_indicator'],
  ],
  ['3: category sexual', { category: 'sexual' }, 4, 'mash', ['sexual_abuse_category']],
  ...STATUTORY_ISSUES.map((code): RuleCase => [
    `4: issue ${code}`,
    { category: 'wellbeing', issues: [code] },
    4,
    'mash',
    ['statutory_issue'],
  ]),
  [
    '5: the DSP has reasonable cause to suspect',
    { category: 'wellbeing', reasonableCause: 'yes' },
    4,
    'mash',
    ['reasonable_cause'],
  ],
  ...ABUSE_CATEGORIES.map((category): RuleCase => [
    `6: category ${category}`,
    { category },
    4,
    'mash',
    ['abuse_category'],
  ]),
  ...ABUSE_CATEGORIES.map((category): RuleCase => [
    `6: category ${category}, no reasonable cause to suspect`,
    { category, reasonableCause: 'no' },
    3,
    'early_help',
    ['abuse_category'],
  ]),
  ...COMPLEX_ISSUES.map((code): RuleCase => [
    `8: issue ${code}`,
    { category: 'wellbeing', issues: [code] },
    3,
    'early_help',
    ['complex_issue'],
  ]),
  ...FAMILY_NEED_ISSUES.slice(1).map((code): RuleCase => [
    `9: issues ${FAMILY_NEED_ISSUES[0]} and ${code}`,
    { category: 'wellbeing', issues: [FAMILY_NEED_ISSUES[0], code] },
    3,
    'early_help',
    ['family_needs'],
  ]),
  ['9: all six family needs', { category: 'wellbeing', issues: FAMILY_NEED_ISSUES }, 3, 'early_help', ['family_needs']],
  ...FAMILY_NEED_ISSUES.map((code): RuleCase => [
    `9: the one issue ${code}`,
    { category: 'wellbeing', issues: [code] },
    2,
    'school_support',
    ['family_need'],
  ]),
  ...ADDITIONAL_NEED_ISSUES.map((code): RuleCase => [
    `10: issue ${code}`,
    { category: 'wellbeing', issues: [code] },
    2,
    'school_support',
    ['additional_need'],
  ]),
  ['12: nothing above matched', { category: 'wellbeing' }, 1, 'monitor', ['universal']],
  [
    '12: nothing above matched (empty lists)',
    { category: 'wellbeing', issues: [], indicators: [] },
    1,
    'monitor',
    ['universal'],
  ],
];

/** Browser-like: the fields a form on the page would submit as it stands (ticked boxes, selected options, typed text). */
function formFields(html: string, action: string): URLSearchParams {
  const start = html.indexOf(`action="${action}"`);
  if (start < 0) throw new Error(`The page has no form posting to ${action}`);
  const form = html.slice(start, html.indexOf('</form>', start));
  const unescape = (text: string) =>
    text
      .replace(/&quot;/g, '"')
      .replace(/&#x27;/g, "'")
      .replace(/&#x60;/g, '`')
      .replace(/&#x3D;/g, '=')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&');
  const attributes = (source: string) =>
    Object.fromEntries([...source.matchAll(/([\w-]+)(?:="([^"]*)")?/g)].map((m) => [m[1], m[2] ?? '']));
  const fields = new URLSearchParams();
  for (const [, source] of form.matchAll(/<input ([^>]*)>/g)) {
    const input = attributes(source);
    if (!input.name || (input.type === 'checkbox' && !('checked' in input))) continue;
    fields.append(input.name, unescape(input.value ?? ''));
  }
  for (const [, name, text] of form.matchAll(/<textarea [^>]*name="([^"]+)"[^>]*>([\s\S]*?)<\/textarea>/g))
    fields.append(name, unescape(text));
  for (const [, name, options] of form.matchAll(/<select [^>]*name="([^"]+)"[^>]*>([\s\S]*?)<\/select>/g)) {
    const selected = /<option value="([^"]*)" selected>/.exec(options);
    if (selected) fields.append(name, selected[1]);
  }
  return fields;
}

describe('Guidance over the API (DOMAIN.md levels of need)', () => {
  let testApp: TestApp;
  let lead: { cookies: Record<string, string>; csrfToken: string };
  let localAuthorityId: string;

  const evaluate = (draft: Record<string, unknown>, email = 'dsp@riverside.example') =>
    testApp.as(email).post<GuidanceAnswer>('/api/guidance/evaluate', draft);
  const answerOf = async (draft: Record<string, unknown>, email?: string): Promise<GuidanceAnswer> => {
    const response = await evaluate(draft, email);
    expect(response.status).toBe(200);
    return response.body;
  };
  const codes = (items: Array<{ code: string }>) => items.map((item) => item.code);

  // --- the lead's pages, as a browser uses them -------------------------------------------------
  const leadPage = (path: string) => testApp.http().get(path).set('Cookie', cookieHeader(lead.cookies));
  const leadPost = (path: string, fields: URLSearchParams) =>
    testApp.http().post(path).set('Cookie', cookieHeader(lead.cookies)).type('form').send(fields.toString());
  const editPathOf = async (code: string) => {
    const list = await leadPage('/la/services');
    expect(list.status).toBe(200);
    const row = new RegExp(`id="service-${code}"[\\s\\S]*?href="(/la/services/[^"]+/edit)"`).exec(list.text);
    if (!row) throw new Error(`No edit link for ${code}`);
    return row[1];
  };
  /** Opens a service's edit form, changes what `change` says, and submits it. */
  const editService = async (code: string, change: (fields: URLSearchParams) => void): Promise<Response> => {
    const path = await editPathOf(code);
    const page = await leadPage(path);
    expect(page.status).toBe(200);
    const fields = formFields(page.text, path);
    change(fields);
    return leadPost(path, fields);
  };
  const setOffered = (offered: boolean) => (fields: URLSearchParams) =>
    offered ? fields.set('active', 'true') : fields.delete('active');
  const saveThresholds = async (changes: Record<string, string>) => {
    const page = await leadPage('/la/services');
    const fields = formFields(page.text, '/la/services/thresholds');
    for (const [key, value] of Object.entries(changes)) fields.set(key, value);
    return leadPost('/la/services/thresholds', fields);
  };

  beforeAll(async () => {
    testApp = await bootTestApp();
    lead = await signInThroughForm(testApp, 'lead@cardiff.example');
    localAuthorityId = (await testApp.as('lead@cardiff.example').me()).organisationId;
  });

  afterAll(() => testApp.close());

  describe('POST /api/guidance/evaluate: each rule on its own', () => {
    it.each(RULE_CASES)('rule %s', async (_label, draft, level, route, reasons) => {
      const answer = await answerOf(draft);
      expect(answer).toEqual({
        level,
        route,
        emergency: level === 0,
        reasons: reasons.map((code) => ({ code, message: expect.stringMatching(PROCEDURE) })),
        triggers: [],
        alsoDo: expect.any(Array),
        services: expect.any(Array),
        chronologyReviewAdvised: false,
      });
      if (level === 2 || level === 3) expect(answer.services.length).toBeGreaterThan(0);
      for (const service of answer.services)
        expect(service).toEqual({
          code: expect.any(String),
          name: expect.any(String),
          description: expect.any(String),
          howToAccess: expect.any(String),
        });
    });

    it('takes the threshold judgement and gives the extra steps (alsoDo)', async () => {
      const unsure = await answerOf({ category: 'wellbeing', reasonableCause: 'unsure' });
      expect(unsure).toMatchObject({ level: 3, route: 'early_help' });
      expect(codes(unsure.alsoDo)).toEqual(['consult_mash']);
      const missing = await answerOf({ category: 'wellbeing', issues: ['missing_from_home', 'missing_education'] });
      expect(codes(missing.alsoDo)).toEqual(['report_missing_to_police', 'return_home_interview', 'notify_cme']);
      expect(missing.alsoDo[0].message).toContain('101');
      const bad = await evaluate({ category: 'wellbeing', reasonableCause: 'maybe' });
      expect(bad.status).toBe(400);
      expect(bad.body).toMatchObject({ errors: { reasonableCause: [expect.any(String)] } });
    });

    it('names the matching codes in the message, in plain words', async () => {
      const answer = await answerOf({ category: 'wellbeing', issues: ['housing', 'young_carer'] });
      expect(answer.reasons[0].message).toContain('Housing');
      expect(answer.reasons[0].message).toContain('Young carer');
      expect(answer.reasons[0].message).not.toContain('young_carer');
    });

    it('lists the services of each level: police in an emergency, MASH at level 4, the Designated Officer for an allegation', async () => {
      expect(codes((await answerOf({ category: 'wellbeing', indicators: ['immediate_danger'] })).services)).toContain(
        'police',
      );
      expect(codes((await answerOf({ category: 'sexual' })).services)).toContain('mash');
      expect(
        codes((await answerOf({ category: 'wellbeing', indicators: ['allegation_against_staff'] })).services),
      ).toContain('designated_officer');
      expect(codes((await answerOf({ category: 'wellbeing' })).services)).toEqual(['family_gateway']);
    });
  });

  describe('POST /api/guidance/evaluate: combinations', () => {
    it('takes the most severe level that any rule gives, with every matching rule as a reason', async () => {
      const answer = await answerOf({
        category: 'neglect',
        issues: ['bullying', 'self_harm', 'domestic_abuse', 'housing'],
      });
      expect(answer).toMatchObject({ level: 4, route: 'mash', emergency: false });
      expect(codes(answer.reasons)).toEqual([
        'statutory_issue',
        'abuse_category',
        'complex_issue',
        'family_need',
        'additional_need',
      ]);
    });

    it('never lowers a level: school-led issues on an abuse category stay at level 4, or 3 after "no"', async () => {
      expect(await answerOf({ category: 'physical', issues: ['bullying'] })).toMatchObject({ level: 4, route: 'mash' });
      expect(await answerOf({ category: 'physical', issues: ['bullying'], reasonableCause: 'no' })).toMatchObject({
        level: 3,
        route: 'early_help',
      });
    });

    it('treats the emergency as the most severe level, above every statutory rule', async () => {
      const answer = await answerOf({
        category: 'sexual',
        issues: ['trafficking'],
        indicators: ['disclosure_of_abuse', 'child_missing_now'],
      });
      expect(answer).toMatchObject({ level: 0, route: 'police', emergency: true });
      expect(codes(answer.reasons)).toEqual([
        'emergency_indicator',
        'statutory_indicator',
        'sexual_abuse_category',
        'statutory_issue',
      ]);
    });

    it('sends an allegation against staff to the Designated Officer, ahead of MASH', async () => {
      const answer = await answerOf({
        category: 'physical',
        issues: ['domestic_abuse'],
        indicators: ['allegation_against_staff', 'disclosure_of_abuse'],
      });
      expect(answer).toMatchObject({ level: 4, route: 'designated_officer', emergency: false });
      expect(answer.reasons[0]).toEqual({
        code: 'statutory_indicator',
        message: expect.stringContaining('Designated Officer'),
      });
    });

    it('keeps a level-0 concern with the police even when it is also an allegation against staff', async () => {
      const answer = await answerOf({
        category: 'physical',
        indicators: ['allegation_against_staff', 'medical_emergency'],
      });
      expect(answer).toMatchObject({ level: 0, route: 'police', emergency: true });
    });

    it('counts family needs together: two make level 3 (family_needs), never also family_need', async () => {
      const answer = await answerOf({ category: 'wellbeing', issues: ['housing', 'financial_hardship', 'attendance'] });
      expect(answer).toMatchObject({ level: 3, route: 'early_help' });
      expect(codes(answer.reasons)).toEqual(['family_needs', 'additional_need']);
    });

    it('gives the universal reason only when no other rule matched', async () => {
      expect(codes((await answerOf({ category: 'wellbeing', issues: ['online_safety'] })).reasons)).toEqual([
        'additional_need',
      ]);
    });

    it('answers in Welsh for a Welsh-speaking user', async () => {
      const email = 'dsp@bridge.example';
      const chooseLanguage = async (language: string) =>
        testApp
          .http()
          .post('/language')
          .set('Authorization', `Bearer ${await testApp.tokenFor(email)}`)
          .type('form')
          .send({ language, returnTo: '/' });
      expect((await chooseLanguage('cy')).status).toBe(303);
      try {
        const answer = await answerOf({ category: 'wellbeing', issues: ['housing'] }, email);
        expect(answer.reasons[0].message).toContain('Cadw Dysgwyr yn Ddiogel');
      } finally {
        await chooseLanguage('en');
      }
    });
  });

  describe('POST /api/guidance/evaluate: malformed drafts (400, nothing evaluated)', () => {
    it.each([
      ['an unknown category', { category: 'abuse' }, 'category'],
      ['no category', { issues: ['housing'] }, 'category'],
      ['an unknown issue', { category: 'wellbeing', issues: ['housing', 'poverty'] }, 'issues'],
      ['issues that are not a list', { category: 'wellbeing', issues: 'housing' }, 'issues'],
      ['a repeated issue', { category: 'wellbeing', issues: ['housing', 'housing'] }, 'issues'],
      ['an unknown indicator', { category: 'wellbeing', indicators: ['danger'] }, 'indicators'],
      ['a pupil id that is not an id', { category: 'wellbeing', pupilId: 'grace' }, 'pupilId'],
      ['an occurredAt without a zone', { category: 'wellbeing', occurredAt: '2025-01-01T10:00:00' }, 'occurredAt'],
      [
        'an occurredAt in the future',
        { category: 'wellbeing', occurredAt: new Date(Date.now() + 2 * DAY).toISOString() },
        'occurredAt',
      ],
      ['an unknown field', { category: 'wellbeing', level: 0 }, 'level'],
    ])('refuses %s, keyed by the field', async (_label, draft, field) => {
      const response = await evaluate(draft);
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ statusCode: 400, errors: { [field]: expect.any(Array) } });
    });

    it('refuses an unauthenticated caller (401)', async () => {
      expect((await testApp.http().post('/api/guidance/evaluate').send({ category: 'wellbeing' })).status).toBe(401);
    });
  });

  describe('POST /api/guidance/evaluate with a pupil the caller cannot see (404)', () => {
    it.each([
      ["another school's pupil", 'dsp@riverside.example'],
      ['a pupil, for the local authority lead (who sees no pupil data)', 'lead@cardiff.example'],
    ])('answers 404 for %s, as if the pupil did not exist', async (_label, email) => {
      const hillcrest = await testApp.as('dsp@hillcrest.example').pupils();
      const response = await evaluate({ category: 'wellbeing', pupilId: hillcrest[0].id }, email);
      expect(response.status).toBe(404);
      expect(response.body.level).toBeUndefined();
    });

    it('answers 404 for a pupil that does not exist', async () => {
      expect((await evaluate({ category: 'wellbeing', pupilId: randomUUID() })).status).toBe(404);
    });
  });

  describe('history triggers, on the record of a pupil who had none (Grace Okafor, Riverside)', () => {
    const dsp = 'dsp@riverside.example';
    const started = Date.now();
    const ago = (days: number) => new Date(started - days * DAY).toISOString();
    let graceId: string;
    const concernIds: Record<string, string> = {};
    const mashReferrals: string[] = [];

    const record = async (key: string, occurredAt: string, category: string, extra: Record<string, unknown> = {}) => {
      const response = await testApp.as(dsp).post<Concern>('/api/concerns', {
        pupilId: graceId,
        occurredAt,
        category,
        summary: `Test concern ${key}`,
        evidenceBasis: 'observed',
        ...extra,
      });
      expect(response.status).toBe(201);
      concernIds[key] = response.body.id;
      return response.body;
    };
    const draftFor = (category = 'wellbeing', extra: Record<string, unknown> = {}) =>
      answerOf({ category, pupilId: graceId, ...extra }, dsp);
    const referToMash = async (concernKey: string) => {
      const response = await testApp
        .as(dsp)
        .post<{ id: string }>(`/api/concerns/${concernIds[concernKey]}/escalations`, {
          route: 'mash',
          reasonForRoute: 'Concerns are building up and the family has stopped engaging with school.',
          consent: { sought: false, reasonNotSought: 'Asking the parent could put the child at further risk.' },
        });
      expect(response.status).toBe(201);
      mashReferrals.push(response.body.id);
      return response.body.id;
    };

    beforeAll(async () => {
      graceId = (await testApp.as(dsp).pupilNamed('Grace', 'Okafor')).id;
    });

    it('starts with no history: no triggers', async () => {
      expect(await draftFor()).toMatchObject({
        level: 1,
        route: 'monitor',
        triggers: [],
        chronologyReviewAdvised: false,
      });
    });

    it('does not fire pattern_frequency for one other concern in 30 days', async () => {
      await record('tenDaysAgo', ago(10), 'wellbeing');
      expect(codes((await draftFor()).triggers)).toEqual([]);
    });

    it('fires pattern_frequency for 2 other concerns within 30 days: at least level 3', async () => {
      await record('twentyDaysAgo', ago(20), 'wellbeing');
      const answer = await draftFor();
      expect(answer).toMatchObject({ level: 3, route: 'early_help' });
      expect(answer.triggers).toEqual([
        { code: 'pattern_frequency', message: expect.stringMatching(/2 other concerns.*30 days/) },
      ]);
      expect(codes(answer.reasons)).toEqual(['universal']);
    });

    it('keeps a level that is already higher: pattern_frequency never lowers level 4', async () => {
      const answer = await draftFor('sexual');
      expect(answer.level).toBe(4);
      expect(codes(answer.triggers)).toContain('pattern_frequency');
    });

    it('counts only concerns in the window: older ones and those after T do not count', async () => {
      await record('sixtyDaysAgo', ago(60), 'neglect');
      await record('hundredDaysAgo', ago(100), 'emotional');
      // Now: neglect (60 days) is the only other non-wellbeing category within 90 days.
      expect(codes((await draftFor('wellbeing')).triggers)).toEqual(['pattern_frequency']);
      // A draft dated 50 days ago: the two recent concerns are after T; emotional (100) and neglect (60) are within 90 days of it.
      const past = await draftFor('wellbeing', { occurredAt: ago(50) });
      expect(codes(past.triggers)).toEqual(['pattern_categories']);
      expect(past.level).toBe(3);
    });

    it("fires pattern_categories for 2 distinct categories other than wellbeing within 90 days, counting the draft's own", async () => {
      const answer = await draftFor('physical');
      expect(codes(answer.triggers)).toEqual(['pattern_frequency', 'pattern_categories']);
      expect(answer.triggers[1].message).toContain('Physical abuse');
      expect(answer.triggers[1].message).toContain('Neglect');
      // Suspected physical abuse is itself level 4 (rule 6): the pattern is noted in words that fit it.
      expect(answer.level).toBe(4);
      expect(answer.triggers[1].message).toContain('include the pattern in what you report');
    });

    it("follows the local authority's threshold: with 3 concerns needed, 2 no longer make a pattern", async () => {
      const saved = await saveThresholds({ patternFrequencyCount: '3' });
      expect(saved.status).toBe(303);
      expect(saved.headers.location).toBe('/la/services?done=thresholds');
      try {
        expect(codes((await draftFor()).triggers)).toEqual([]);
        expect((await draftFor()).level).toBe(1);
        const page = await leadPage('/la/services');
        expect(page.text).toMatch(
          /id="patternFrequencyCount" name="patternFrequencyCount" type="text" inputmode="numeric" spellcheck="false" value="3"/,
        );
        const audit = await testApp
          .as('lead@cardiff.example')
          .get<Paged<AuditItem>>('/api/audit', { subjectType: 'organisation', subjectId: localAuthorityId });
        expect(audit.body.items).toContainEqual(
          expect.objectContaining({
            action: 'guidance_settings.updated',
            subjectType: 'organisation',
            subjectId: localAuthorityId,
          }),
        );
      } finally {
        expect((await saveThresholds({ patternFrequencyCount: '2' })).status).toBe(303);
      }
      expect(codes((await draftFor()).triggers)).toEqual(['pattern_frequency']);
    });

    it('fires after_mash_closure once MASH closed a referral with no further action: at least level 3 and a chronology review', async () => {
      const referralId = await referToMash('tenDaysAgo');
      expect(codes((await draftFor()).triggers)).not.toContain('after_mash_closure');
      const inbox = await testApp.as('mash@cardiff.example').get<Paged<InboxItem>>('/api/la/escalations');
      expect(inbox.body.items.map((item) => item.id)).toContain(referralId);
      const outcome = await testApp.as('mash@cardiff.example').post(`/api/la/escalations/${referralId}/outcome`, {
        outcome: 'no_further_action',
        note: 'Threshold for statutory intervention not met; school to monitor.',
      });
      expect(outcome.status).toBe(201);

      const answer = await draftFor();
      expect(codes(answer.triggers)).toEqual(['pattern_frequency', 'after_mash_closure']);
      expect(answer).toMatchObject({ level: 3, chronologyReviewAdvised: true });
      expect(answer.triggers[1].message).toMatch(/chronology/i);
    });

    it('fires repeat_mash after two MASH referrals of other concerns within 12 months: level 4, ask for a strategy discussion', async () => {
      await referToMash('twentyDaysAgo');
      const answer = await draftFor();
      expect(codes(answer.triggers)).toEqual(['pattern_frequency', 'after_mash_closure', 'repeat_mash']);
      expect(answer).toMatchObject({ level: 4, route: 'mash', chronologyReviewAdvised: true });
      expect(answer.triggers[2].message).toMatch(/strategy discussion/);
      expect(codes(answer.services)).toContain('mash');
    });

    it("GET /api/concerns/:id/guidance gives the same answer for a recorded concern, its own referrals not counted as 'other'", async () => {
      const recorded = await record('today', new Date().toISOString(), 'wellbeing');
      const draft = await draftFor();
      const response = await testApp.as(dsp).get<GuidanceAnswer>(`/api/concerns/${recorded.id}/guidance`);
      expect(response.status).toBe(200);
      const answer = response.body;
      expect(Object.keys(answer).sort()).toEqual(Object.keys(draft).sort());
      expect(answer).toMatchObject({ level: 4, route: 'mash', emergency: false, chronologyReviewAdvised: true });
      expect(codes(answer.triggers)).toEqual(['pattern_frequency', 'after_mash_closure', 'repeat_mash']);
      expect(recorded.guidance).toMatchObject({ level: 4, route: 'mash' });
      // For this concern, the three earlier ones within 30 days are the "other concerns" (not itself).
      expect(answer.triggers[0].message).toMatch(/\b2 other concerns/);

      // A MASH referral of this concern itself is not an "other" one for its own guidance.
      await referToMash('today');
      const after = (await testApp.as(dsp).get<GuidanceAnswer>(`/api/concerns/${recorded.id}/guidance`)).body;
      expect(after.triggers.find((trigger) => trigger.code === 'repeat_mash')?.message).toMatch(/\b2 MASH referrals/);
      // ...but it is for a new draft.
      expect((await draftFor()).triggers.find((trigger) => trigger.code === 'repeat_mash')?.message).toMatch(
        /\b3 MASH referrals/,
      );
    });

    it("answers 404 to another school for the concern's guidance", async () => {
      expect((await testApp.as('dsp@hillcrest.example').get(`/api/concerns/${concernIds.today}/guidance`)).status).toBe(
        404,
      );
    });
  });

  describe("the local authority's services directory (la_lead pages)", () => {
    const mentalHealthDraft = { category: 'wellbeing', issues: ['mental_health'] };

    it('shows the lead the directory, with the thresholds, and a menu item to it', async () => {
      const page = await leadPage('/la/services');
      expect(page.status).toBe(200);
      expect(page.text).toContain('Services directory');
      expect(page.text).toContain('href="/la/services"');
      expect(page.text).toContain('School-based counselling');
      expect(page.text).toContain('action="/la/services/thresholds"');
      expect(page.text).toMatch(/2 or more MASH referrals about other concerns within 12 months/);
    });

    it('has every string of its pages in both languages', async () => {
      const editPath = await editPathOf('thrive');
      for (const language of ['en', 'cy']) {
        for (const path of ['/la/services', '/la/services/new', editPath]) {
          const page = await testApp
            .http()
            .get(path)
            .set('Cookie', cookieHeader({ ...lead.cookies, sg_lang: language }));
          expect(page.status).toBe(200);
          expect(page.text).toContain(`<html lang="${language}"`);
          expect(page.text.match(/\b(directory|guidance|nav|errors)\.[a-zA-Z_.]+/g) ?? []).toEqual([]);
        }
      }
    });

    it('withdrawing a tagged service takes it out of the guidance for a matching concern; restoring brings it back', async () => {
      expect(codes((await answerOf(mentalHealthDraft)).services)).toContain('school_counselling');

      const withdrawn = await editService('school_counselling', setOffered(false));
      expect(withdrawn.status).toBe(303);
      expect(withdrawn.headers.location).toBe('/la/services?done=updated');
      const list = await leadPage('/la/services?done=updated');
      expect(list.text).toContain('The service has been saved.');
      expect(list.text).toMatch(/id="service-school_counselling"[\s\S]*?Withdrawn/);

      const answer = await answerOf(mentalHealthDraft);
      expect(answer.level).toBe(2);
      expect(codes(answer.services)).not.toContain('school_counselling');
      expect(codes(answer.services)).toEqual(expect.arrayContaining(['elsa', 'thrive', 'emotional_wellbeing_spoa']));

      expect((await editService('school_counselling', setOffered(true))).status).toBe(303);
      expect(codes((await answerOf(mentalHealthDraft)).services)).toContain('school_counselling');
    });

    it('records each change of the directory in the audit log against the local authority', async () => {
      const audit = await testApp
        .as('lead@cardiff.example')
        .get<Paged<AuditItem>>('/api/audit', { subjectType: 'organisation', subjectId: localAuthorityId });
      expect(audit.status).toBe(200);
      expect(audit.body.items).toContainEqual(
        expect.objectContaining({
          action: 'directory.updated',
          subjectType: 'organisation',
          subjectId: localAuthorityId,
        }),
      );
    });

    it('refuses (422) an edit that would leave no untagged level-2 service, shows why on the form and keeps what was typed', async () => {
      expect((await editService('elsa', setOffered(false))).status).toBe(303);
      expect((await editService('team_around_the_school', setOffered(false))).status).toBe(303);
      try {
        const refused = await editService('family_gateway', (fields) => {
          fields.delete('active');
          fields.set('nameEn', 'Family Gateway (renamed)');
        });
        expect(refused.status).toBe(422);
        expect(refused.text).toContain('govuk-error-summary');
        expect(refused.text).toContain('href="#active"');
        expect(refused.text).toContain('no service without issue tags for level 2');
        expect(refused.text).toContain('value="Family Gateway (renamed)"');
        // Nothing changed: level-2 guidance still lists the Family Gateway under its old name.
        const answer = await answerOf({ category: 'wellbeing', issues: ['housing'] });
        expect(answer.services).toContainEqual(
          expect.objectContaining({
            code: 'family_gateway',
            name: 'Cardiff Family Advice and Support (Family Gateway)',
          }),
        );
      } finally {
        expect((await editService('elsa', setOffered(true))).status).toBe(303);
        expect((await editService('team_around_the_school', setOffered(true))).status).toBe(303);
      }
    });

    it('re-shows the form (400) with the problem next to an emptied field', async () => {
      const refused = await editService('elsa', (fields) => {
        fields.set('nameCy', '');
        fields.set('descriptionEn', 'Changed description that must be kept on the form.');
      });
      expect(refused.status).toBe(400);
      expect(refused.text).toContain('href="#nameCy"');
      expect(refused.text).toContain('id="nameCy-error"');
      expect(refused.text).toContain('Changed description that must be kept on the form.');
      expect(codes((await answerOf({ category: 'wellbeing', issues: ['bullying'] })).services)).toContain('elsa');
    });

    it('answers 400 and changes nothing when the offered checkbox posts anything but its own value', async () => {
      const tampered = await editService('elsa', (fields) => fields.set('active', 'on'));
      expect(tampered.status).toBe(400);
      expect(codes((await answerOf({ category: 'wellbeing', issues: ['bullying'] })).services)).toContain('elsa');
    });

    it('refuses (422) a level range that is backwards in severity order', async () => {
      const refused = await editService('elsa', (fields) => {
        fields.set('minLevel', '3');
        fields.set('maxLevel', '2');
      });
      expect(refused.status).toBe(422);
      expect(refused.text).toContain('href="#maxLevel"');
    });

    it('adds a new service through the form; it is offered for matching concerns, in both languages', async () => {
      const form = await leadPage('/la/services/new');
      expect(form.status).toBe(200);
      const fields = formFields(form.text, '/la/services/new');
      fields.set('code', 'young_carers_cardiff');
      fields.set('nameEn', 'Young Carers Cardiff');
      fields.set('nameCy', 'Gofalwyr Ifanc Caerdydd');
      fields.set('descriptionEn', 'Support and breaks for young carers.');
      fields.set('descriptionCy', 'Cymorth a seibiannau i ofalwyr ifanc.');
      fields.set('howToAccessEn', 'Refer with the family’s agreement.');
      fields.set('howToAccessCy', 'Atgyfeiriwch gyda chytundeb y teulu.');
      fields.set('minLevel', '2');
      fields.set('maxLevel', '3');
      fields.append('issueTags', 'young_carer');
      fields.append('issueTags', 'parental_mental_health');
      const added = await leadPost('/la/services/new', fields);
      expect(added.status).toBe(303);
      expect(added.headers.location).toBe('/la/services?done=added');

      expect(codes((await answerOf({ category: 'wellbeing', issues: ['young_carer'] })).services)).toContain(
        'young_carers_cardiff',
      );
      expect(codes((await answerOf({ category: 'wellbeing', issues: ['bullying'] })).services)).not.toContain(
        'young_carers_cardiff',
      );
      const edit = await leadPage(await editPathOf('young_carers_cardiff'));
      expect(edit.text).toMatch(/value="young_carer" checked/);
      expect(edit.text).toMatch(/value="parental_mental_health" checked/);
      expect(edit.text).not.toMatch(/value="housing" checked/);

      const inWelsh = await testApp
        .http()
        .get('/la/services')
        .set('Cookie', cookieHeader({ ...lead.cookies, sg_lang: 'cy' }));
      expect(inWelsh.text).toMatch(/id="service-young_carers_cardiff"[\s\S]*?Gofalwyr Ifanc Caerdydd/);
      expect(inWelsh.text).toContain('Cyfeiriadur gwasanaethau');

      const again = await leadPost('/la/services/new', fields);
      expect(again.status).toBe(422);
      expect(again.text).toContain('href="#code"');
    });

    it('refuses a threshold outside its bounds (400) and a level-4 threshold outright', async () => {
      const refused = await saveThresholds({ patternFrequencyDays: '1000' });
      expect(refused.status).toBe(400);
      expect(refused.text).toContain('href="#patternFrequencyDays"');
      expect(refused.text).toContain('value="1000"');
      const fixed = await leadPost(
        '/la/services/thresholds',
        new URLSearchParams({ _csrf: lead.csrfToken, repeatMashCount: '5' }),
      );
      expect(fixed.status).toBe(400);
      expect((await answerOf({ category: 'wellbeing' })).level).toBe(1);
    });

    it.each([
      'teacher@riverside.example',
      'dsp@riverside.example',
      'head@riverside.example',
      'mash@cardiff.example',
      'earlyhelp@cardiff.example',
      'admin@cardiff.example',
    ])('refuses %s (403) on every directory page, and shows them no menu item', async (email) => {
      const auth = await testApp.as(email).authorization();
      const editPath = await editPathOf('elsa');
      for (const path of ['/la/services', '/la/services/new', editPath]) {
        expect((await testApp.http().get(path).set(auth)).status).toBe(403);
      }
      const session = await signInThroughForm(testApp, email);
      const post = (path: string, fields: Record<string, string>) =>
        testApp
          .http()
          .post(path)
          .set('Cookie', cookieHeader(session.cookies))
          .type('form')
          .send(new URLSearchParams({ _csrf: session.csrfToken, ...fields }).toString());
      expect((await post('/la/services/thresholds', { patternFrequencyCount: '9' })).status).toBe(403);
      expect((await post(editPath, { nameEn: 'Hijacked' })).status).toBe(403);
      expect((await post('/la/services/new', { code: 'hijack' })).status).toBe(403);
      const home = await testApp.http().get('/').set('Cookie', cookieHeader(session.cookies));
      expect(home.text).not.toContain('href="/la/services"');
      expect(codes((await answerOf({ category: 'wellbeing', issues: ['bullying'] })).services)).toContain('elsa');
    });
  });
});
