import { WorkingDayCalendar } from '../../src/calendar/working-days';
import { Concern } from '../../src/dsp/concerns/concern.entity';
import { Escalation } from '../../src/dsp/escalations/escalation.entity';
import {
  AuditItem,
  Chronology,
  Concern as ConcernAnswer,
  ConcernListItem,
  Decision,
  ErrorBody,
  Escalation as EscalationAnswer,
  InboxItem,
  Me,
  Paged,
  PupilSummary,
} from '../support/api';
import { bootTestApp, TestApp } from '../support/test-app';
import { auditEntries } from '../support/audit-chain';

/**
 * The core loop over the JSON API on the demo data: a teacher's concern, the DSP's triage and
 * referral, MASH's acknowledgement and redirect, early help's inbox, and the head teacher's reading of
 * the chronology and the audit log. Then what the API refuses, and text that must come back verbatim.
 */

const TEACHER = 'teacher@riverside.example';
const DSP = 'dsp@riverside.example';
const HEAD = 'head@riverside.example';
const MASH = 'mash@cardiff.example';
const EARLY_HELP = 'earlyhelp@cardiff.example';

/** Quotes, tags, an SQL fragment, Welsh circumflexes, emoji (a ZWJ sequence too), and the tab, CR and LF people may type. */
const AWKWARD = `O'Brien said "<script>alert(1)</script>"; DROP TABLE concerns;-- Mae'r plentyn yn dweud ŵ ŷ Ŵ Ŷ â ê 🙂 👩‍👧 \\ %_ \${x} {{y}}\r\n\tend`;
const awkward = (label: string) => `${label}: ${AWKWARD}`;
/** The same mix within 100 characters, for the short fields. */
const SHORT_AWKWARD = `O'Brien "<b>x</b>"; DROP TABLE escalations;-- ŵ ŷ 🙂`;

type Pupil = PupilSummary;

describe('The core loop over the API', () => {
  let testApp: TestApp;
  let calendar: WorkingDayCalendar;
  const roll: Record<'riverside' | 'hillcrest' | 'bridge', Pupil[]> = { riverside: [], hillcrest: [], bridge: [] };
  const me: Record<string, Me> = {};

  const get = <T = unknown>(email: string, path: string, query: Record<string, string> = {}) =>
    testApp.as(email).get<T>(path, query);
  /** POST as `email`; the answer is typed as what was asked for or an error (the test checks the status). */
  const post = <T = unknown>(email: string, path: string, body?: object) =>
    testApp.as(email).post<T & ErrorBody>(path, body);
  const pupil = (school: keyof typeof roll, firstName: string) => {
    const found = roll[school].find((p) => p.firstName === firstName);
    if (!found) throw new Error(`${firstName} is not on the ${school} roll`);
    return found;
  };
  const concernBody = (pupilId: string, overrides: Record<string, unknown> = {}) => ({
    pupilId,
    occurredAt: new Date(Date.now() - 2 * 3600 * 1000).toISOString(),
    category: 'wellbeing',
    summary: 'Came to school without breakfast.',
    evidenceBasis: 'observed',
    ...overrides,
  });
  const counts = async () => ({
    concerns: await testApp.dataSource.getRepository(Concern).count(),
    escalations: await testApp.dataSource.getRepository(Escalation).count(),
    audit: await (await auditEntries(testApp)).count(),
  });

  beforeAll(async () => {
    testApp = await bootTestApp();
    calendar = testApp.app.get(WorkingDayCalendar);
    for (const [school, email] of [
      ['riverside', DSP],
      ['hillcrest', 'dsp@hillcrest.example'],
      ['bridge', 'dsp@bridge.example'],
    ] as const) {
      roll[school] = await testApp.as(email).pupils();
    }
    for (const email of [TEACHER, DSP, HEAD, MASH, EARLY_HELP]) me[email] = await testApp.as(email).me();
  });

  afterAll(() => testApp.close());

  describe('the journey: teacher → DSP → MASH → early help → head teacher', () => {
    const referral = {
      householdMembers: [
        { name: 'Carys Evans', relationship: 'Mother', dateOfBirth: '1989-04-12' },
        { name: 'Tom Evans', relationship: 'Brother' },
      ],
      parentalResponsibility: 'Mother only',
      agenciesInvolved: ['Health visitor'],
      protectiveMeasures: 'Grandmother collects after school',
      knownAboutChildAndFamily: 'Moved into the area in 2025',
      additionalNeeds: 'None known',
      communicationNeeds: 'Mother prefers Welsh',
      riskToVisitors: 'None known',
      phonedAt: new Date(Date.now() - 60 * 1000).toISOString(),
    };
    let lily: Pupil;
    let earlier: { id: string };
    let concern: { id: string; recordedAt: string };
    let mashReferral: { id: string; sentAt: string };
    let earlyHelpId: string;

    beforeAll(() => {
      lily = pupil('riverside', 'Lily');
    });

    it('records the teacher’s concern (201, awaiting triage, with guidance)', async () => {
      earlier = (
        await post<ConcernAnswer>(
          TEACHER,
          '/api/concerns',
          concernBody(lily.id, { summary: 'An earlier, minor concern' }),
        )
      ).body;
      const response = await post<ConcernAnswer>(
        TEACHER,
        '/api/concerns',
        concernBody(lily.id, {
          category: 'physical',
          indicators: ['disclosure_of_abuse'],
          evidenceBasis: 'disclosed_by_child',
          summary: 'Said her stepfather hit her',
          childsWords: 'He hit me with a belt',
          childsWordsLanguage: 'en',
        }),
      );
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({
        id: expect.any(String),
        status: 'awaiting_triage',
        pupilId: lily.id,
        organisationId: me[TEACHER].organisationId,
        recordedBy: { name: 'Tomos Evans', role: 'staff' },
        category: 'physical',
        indicators: ['disclosure_of_abuse'],
        guidance: expect.objectContaining({
          level: 4,
          route: 'mash',
          emergency: false,
          reasons: expect.arrayContaining([expect.objectContaining({ code: 'statutory_indicator' })]),
        }),
      });
      concern = response.body;
    });

    it("puts it in the DSP's queue of concerns awaiting triage, oldest first", async () => {
      const response = await get<Paged<ConcernListItem>>(DSP, '/api/concerns', { status: 'awaiting_triage' });
      expect(response.status).toBe(200);
      const items = response.body.items;
      const ids = items.map((i) => i.id);
      expect(ids.indexOf(earlier.id)).toBeGreaterThanOrEqual(0);
      expect(ids.indexOf(concern.id)).toBeGreaterThan(ids.indexOf(earlier.id));
      expect(items.map((i) => i.recordedAt)).toEqual([...items.map((i) => i.recordedAt)].sort());
      expect(items.every((i) => i.status === 'awaiting_triage')).toBe(true);
      expect(items.find((i) => i.id === concern.id)).toMatchObject({
        pupil: { id: lily.id, firstName: 'Lily', lastName: 'Evans' },
        recordedBy: { name: 'Tomos Evans', role: 'staff' },
      });
    });

    it('lets the DSP open it, with its guidance', async () => {
      const response = await get(DSP, `/api/concerns/${concern.id}`);
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        id: concern.id,
        status: 'awaiting_triage',
        decisions: [],
        escalations: [],
        closure: null,
        childsWords: 'He hit me with a belt',
        guidance: { level: 4 },
      });
      expect((await get(DSP, `/api/concerns/${concern.id}/guidance`)).body).toMatchObject({ level: 4, route: 'mash' });
    });

    it.each([
      ['missing', { outcome: 'no_further_action' }],
      ['empty', { outcome: 'no_further_action', rationale: '' }],
      ['empty, for a referral decision', { outcome: 'mash', rationale: '' }],
      ['not text', { outcome: 'monitor', rationale: 42 }],
      ['null', { outcome: 'no_further_action', rationale: null }],
    ])('requires a rationale for every decision (%s → 400 on rationale, nothing stored)', async (_label, body) => {
      const before = await counts();
      const response = await post(DSP, `/api/concerns/${concern.id}/decision`, body);
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ statusCode: 400, errors: { rationale: expect.any(Array) } });
      expect(await counts()).toEqual(before);
    });

    it('records the DSP’s decision (201) and moves the concern out of the queue', async () => {
      const response = await post(DSP, `/api/concerns/${concern.id}/decision`, {
        outcome: 'mash',
        rationale: 'Disclosure of physical abuse by a parent: refer to MASH today',
      });
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({
        concernId: concern.id,
        outcome: 'mash',
        rationale: 'Disclosure of physical abuse by a parent: refer to MASH today',
        decidedBy: { name: 'Siân Morgan', role: 'dsp' },
      });
      const queue = (
        await get<Paged<ConcernListItem>>(DSP, '/api/concerns', { status: 'awaiting_triage' })
      ).body.items.map((i) => i.id);
      expect(queue).not.toContain(concern.id);
      expect(
        (await get<Paged<ConcernListItem>>(DSP, '/api/concerns', { status: 'open' })).body.items.map((i) => i.id),
      ).toContain(concern.id);
    });

    it('refers it to MASH (201, sent, following the guidance)', async () => {
      const response = await post<EscalationAnswer>(DSP, `/api/concerns/${concern.id}/escalations`, {
        route: 'mash',
        consent: { sought: false, reasonNotSought: 'The alleged abuser is a parent' },
        referral,
      });
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({
        id: expect.any(String),
        route: 'mash',
        status: 'sent',
        sentAt: expect.any(String),
        recommendedLevel: 4,
        recommendedRoute: 'mash',
        againstRecommendation: false,
        referral,
      });
      mashReferral = response.body;
    });

    it('shows MASH the referral in its inbox: pupil, school, sent, due one working day after the phone call, not overdue', async () => {
      const response = await get<Paged<InboxItem>>(MASH, '/api/la/escalations');
      expect(response.status).toBe(200);
      const item = response.body.items.find((i) => i.id === mashReferral.id)!;
      expect(item).toMatchObject({
        id: mashReferral.id,
        route: 'mash',
        status: 'sent',
        sentAt: mashReferral.sentAt,
        overdue: false,
        pupil: { id: lily.id, firstName: 'Lily', lastName: 'Evans', dateOfBirth: lily.dateOfBirth },
        organisation: { id: me[DSP].organisationId, name: 'Riverside Primary' },
      });
      // The DSP phoned a minute before sending: the statutory clock started with the call.
      const phonedAt = new Date(referral.phonedAt);
      expect(item.dueBy).toBe(calendar.addWorkingDays(phonedAt, 1).toISOString());
      expect(Date.parse(item.dueBy) - phonedAt.getTime()).toBeGreaterThanOrEqual(23 * 3600 * 1000); // a whole working day, at least
      expect(Date.parse(item.dueBy) - phonedAt.getTime()).toBeLessThanOrEqual(6 * 24 * 3600 * 1000);
      expect(
        (await get<Paged<InboxItem>>(MASH, '/api/la/escalations', { status: 'sent' })).body.items.map((i) => i.id),
      ).toContain(mashReferral.id);
      expect(
        (await get<Paged<InboxItem>>(EARLY_HELP, '/api/la/escalations')).body.items.map((i) => i.id),
      ).not.toContain(mashReferral.id);
    });

    it('lets MASH read the referral with the concern it is about', async () => {
      const response = await get(MASH, `/api/la/escalations/${mashReferral.id}`);
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        id: mashReferral.id,
        referral,
        pupil: { id: lily.id },
        concern: { id: concern.id, summary: 'Said her stepfather hit her', childsWords: 'He hit me with a belt' },
      });
    });

    it('is acknowledged by MASH (201), once', async () => {
      const response = await post(MASH, `/api/la/escalations/${mashReferral.id}/acknowledge`);
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({
        id: mashReferral.id,
        status: 'acknowledged',
        acknowledgement: { by: { name: 'Bethan Lewis', role: 'la_mash' } },
      });
      const again = await post(MASH, `/api/la/escalations/${mashReferral.id}/acknowledge`);
      expect(again.status).toBe(422);
      expect(again.body).toMatchObject({ statusCode: 422, errors: { status: expect.any(Array) } });
    });

    it('is redirected to early help by MASH (201, with the new early-help referral)', async () => {
      const response = await post<{ earlyHelpEscalationId: string }>(
        MASH,
        `/api/la/escalations/${mashReferral.id}/outcome`,
        { outcome: 'redirect_early_help', note: 'Family help is the right response' },
      );
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({
        id: mashReferral.id,
        status: 'decided',
        outcome: { outcome: 'redirect_early_help', note: 'Family help is the right response' },
        earlyHelpEscalationId: expect.any(String),
      });
      earlyHelpId = response.body.earlyHelpEscalationId;
    });

    it('reaches the early-help inbox with nothing re-typed: same concern, pupil and referral details', async () => {
      const inbox = await get<Paged<InboxItem>>(EARLY_HELP, '/api/la/escalations');
      expect(inbox.body.items).toContainEqual(
        expect.objectContaining({
          id: earlyHelpId,
          route: 'early_help',
          status: 'sent',
          pupil: expect.objectContaining({ id: lily.id }),
          // nameCy is an added field (the school's Welsh name, for Welsh readers' pages).
          organisation: expect.objectContaining({ id: me[DSP].organisationId, name: 'Riverside Primary' }),
        }),
      );
      const response = await get(EARLY_HELP, `/api/la/escalations/${earlyHelpId}`);
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        id: earlyHelpId,
        route: 'early_help',
        concernId: concern.id,
        pupilId: lily.id,
        redirectedFromId: mashReferral.id,
        referral,
        pupil: { id: lily.id, firstName: 'Lily', lastName: 'Evans' },
        concern: { id: concern.id, summary: 'Said her stepfather hit her', childsWords: 'He hit me with a belt' },
        sentBy: { name: 'Bethan Lewis', role: 'la_mash' },
      });
    });

    it('lets the head teacher read it all on the chronology, in time order', async () => {
      const response = await get<Chronology>(HEAD, `/api/pupils/${lily.id}/chronology`);
      expect(response.status).toBe(200);
      expect(response.body.pupil).toMatchObject({ id: lily.id, firstName: 'Lily', lastName: 'Evans' });
      const entries = response.body.entries;
      expect(entries.map((e) => e.at)).toEqual([...entries.map((e) => e.at)].sort());
      const ours = entries.filter((e) => e.concernId === concern.id);
      expect(ours.map((e) => [e.kind, e.actor?.role])).toEqual([
        ['concern_recorded', 'staff'],
        ['decision', 'dsp'],
        ['escalation_sent', 'dsp'],
        ['la_acknowledged', 'la_mash'],
        ['escalation_sent', 'la_mash'],
        ['la_outcome', 'la_mash'],
      ]);
      expect(ours[4]).toMatchObject({ escalationId: earlyHelpId, actor: { name: 'Bethan Lewis' } });
      expect(ours[5]).toMatchObject({ escalationId: mashReferral.id, detail: 'Family help is the right response' });
      expect(entries.map((e) => e.concernId)).toEqual(expect.arrayContaining([earlier.id]));
    });

    it("shows the head teacher who opened the concern and the pupil's chronology", async () => {
      const onConcern = await get<Paged<AuditItem>>(HEAD, '/api/audit', {
        subjectType: 'concern',
        subjectId: concern.id,
      });
      expect(onConcern.status).toBe(200);
      const items = onConcern.body.items;
      expect(items).toContainEqual(
        expect.objectContaining({
          action: 'concern.recorded',
          actor: { id: me[TEACHER].id, name: 'Tomos Evans', role: 'staff' },
          subjectId: concern.id,
        }),
      );
      expect(items).toContainEqual(
        expect.objectContaining({
          action: 'concern.viewed',
          actor: { id: me[DSP].id, name: 'Siân Morgan', role: 'dsp' },
        }),
      );
      expect(items).toContainEqual(
        expect.objectContaining({ action: 'concern.decided', actor: expect.objectContaining({ id: me[DSP].id }) }),
      );
      const onPupil = await get<Paged<AuditItem>>(HEAD, '/api/audit', { subjectType: 'pupil', subjectId: lily.id });
      expect(onPupil.body.items).toContainEqual(
        expect.objectContaining({
          action: 'chronology.viewed',
          actor: { id: me[HEAD].id, name: 'Gareth Price', role: 'head_teacher' },
          subjectType: 'pupil',
          subjectId: lily.id,
        }),
      );
      const onReferral = await get<Paged<AuditItem>>(HEAD, '/api/audit', {
        subjectType: 'escalation',
        subjectId: mashReferral.id,
      });
      expect(onReferral.body.items.map((i) => i.action)).toEqual(
        expect.arrayContaining([
          'escalation.sent',
          'escalation.viewed',
          'escalation.acknowledged',
          'escalation.outcome_recorded',
        ]),
      );
    });

    it('shows the school the referral’s outcome', async () => {
      const response = await get(DSP, `/api/escalations/${mashReferral.id}`);
      expect(response.body).toMatchObject({
        status: 'decided',
        outcome: { outcome: 'redirect_early_help', earlyHelpEscalationId: earlyHelpId },
      });
    });
  });

  describe('text comes back exactly as it was sent', () => {
    it('keeps quotes, tags, SQL, Welsh characters, emoji and line breaks verbatim everywhere', async () => {
      const dewi = pupil('riverside', 'Dewi');
      const linked = pupil('riverside', 'Grace');
      const sent = {
        ...concernBody(dewi.id, { category: 'wellbeing', issues: ['bullying'] }),
        summary: awkward('summary'),
        childsWords: awkward('childsWords'),
        childsWordsLanguage: 'cy',
        actionTaken: awkward('actionTaken'),
        linkedPupils: [{ pupilId: linked.id, role: 'witness' }],
        bodyMap: [{ view: 'back', x: 0, y: 1, note: awkward('note') }],
      };
      const recorded = await post<ConcernAnswer>(TEACHER, '/api/concerns', sent);
      expect(recorded.status).toBe(201);
      const { pupilId, occurredAt, ...text } = sent;
      expect(recorded.body).toMatchObject({ ...text, pupilId, occurredAt });
      const concernId = recorded.body.id;
      const opened = await get(DSP, `/api/concerns/${concernId}`);
      expect(opened.body).toMatchObject({ ...text, pupilId, occurredAt });

      const decision = await post<Decision>(DSP, `/api/concerns/${concernId}/decision`, {
        outcome: 'school_support',
        rationale: awkward('rationale'),
      });
      expect(decision.body.rationale).toBe(awkward('rationale'));

      const referral = {
        householdMembers: [{ name: awkward('name'), relationship: SHORT_AWKWARD }],
        parentalResponsibility: awkward('parentalResponsibility'),
        agenciesInvolved: [awkward('agency 1'), awkward('agency 2')],
        protectiveMeasures: awkward('protectiveMeasures'),
        knownAboutChildAndFamily: awkward('knownAboutChildAndFamily'),
        additionalNeeds: awkward('additionalNeeds'),
        communicationNeeds: awkward('communicationNeeds'),
        riskToVisitors: awkward('riskToVisitors'),
      };
      const escalationBody = {
        route: 'mash',
        reasonForRoute: awkward('reasonForRoute'),
        consent: { sought: false, reasonNotSought: awkward('reasonNotSought') },
        referral,
      };
      const escalation = await post<EscalationAnswer>(DSP, `/api/concerns/${concernId}/escalations`, escalationBody);
      expect({ status: escalation.status, errors: escalation.body.errors }).toEqual({ status: 201, errors: undefined });
      expect(escalation.body).toMatchObject({
        reasonForRoute: awkward('reasonForRoute'),
        againstRecommendation: false,
        consent: { sought: false, reasonNotSought: awkward('reasonNotSought') },
        referral,
      });
      expect((await get(DSP, `/api/escalations/${escalation.body.id}`)).body).toMatchObject({
        reasonForRoute: awkward('reasonForRoute'),
        referral,
      });
      const forMash = await get(MASH, `/api/la/escalations/${escalation.body.id}`);
      expect(forMash.body).toMatchObject({
        reasonForRoute: awkward('reasonForRoute'),
        referral,
        concern: { summary: awkward('summary'), childsWords: awkward('childsWords') },
      });

      const outcome = await post<{ outcome: { note: string }; earlyHelpEscalationId: string }>(
        MASH,
        `/api/la/escalations/${escalation.body.id}/outcome`,
        {
          outcome: 'redirect_early_help',
          note: awkward('outcome note'),
        },
      );
      expect(outcome.body.outcome.note).toBe(awkward('outcome note'));
      const forEarlyHelp = await get(EARLY_HELP, `/api/la/escalations/${outcome.body.earlyHelpEscalationId}`);
      expect(forEarlyHelp.body).toMatchObject({
        referral,
        redirect: { note: awkward('outcome note') },
        concern: { summary: awkward('summary'), childsWords: awkward('childsWords') },
      });
      // The school's reason for not seeking consent stays with MASH: the early-help team seeks consent itself.
      expect(JSON.stringify(forEarlyHelp.body)).not.toContain('reasonNotSought');
      expect(forMash.body).toMatchObject({ consent: { reasonNotSought: awkward('reasonNotSought') } });

      const closed = await post<{ rationale: string }>(DSP, `/api/concerns/${concernId}/close`, {
        rationale: awkward('closing'),
      });
      expect(closed.status).toBe(201);
      expect(closed.body.rationale).toBe(awkward('closing'));

      const { entries } = (await get<Chronology>(DSP, `/api/pupils/${dewi.id}/chronology`)).body;
      const details = entries.filter((e) => e.concernId === concernId).map((e) => [e.kind, e.detail]);
      expect(details).toEqual(
        expect.arrayContaining([
          ['concern_recorded', awkward('summary')],
          ['decision', awkward('rationale')],
          ['escalation_sent', awkward('reasonForRoute')],
          ['la_outcome', awkward('outcome note')],
          ['concern_closed', awkward('closing')],
        ]),
      );
      // The database still has its concerns table, and the text is stored as sent.
      const stored = await testApp.dataSource.getRepository(Concern).findOneByOrFail({ id: concernId });
      expect(stored.summary).toBe(awkward('summary'));
    });

    it('accepts a summary of exactly 10,000 characters, emoji included', async () => {
      const summary = `${'ŵ'.repeat(9998)}🙂`;
      expect(summary.length).toBe(10000);
      const response = await post<ConcernAnswer>(
        TEACHER,
        '/api/concerns',
        concernBody(pupil('riverside', 'Mali').id, { summary }),
      );
      expect(response.status).toBe(201);
      expect(response.body.summary).toBe(summary);
    });
  });

  describe('rejected input stores nothing (400, errors keyed by field)', () => {
    let subject: Pupil;
    let classmate: Pupil;
    let elsewhere: Pupil;
    beforeAll(() => {
      subject = pupil('riverside', 'Osian');
      classmate = pupil('riverside', 'Isla');
      elsewhere = roll.hillcrest.find((p) => !roll.riverside.some((r) => r.id === p.id))!;
    });

    const cases: Array<[string, () => object, string]> = [
      ['an unknown field', () => concernBody(subject.id, { favouriteColour: 'blue' }), 'favouriteColour'],
      [
        'an unknown field in a linked pupil',
        () => concernBody(subject.id, { linkedPupils: [{ pupilId: classmate.id, role: 'witness', name: 'Isla' }] }),
        'linkedPupils.0.name',
      ],
      [
        'an unknown field in a body-map mark',
        () => concernBody(subject.id, { bodyMap: [{ view: 'front', x: 0.5, y: 0.5, colour: 'red' }] }),
        'bodyMap.0.colour',
      ],
      ['an unknown category', () => concernBody(subject.id, { category: 'spiritual' }), 'category'],
      ['an unknown issue', () => concernBody(subject.id, { issues: ['bullying', 'gambling'] }), 'issues'],
      ['issues that are not a list', () => concernBody(subject.id, { issues: 'bullying' }), 'issues'],
      ['an unknown indicator', () => concernBody(subject.id, { indicators: ['looked_sad'] }), 'indicators'],
      ['an unknown context', () => concernBody(subject.id, { context: 'school' }), 'context'],
      ['an unknown evidence basis', () => concernBody(subject.id, { evidenceBasis: 'rumour' }), 'evidenceBasis'],
      ['a missing evidence basis', () => concernBody(subject.id, { evidenceBasis: undefined }), 'evidenceBasis'],
      [
        'an unknown linked role',
        () => concernBody(subject.id, { linkedPupils: [{ pupilId: classmate.id, role: 'friend' }] }),
        'linkedPupils.0.role',
      ],
      [
        'an unknown body-map view',
        () => concernBody(subject.id, { bodyMap: [{ view: 'side', x: 0.5, y: 0.5 }] }),
        'bodyMap.0.view',
      ],
      ['an empty summary', () => concernBody(subject.id, { summary: '' }), 'summary'],
      ['a missing summary', () => concernBody(subject.id, { summary: undefined }), 'summary'],
      ['a summary of 10,001 characters', () => concernBody(subject.id, { summary: 'a'.repeat(10001) }), 'summary'],
      ['a NUL in the summary', () => concernBody(subject.id, { summary: 'before\u0000after' }), 'summary'],
      [
        'a control character in the child’s words',
        () => concernBody(subject.id, { childsWords: 'bell\u0007', childsWordsLanguage: 'en' }),
        'childsWords',
      ],
      [
        'a NUL in a body-map note',
        () => concernBody(subject.id, { bodyMap: [{ view: 'front', x: 0.5, y: 0.5, note: '\u0000' }] }),
        'bodyMap.0.note',
      ],
      [
        'the child’s words without their language',
        () => concernBody(subject.id, { childsWords: 'Dw i ddim eisiau mynd adref' }),
        'childsWordsLanguage',
      ],
      [
        'occurredAt 10 minutes in the future',
        () => concernBody(subject.id, { occurredAt: new Date(Date.now() + 10 * 60 * 1000).toISOString() }),
        'occurredAt',
      ],
      ['occurredAt without a zone', () => concernBody(subject.id, { occurredAt: '2026-11-02T10:15:00' }), 'occurredAt'],
      ['occurredAt as a date only', () => concernBody(subject.id, { occurredAt: '2026-11-02' }), 'occurredAt'],
      ['occurredAt that is not a date', () => concernBody(subject.id, { occurredAt: 'yesterday' }), 'occurredAt'],
      ['x above 1', () => concernBody(subject.id, { bodyMap: [{ view: 'front', x: 1.01, y: 0.5 }] }), 'bodyMap.0.x'],
      ['y below 0', () => concernBody(subject.id, { bodyMap: [{ view: 'front', x: 0.5, y: -0.1 }] }), 'bodyMap.0.y'],
      ['x as text', () => concernBody(subject.id, { bodyMap: [{ view: 'front', x: '0.5', y: 0.5 }] }), 'bodyMap.0.x'],
      [
        'a second mark out of range',
        () =>
          concernBody(subject.id, {
            bodyMap: [
              { view: 'front', x: 0.5, y: 0.5 },
              { view: 'back', x: 2, y: 0.5 },
            ],
          }),
        'bodyMap.1.x',
      ],
      ['a pupil id that is not an id', () => concernBody('not-an-id'), 'pupilId'],
      [
        'a linked pupil not on the roll',
        () => concernBody(subject.id, { linkedPupils: [{ pupilId: elsewhere.id, role: 'witness' }] }),
        'linkedPupils.0.pupilId',
      ],
      [
        'the subject as their own linked pupil',
        () => concernBody(subject.id, { linkedPupils: [{ pupilId: subject.id, role: 'witness' }] }),
        'linkedPupils.0.pupilId',
      ],
      [
        'a linked pupil id that is not an id',
        () => concernBody(subject.id, { linkedPupils: [{ pupilId: 'Isla', role: 'witness' }] }),
        'linkedPupils.0.pupilId',
      ],
    ];

    it.each(cases)('refuses %s', async (_label, body, field) => {
      const before = await counts();
      const response = await post(TEACHER, '/api/concerns', body());
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({
        statusCode: 400,
        message: expect.any(String),
        errors: { [field]: expect.arrayContaining([expect.any(String)]) },
      });
      expect(await counts()).toEqual(before);
    });

    it('accepts occurredAt up to 5 minutes ahead (clock drift) and long ago (backdating)', async () => {
      for (const occurredAt of [new Date(Date.now() + 4 * 60 * 1000).toISOString(), '2019-03-04T14:30:00+00:00']) {
        const response = await post<ConcernAnswer>(TEACHER, '/api/concerns', concernBody(subject.id, { occurredAt }));
        expect(response.status).toBe(201);
        expect(Date.parse(response.body.occurredAt)).toBe(Date.parse(occurredAt));
      }
    });

    it.each([
      ['a list instead of an object', []],
      ['null marks', { bodyMap: [null] }],
      ['a linked pupil that is not an object', { linkedPupils: ['Isla'] }],
      ['linked pupils that are not a list', { linkedPupils: { pupilId: 'x', role: 'witness' } }],
      ['a body map that is not a list', { bodyMap: 'front' }],
    ])('answers 400, never 500, to malformed shapes: %s', async (_label, shape) => {
      const before = await counts();
      const body = Array.isArray(shape) ? shape : concernBody(subject.id, shape);
      const response = await post(TEACHER, '/api/concerns', body);
      expect(response.status).toBe(400);
      expect(response.body.statusCode).toBe(400);
      expect(await counts()).toEqual(before);
    });

    describe('decisions, referrals and outcomes', () => {
      let concernId: string;
      beforeAll(async () => {
        concernId = (
          await post<ConcernAnswer>(TEACHER, '/api/concerns', concernBody(subject.id, { category: 'sexual' }))
        ).body.id;
      });

      it.each([
        ['an unknown outcome', { outcome: 'ignore', rationale: 'Because' }, 'outcome'],
        ['a missing outcome', { rationale: 'Because' }, 'outcome'],
        ['an unknown field', { outcome: 'monitor', rationale: 'Because', urgent: true }, 'urgent'],
        ['a NUL in the rationale', { outcome: 'monitor', rationale: 'a\u0000' }, 'rationale'],
        ['an over-long rationale', { outcome: 'monitor', rationale: 'a'.repeat(10001) }, 'rationale'],
      ])('refuses a decision with %s', async (_label, body, field) => {
        const before = await counts();
        const response = await post(DSP, `/api/concerns/${concernId}/decision`, body);
        expect(response.status).toBe(400);
        expect(response.body.errors).toHaveProperty([field]);
        expect(await counts()).toEqual(before);
      });

      it.each([
        ['an empty rationale', {}, 'rationale'],
        ['an empty rationale string', { rationale: '' }, 'rationale'],
        ['an unknown field', { rationale: 'Done', outcome: 'monitor' }, 'outcome'],
      ])('refuses closing with %s', async (_label, body, field) => {
        const before = await counts();
        const response = await post(DSP, `/api/concerns/${concernId}/close`, body);
        expect(response.status).toBe(400);
        expect(response.body.errors).toHaveProperty([field]);
        expect(await counts()).toEqual(before);
      });

      const consent = { sought: true, given: true, givenBy: 'Mother' };
      it.each([
        ['an unknown route', { route: 'social_services', consent }, 'route'],
        ['no consent at all', { route: 'mash' }, 'consent'],
        ['consent given as text', { route: 'mash', consent: { sought: true, given: 'yes' } }, 'consent.given'],
        ['consent sought missing', { route: 'mash', consent: { given: true } }, 'consent.sought'],
        [
          'an unknown consent field',
          { route: 'mash', consent: { ...consent, witnessedBy: 'Head' } },
          'consent.witnessedBy',
        ],
        ['an unknown referral field', { route: 'mash', consent, referral: { siblings: 2 } }, 'referral.siblings'],
        [
          'a household member without a name',
          { route: 'mash', consent, referral: { householdMembers: [{ relationship: 'Mother' }] } },
          'referral.householdMembers.0.name',
        ],
        [
          'a household member born on no date',
          {
            route: 'mash',
            consent,
            referral: { householdMembers: [{ name: 'A', relationship: 'B', dateOfBirth: 'long ago' }] },
          },
          'referral.householdMembers.0.dateOfBirth',
        ],
        [
          'a phone call in the future',
          { route: 'mash', consent, referral: { phonedAt: new Date(Date.now() + 3600 * 1000).toISOString() } },
          'referral.phonedAt',
        ],
        ['an empty reason for the route', { route: 'mash', consent, reasonForRoute: '' }, 'reasonForRoute'],
        [
          'a NUL in a referral field',
          { route: 'mash', consent, referral: { riskToVisitors: 'dog\u0000' } },
          'referral.riskToVisitors',
        ],
      ])('refuses a referral with %s', async (_label, body, field) => {
        const before = await counts();
        const response = await post(DSP, `/api/concerns/${concernId}/escalations`, body);
        expect(response.status).toBe(400);
        expect(response.body.errors).toHaveProperty([field]);
        expect(await counts()).toEqual(before);
      });

      it('refuses an unknown outcome code (400) and an outcome without a note (400)', async () => {
        const referralId = (
          await post<EscalationAnswer>(DSP, `/api/concerns/${concernId}/escalations`, { route: 'mash', consent })
        ).body.id;
        const before = await counts();
        const unknown = await post(MASH, `/api/la/escalations/${referralId}/outcome`, { outcome: 'shrug', note: 'x' });
        expect(unknown.status).toBe(400);
        expect(unknown.body.errors).toHaveProperty(['outcome']);
        const noNote = await post(MASH, `/api/la/escalations/${referralId}/outcome`, {
          outcome: 'strategy_discussion',
        });
        expect(noNote.status).toBe(400);
        expect(noNote.body.errors).toHaveProperty(['note']);
        expect(await counts()).toEqual(before);
        expect((await get<EscalationAnswer>(MASH, `/api/la/escalations/${referralId}`)).body.status).toBe('sent');
      });
    });
  });

  describe('broken rules (422, keyed by the field the rule is about)', () => {
    const record = async (firstName: string, fields: Record<string, unknown>) =>
      (await post<ConcernAnswer>(DSP, '/api/concerns', concernBody(pupil('riverside', firstName).id, fields))).body;
    // Each broken rule is named in the answer, by its code.
    const RULE_OF: Record<string, string> = {
      reasonForRoute: 'reason_required_against_recommendation',
      'consent.given': 'early_help_needs_consent',
      'consent.givenBy': 'early_help_needs_consent',
      'consent.reasonNotSought': 'mash_consent_not_sought_needs_reason',
      outcome: 'outcome_not_for_route',
      route: 'referral_already_open',
    };
    const refuse = async (
      email: string,
      path: string,
      body: object | undefined,
      field: string,
      rule = RULE_OF[field],
    ) => {
      const before = await counts();
      const response = await post(email, path, body);
      expect(response.status).toBe(422);
      expect(response.body).toMatchObject({
        statusCode: 422,
        message: expect.any(String),
        rule,
        errors: { [field]: [expect.any(String)] },
      });
      expect(await counts()).toEqual(before);
    };

    it('sends a level-2 concern to MASH with no reason asked and nothing flagged: going up is always allowed', async () => {
      const concern = await record('Zofia', { issues: ['bullying'] });
      expect(concern.guidance.level).toBe(2);
      const sent = await post(DSP, `/api/concerns/${concern.id}/escalations`, {
        route: 'mash',
        consent: { sought: true, given: true },
      });
      expect(sent.status).toBe(201);
      expect(sent.body).toMatchObject({
        againstRecommendation: false,
        reasonForRoute: null,
        recommendedLevel: 2,
        recommendedRoute: 'school_support',
      });
    });

    it('asks for a reason of 20 characters or more to send a level-4 concern to early help instead, then records it below the guidance', async () => {
      const concern = await record('Zofia', { indicators: ['disclosure_of_abuse'] });
      expect(concern.guidance.level).toBe(4);
      const path = `/api/concerns/${concern.id}/escalations`;
      const consent = { sought: true, given: true, givenBy: 'Mother' };
      await refuse(DSP, path, { route: 'early_help', consent }, 'reasonForRoute');
      await refuse(DSP, path, { route: 'early_help', reasonForRoute: 'Too short a reason', consent }, 'reasonForRoute');
      const sent = await post(DSP, path, {
        route: 'early_help',
        reasonForRoute: 'Discussed with MASH by phone; they advised early help',
        consent,
      });
      expect(sent.status).toBe(201);
      expect(sent.body).toMatchObject({ againstRecommendation: true, recommendedLevel: 4, recommendedRoute: 'mash' });
    });

    it('sends a level-4 concern (a disclosure) to MASH with no reason, not against the guidance', async () => {
      const concern = await record('Jacob', { indicators: ['disclosure_of_abuse'] });
      const sent = await post(DSP, `/api/concerns/${concern.id}/escalations`, {
        route: 'mash',
        consent: { sought: true, given: false },
      });
      expect(sent.status).toBe(201);
      expect(sent.body).toMatchObject({ againstRecommendation: false, recommendedLevel: 4 });
    });

    it("needs the family's consent, and who gave it, for early help; and why consent was not sought for MASH", async () => {
      const concern = await record('Ethan', { issues: ['self_harm'] });
      expect(concern.guidance.level).toBe(3);
      const path = `/api/concerns/${concern.id}/escalations`;
      await refuse(DSP, path, { route: 'early_help', consent: { sought: true, given: false } }, 'consent.given');
      await refuse(DSP, path, { route: 'early_help', consent: { sought: false } }, 'consent.given');
      await refuse(DSP, path, { route: 'early_help', consent: { sought: true, given: true } }, 'consent.givenBy');
      await refuse(
        DSP,
        path,
        { route: 'mash', reasonForRoute: 'Long enough reason for MASH here', consent: { sought: false } },
        'consent.reasonNotSought',
      );
      const sent = await post(DSP, path, {
        route: 'early_help',
        consent: { sought: true, given: true, givenBy: 'Mother' },
      });
      expect(sent.status).toBe(201);
      expect(sent.body).toMatchObject({ route: 'early_help', againstRecommendation: false });
    });

    it('refuses decisions, referrals and closing on a closed concern (422 on status)', async () => {
      const concern = await record('Amira', {});
      expect((await post(DSP, `/api/concerns/${concern.id}/close`, { rationale: 'Nothing further' })).status).toBe(201);
      await refuse(
        DSP,
        `/api/concerns/${concern.id}/decision`,
        { outcome: 'monitor', rationale: 'Reopen' },
        'status',
        'concern_closed',
      );
      await refuse(DSP, `/api/concerns/${concern.id}/close`, { rationale: 'Again' }, 'status', 'concern_closed');
      await refuse(
        DSP,
        `/api/concerns/${concern.id}/escalations`,
        { route: 'mash', reasonForRoute: 'A reason that is long enough', consent: { sought: true, given: true } },
        'status',
        'concern_closed',
      );
    });

    it('refuses a second MASH referral of the same concern while the first waits for an answer, and allows one after', async () => {
      const concern = await record('Dewi', { indicators: ['disclosure_of_abuse'] });
      const path = `/api/concerns/${concern.id}/escalations`;
      const body = { route: 'mash', consent: { sought: true, given: true } };
      const first = await post<EscalationAnswer>(DSP, path, body);
      expect(first.status).toBe(201);
      await refuse(DSP, path, body, 'route');
      expect(
        (
          await post(DSP, path, {
            route: 'early_help',
            reasonForRoute: 'Family support alongside the MASH referral',
            consent: { sought: true, given: true, givenBy: 'Father' },
          })
        ).status,
      ).toBe(201);
      expect(
        (
          await post(MASH, `/api/la/escalations/${first.body.id}/outcome`, {
            outcome: 'information_advice_assistance',
            note: 'Advice given',
          })
        ).status,
      ).toBe(201);
      expect((await post(DSP, path, body)).status).toBe(201);
    });

    it("refuses another route's outcome on a MASH referral (422 on outcome)", async () => {
      const concern = await record('Yusuf', { category: 'sexual' });
      const referral = (
        await post<EscalationAnswer>(DSP, `/api/concerns/${concern.id}/escalations`, {
          route: 'mash',
          consent: { sought: true, given: true },
        })
      ).body;
      await refuse(
        MASH,
        `/api/la/escalations/${referral.id}/outcome`,
        { outcome: 'family_help', note: 'Wrong team' },
        'outcome',
      );
      expect(
        (
          await post(MASH, `/api/la/escalations/${referral.id}/outcome`, {
            outcome: 'care_and_support_assessment',
            note: 'Assessment opened',
          })
        ).status,
      ).toBe(201);
      await refuse(
        MASH,
        `/api/la/escalations/${referral.id}/outcome`,
        { outcome: 'no_further_action', note: 'Second thoughts' },
        'status',
        'already_decided',
      );
      await refuse(MASH, `/api/la/escalations/${referral.id}/acknowledge`, undefined, 'status', 'already_acknowledged');
    });
  });

  describe('the chronology of a dual-registered pupil', () => {
    // The dual registration is Kai's placement (pru/): its entry says what the enrolment's would have, and more.
    it("shows Kai Morgan's placement at Bridge PRU to both DSPs, once, after his first enrolment", async () => {
      const kai = pupil('hillcrest', 'Kai');
      const concern = await post<ConcernAnswer>(
        'teacher@hillcrest.example',
        '/api/concerns',
        concernBody(kai.id, { summary: 'Fell asleep in every lesson' }),
      );
      expect(concern.status).toBe(201);
      for (const email of ['dsp@hillcrest.example', 'dsp@bridge.example']) {
        const response = await get<Chronology>(email, `/api/pupils/${kai.id}/chronology`);
        expect(response.status).toBe(200);
        const entries = response.body.entries;
        expect(entries.filter((e) => e.kind === 'enrolment')).toEqual([]);
        const placements = entries.filter((e) => e.kind === 'placement_started');
        expect(placements).toEqual([
          expect.objectContaining({
            at: '2026-10-05T00:00:00.000Z',
            title:
              'Placed at Bridge PRU from Hillcrest High: Dual registration (part time at the PRU); At risk of exclusion',
          }),
        ]);
        expect(entries.findIndex((e) => e.kind === 'placement_started')).toBeLessThan(
          entries.findIndex((e) => e.concernId === concern.body.id),
        );
      }
    });

    it('puts a backdated concern first, though it was recorded last', async () => {
      const megan = pupil('hillcrest', 'Megan');
      const recent = (
        await post<ConcernAnswer>(
          'dsp@hillcrest.example',
          '/api/concerns',
          concernBody(megan.id, { occurredAt: new Date(Date.now() - 3600 * 1000).toISOString() }),
        )
      ).body;
      const backdated = (
        await post<ConcernAnswer>(
          'dsp@hillcrest.example',
          '/api/concerns',
          concernBody(megan.id, { occurredAt: '2025-06-01T09:00:00+01:00', summary: 'Remembered from last summer' }),
        )
      ).body;
      expect(backdated.occurredAt).toBe('2025-06-01T08:00:00.000Z');
      const { entries } = (await get<Chronology>('head@hillcrest.example', `/api/pupils/${megan.id}/chronology`)).body;
      const order = entries.filter((e) => e.kind === 'concern_recorded').map((e) => e.concernId);
      expect(order.indexOf(backdated.id)).toBeLessThan(order.indexOf(recent.id));
      expect(order.indexOf(backdated.id)).toBeGreaterThanOrEqual(0);
    });

    it("never shows a linked pupil the other child's category or words", async () => {
      const subject = pupil('hillcrest', 'Chloe');
      const named = pupil('hillcrest', 'Noah');
      const summary = 'Chloe-secret-summary: she said he touched her';
      const childsWords = 'Chloe-secret-words';
      const recorded = await post<ConcernAnswer>(
        'teacher@hillcrest.example',
        '/api/concerns',
        concernBody(subject.id, {
          category: 'sexual',
          summary,
          childsWords,
          childsWordsLanguage: 'en',
          linkedPupils: [{ pupilId: named.id, role: 'alleged_perpetrator' }],
        }),
      );
      expect(recorded.status).toBe(201);
      const response = await get<Chronology>('dsp@hillcrest.example', `/api/pupils/${named.id}/chronology`);
      const mentions = response.body.entries.filter((e) => e.kind === 'linked_mention');
      expect(mentions).toEqual([
        expect.objectContaining({
          kind: 'linked_mention',
          title: expect.stringContaining('alleged perpetrator'),
          detail: null,
        }),
      ]);
      const json = JSON.stringify(response.body);
      for (const secret of [summary, childsWords, 'Chloe-secret', 'sexual', 'Sexual', recorded.body.id, subject.id])
        expect(json).not.toContain(secret);
    });
  });
});
