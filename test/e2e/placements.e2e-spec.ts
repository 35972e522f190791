import { londonDateOf } from '../../src/calendar/london-time';
import { Organisation } from '../../src/organisations/organisation.entity';
import { User } from '../../src/organisations/user.entity';
import { ErrorBody, Paged, PupilSummary } from '../support/api';
import { Factory } from '../support/factory';
import { bootTestApp, TestApp } from '../support/test-app';
import { openPageSession } from '../support/web-session';
import { auditEntries } from '../support/audit-chain';

const PRU_DSP = 'dsp@bridge.example';
const HOME_DSP = 'dsp@hillcrest.example';
const HOME_HEAD = 'head@hillcrest.example';
const HOME_STAFF = 'teacher@hillcrest.example';

interface Placement {
  id: string;
  status: 'active' | 'ended';
  pupil: { id: string; upn: string; firstName: string; lastName: string; dateOfBirth: string };
  pru: { id: string; name: string };
  home: { id: string; name: string };
  type: string;
  reason: string;
  startOn: string;
  reviewOn: string | null;
  reviewOverdue: boolean;
  endOn: string | null;
  outcome: string | null;
}
type RuleError = ErrorBody & { rule?: string };

const daysFromToday = (days: number) => londonDateOf(new Date(Date.now() + days * 86_400_000));

/**
 * PRU placements over HTTP with the demo world: Bridge PRU places Hillcrest's pupils; the API's rules,
 * who reads which placement (role × organisation), and the pages in English and Welsh.
 */
describe('PRU placements (API and pages)', () => {
  let testApp: TestApp;
  let bridgeId: string;
  let hillcrestId: string;
  let riversideId: string;
  let hillcrestPupils: PupilSummary[];
  /** Accounts the demo lacks: Bridge's head and staff, and another PRU's DSP. */
  const extra = {} as Record<'pruHead' | 'pruStaff' | 'otherPruDsp', string>;
  let nextPupil = 0;
  /** A Hillcrest pupil not yet placed (each test takes its own). */
  const unplaced = () => {
    const pupil = hillcrestPupils.filter((p) => !(p.firstName === 'Kai' && p.lastName === 'Morgan'))[nextPupil++];
    if (!pupil) throw new Error('Out of Hillcrest pupils');
    return pupil;
  };
  const body = (pupil: PupilSummary, overrides: Record<string, unknown> = {}) => ({
    pupilId: pupil.id,
    pruId: bridgeId,
    homeOrganisationId: hillcrestId,
    type: 'dual',
    startOn: daysFromToday(-30),
    reason: 'excluded',
    reasonDetail: 'Fixed-term exclusions this term.',
    reviewOn: daysFromToday(20),
    ...overrides,
  });
  const place = (pupil: PupilSummary, overrides: Record<string, unknown> = {}) =>
    testApp.as(PRU_DSP).created<Placement>('/api/placements', body(pupil, overrides));

  beforeAll(async () => {
    testApp = await bootTestApp();
    const organisations = await testApp.dataSource.getRepository(Organisation).find();
    const idOf = (name: string) => organisations.find((o) => o.name === name)!.id;
    bridgeId = idOf('Bridge PRU');
    hillcrestId = idOf('Hillcrest High');
    riversideId = idOf('Riverside Primary');
    // More accounts, with the demo password (the hash of a demo account's).
    const factory = new Factory(testApp.dataSource);
    // More Hillcrest pupils than the demo's, so each test places a child of its own.
    for (let i = 0; i < 12; i++) await factory.pupil(organisations.find((o) => o.id === hillcrestId)!);
    hillcrestPupils = await testApp.as(HOME_DSP).pupils({ pageSize: '200' });
    const users = testApp.dataSource.getRepository(User);
    const { passwordHash } = await users.findOneByOrFail({ email: PRU_DSP });
    const bridge = organisations.find((o) => o.id === bridgeId)!;
    const otherPru = await factory.pru(
      organisations.find((o) => o.kind === 'local_authority')!,
      { name: 'Harbour PRU' },
    );
    for (const [key, organisation, role] of [
      ['pruHead', bridge, 'head_teacher'],
      ['pruStaff', bridge, 'staff'],
      ['otherPruDsp', otherPru, 'dsp'],
    ] as const) {
      const actor = await factory.actor(organisation, role);
      await users.update({ id: actor.userId }, { passwordHash });
      extra[key] = actor.email;
    }
  });

  afterAll(() => testApp.close());

  it('shows the demo’s dual-registered pupil as a real placement to both settings', async () => {
    for (const email of [PRU_DSP, HOME_DSP]) {
      const listed = await testApp.as(email).read<Paged<Placement>>('/api/placements', { status: 'active' });
      expect(listed.items).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            pupil: expect.objectContaining({ firstName: 'Kai', lastName: 'Morgan' }),
            pru: { id: bridgeId, name: 'Bridge PRU', nameCy: 'UCD y Bont' },
            home: expect.objectContaining({ id: hillcrestId }),
            type: 'dual',
            reason: 'at_risk_of_exclusion',
            startOn: '2026-10-05',
          }),
        ]),
      );
    }
  });

  it('lets the PRU find a child on Hillcrest’s roll by exact UPN and date of birth', async () => {
    const pupil = unplaced();
    const found = await testApp
      .as(PRU_DSP)
      .read<{ id: string; organisations: Array<{ id: string }> }>('/api/pupils/lookup', {
        upn: pupil.upn,
        dateOfBirth: pupil.dateOfBirth,
      });
    expect(found).toMatchObject({ id: pupil.id, organisations: [{ id: hillcrestId }] });
  });

  it('starts a placement (201, active), putting the child on the PRU’s roll', async () => {
    const pupil = unplaced();
    const placement = await place(pupil);
    expect(placement).toMatchObject({ status: 'active', type: 'dual', reason: 'excluded', reviewOverdue: false });
    const roll = await testApp.as(PRU_DSP).pupils({ q: pupil.upn });
    expect(roll.map((p) => p.id)).toContain(pupil.id);
    expect(roll.find((p) => p.id === pupil.id)!.enrolments).toEqual(
      expect.arrayContaining([expect.objectContaining({ organisationId: bridgeId, type: 'dual' })]),
    );
  });

  it.each([
    ['no type', { type: undefined }, 'type'],
    ['an unknown type', { type: 'weekly' }, 'type'],
    ['a date that is not one', { startOn: '2026-02-30' }, 'startOn'],
    ['a malformed pupil id', { pupilId: 'kai' }, 'pupilId'],
    ['an unknown reason', { reason: 'bored' }, 'reason'],
    ['an unknown field', { extra: 1 }, 'extra'],
  ])('answers 400 naming the field for %s, storing nothing', async (_what, overrides, field) => {
    const pupil = unplaced();
    const response = await testApp.as(PRU_DSP).post<ErrorBody>('/api/placements', body(pupil, overrides));
    expect(response.status).toBe(400);
    expect(Object.keys(response.body.errors ?? {})).toContain(field);
    const listed = await testApp.as(PRU_DSP).read<Paged<Placement>>('/api/placements', { pageSize: '200' });
    expect(listed.items.some((item) => item.pupil.id === pupil.id)).toBe(false);
  });

  it('answers 422 naming the rule: home not the pupil’s school, dates out of order, already active', async () => {
    const pupil = unplaced();
    const wrongHome = await testApp
      .as(PRU_DSP)
      .post<RuleError>('/api/placements', body(pupil, { homeOrganisationId: riversideId }));
    expect([wrongHome.status, wrongHome.body.rule]).toEqual([422, 'home_organisation_not_pupils_school']);
    const early = await testApp
      .as(PRU_DSP)
      .post<RuleError>('/api/placements', body(pupil, { reviewOn: daysFromToday(-31) }));
    expect([early.status, early.body.rule]).toEqual([422, 'dates_out_of_order']);
    await place(pupil);
    const twice = await testApp.as(PRU_DSP).post<RuleError>('/api/placements', body(pupil));
    expect([twice.status, twice.body.rule]).toEqual([422, 'placement_already_active']);
  });

  it('answers 403 to every role or organisation that may not start a placement at Bridge', async () => {
    const pupil = unplaced();
    for (const email of [
      HOME_DSP,
      HOME_HEAD,
      HOME_STAFF,
      'mash@cardiff.example',
      'lead@cardiff.example',
      'admin@cardiff.example',
    ]) {
      const response = await testApp.as(email).post('/api/placements', body(pupil));
      expect([email, response.status]).toEqual([email, 403]);
    }
    expect((await testApp.as(extra.pruStaff).post('/api/placements', body(pupil))).status).toBe(403);
    expect((await testApp.as(extra.otherPruDsp).post('/api/placements', body(pupil))).status).toBe(403);
    // Bridge's head teacher may.
    expect((await testApp.as(extra.pruHead).post('/api/placements', body(pupil))).status).toBe(201);
  });

  describe('who reads a placement (role × organisation)', () => {
    let placement: Placement;
    beforeAll(async () => {
      placement = await place(unplaced());
    });

    const READERS: Array<[string, 'reads' | 'does not read', () => string]> = [
      ['Bridge’s DSP', 'reads', () => PRU_DSP],
      ['Bridge’s head teacher', 'reads', () => extra.pruHead],
      ['Bridge’s staff', 'does not read', () => extra.pruStaff],
      ['Hillcrest’s DSP', 'reads', () => HOME_DSP],
      ['Hillcrest’s head teacher', 'reads', () => HOME_HEAD],
      ['Hillcrest’s staff', 'does not read', () => HOME_STAFF],
      ['Riverside’s DSP', 'does not read', () => 'dsp@riverside.example'],
      ['Riverside’s head teacher', 'does not read', () => 'head@riverside.example'],
      ['another PRU’s DSP', 'does not read', () => extra.otherPruDsp],
      ['the MASH team', 'does not read', () => 'mash@cardiff.example'],
      ['the early help team', 'does not read', () => 'earlyhelp@cardiff.example'],
      ['the LA lead', 'does not read', () => 'lead@cardiff.example'],
      ['the admin', 'does not read', () => 'admin@cardiff.example'],
    ];

    /** Roles that read placements at all: a DSP or head teacher of a school or PRU (others get 403 for the list). */
    const LIST_ROLES = new Set([PRU_DSP, HOME_DSP, HOME_HEAD, 'dsp@riverside.example', 'head@riverside.example']);

    it.each(READERS)('%s %s it (else 404, and not in their list)', async (_who, answer, email) => {
      const reads = answer === 'reads';
      const one = await testApp.as(email()).get<Placement>(`/api/placements/${placement.id}`);
      expect(one.status).toBe(reads ? 200 : 404);
      const mayList = LIST_ROLES.has(email()) || email() === extra.pruHead || email() === extra.otherPruDsp;
      if (!mayList) {
        // A role that reads no placements is told so: 403, not an empty list.
        expect((await testApp.as(email()).get('/api/placements')).status).toBe(403);
        return;
      }
      const listed = await testApp.as(email()).read<Paged<Placement>>('/api/placements', { pageSize: '200' });
      expect(listed.items.some((item) => item.id === placement.id)).toBe(reads);
      if (!reads) expect(listed.total).toBe(0);
    });

    it('answers 404 for an unknown id and 400 for a malformed one', async () => {
      expect((await testApp.as(PRU_DSP).get('/api/placements/00000000-0000-4000-8000-000000000000')).status).toBe(404);
      expect((await testApp.as(PRU_DSP).get('/api/placements/not-an-id')).status).toBe(400);
    });

    it('audits each read, the lists included', async () => {
      await testApp.as(HOME_HEAD).read(`/api/placements/${placement.id}`);
      await testApp.as(HOME_HEAD).read('/api/placements');
      const entries = await (await auditEntries(testApp)).find({ where: { action: 'placement.viewed' } });
      expect(entries.some((entry) => entry.subjectType === 'pupil' && entry.subjectId === placement.pupil.id)).toBe(
        true,
      );
      expect(entries.some((entry) => entry.subjectType === 'organisation' && entry.subjectId === hillcrestId)).toBe(
        true,
      );
    });
  });

  it('reviews and ends over the API; afterwards the PRU reads only its own records, Hillcrest everything', async () => {
    const pupil = unplaced();
    const placement = await place(pupil);
    const concern = (summary: string) => ({
      pupilId: pupil.id,
      occurredAt: new Date(Date.now() - 3_600_000).toISOString(),
      category: 'wellbeing',
      summary,
      evidenceBasis: 'observed',
    });
    const pruConcern = await testApp.as(PRU_DSP).created<{ id: string }>('/api/concerns', concern('Seen at Bridge.'));
    const homeConcern = await testApp
      .as(HOME_DSP)
      .created<{ id: string }>('/api/concerns', concern('Seen at Hillcrest.'));

    const review = await testApp
      .as(PRU_DSP)
      .post('/api/placements/' + placement.id + '/reviews', { note: 'Settling.', nextReviewOn: daysFromToday(30) });
    expect(review.status).toBe(201);
    expect((await testApp.as(HOME_DSP).post(`/api/placements/${placement.id}/reviews`, { note: 'x' })).status).toBe(
      403,
    );
    expect((await testApp.as(PRU_DSP).post(`/api/placements/${placement.id}/reviews`, {})).status).toBe(400);
    const badEnd = await testApp.as(PRU_DSP).post<RuleError>(`/api/placements/${placement.id}/end`, {
      endOn: daysFromToday(-31),
      outcome: 'reintegrated',
      note: 'x',
    });
    expect([badEnd.status, badEnd.body.rule]).toEqual([422, 'dates_out_of_order']);
    const futureEnd = await testApp.as(PRU_DSP).post<RuleError>(`/api/placements/${placement.id}/end`, {
      endOn: daysFromToday(1),
      outcome: 'reintegrated',
      note: 'x',
    });
    expect([futureEnd.status, futureEnd.body.rule]).toEqual([422, 'end_in_future']);
    // Bridge's own concern still waits for a decision: the PRU decides it before stepping back.
    const untriaged = await testApp.as(PRU_DSP).post<RuleError>(`/api/placements/${placement.id}/end`, {
      endOn: daysFromToday(-1),
      outcome: 'reintegrated',
      note: 'x',
    });
    expect([untriaged.status, untriaged.body.rule]).toEqual([422, 'concerns_awaiting_triage']);
    await testApp
      .as(PRU_DSP)
      .created(`/api/concerns/${pruConcern.id}/decision`, { outcome: 'mash', rationale: 'Refer today.' });

    const ended = await testApp.as(PRU_DSP).post<Placement>(`/api/placements/${placement.id}/end`, {
      endOn: daysFromToday(-1),
      outcome: 'reintegrated',
      note: 'Back at Hillcrest.',
    });
    expect(ended.status).toBe(201);
    expect(ended.body).toMatchObject({ status: 'ended', outcome: 'reintegrated' });
    const again = await testApp.as(PRU_DSP).post<RuleError>(`/api/placements/${placement.id}/end`, {
      endOn: daysFromToday(-1),
      outcome: 'other',
      note: 'x',
    });
    expect([again.status, again.body.rule]).toEqual([422, 'placement_ended']);

    expect((await testApp.as(PRU_DSP).get(`/api/concerns/${pruConcern.id}`)).status).toBe(200);
    expect((await testApp.as(PRU_DSP).get(`/api/concerns/${homeConcern.id}`)).status).toBe(404);
    const pruChronology = await testApp
      .as(PRU_DSP)
      .read<{ entries: Array<{ kind: string; concernId?: string }> }>(`/api/pupils/${pupil.id}/chronology`);
    expect(pruChronology.entries.map((e) => e.concernId)).toContain(pruConcern.id);
    expect(pruChronology.entries.map((e) => e.concernId)).not.toContain(homeConcern.id);
    const homeChronology = await testApp
      .as(HOME_DSP)
      .read<{ entries: Array<{ kind: string; concernId?: string }> }>(`/api/pupils/${pupil.id}/chronology`);
    expect(homeChronology.entries.map((e) => e.concernId)).toEqual(
      expect.arrayContaining([pruConcern.id, homeConcern.id]),
    );
    expect(homeChronology.entries.map((e) => e.kind)).toEqual(
      expect.arrayContaining(['placement_started', 'placement_reviewed', 'placement_ended']),
    );
    // The ended placement is listed as ended, not active.
    const endedList = await testApp.as(HOME_DSP).read<Paged<Placement>>('/api/placements', { status: 'ended' });
    expect(endedList.items.map((item) => item.id)).toContain(placement.id);
    const activeList = await testApp.as(HOME_DSP).read<Paged<Placement>>('/api/placements', { status: 'active' });
    expect(activeList.items.map((item) => item.id)).not.toContain(placement.id);
    expect((await testApp.as(HOME_DSP).get('/api/placements', { status: 'finished' })).status).toBe(400);
    expect((await testApp.as(HOME_DSP).get('/api/placements', { pageSize: '201' })).status).toBe(400);
  });

  describe('pages', () => {
    it('places a child through the pages: find by UPN and date of birth, then the placement; errors beside fields', async () => {
      const session = await openPageSession(testApp, PRU_DSP);
      const list = await session.get('/placements');
      expect(list.status).toBe(200);
      expect(list.text).toContain('Kai');
      expect(list.text).toContain('href="/placements/new"');
      const home = await session.get('/');
      expect(home.text).toContain('href="/placements"');
      expect(home.text).toContain('Placement reviews due');

      const blank = await session.submit('/placements/new', '/placements/new/find', { upn: '', dateOfBirth: '' });
      expect(blank.status).toBe(400);
      expect(blank.text).toContain('govuk-error-summary');
      expect(blank.text).toContain('Enter the child’s unique pupil number');

      const pupil = unplaced();
      const missing = await session.submit('/placements/new', '/placements/new/find', {
        upn: pupil.upn,
        dateOfBirth: '2001-01-01',
      });
      expect(missing.status).toBe(404);
      expect(missing.text).toContain('No child of the local authority has this unique pupil number');

      const found = await session.submit('/placements/new', '/placements/new/find', {
        upn: pupil.upn,
        dateOfBirth: pupil.dateOfBirth,
      });
      expect(found.status).toBe(200);
      expect(found.text).toContain(`${pupil.firstName} ${pupil.lastName}`);
      expect(found.text).toContain('Hillcrest High');

      const fields = {
        upn: pupil.upn,
        dateOfBirth: pupil.dateOfBirth,
        homeOrganisationId: hillcrestId,
        type: 'full_time',
        reason: 'medical',
        reasonDetail: 'Hospital school hours.',
        startOn: daysFromToday(-3),
        reviewOn: daysFromToday(-5),
      };
      const wrongDates = await session.post('/placements/new', fields);
      expect(wrongDates.status).toBe(422);
      expect(wrongDates.text).toContain('id="reviewOn-error"');
      const noType = await session.post('/placements/new', { ...fields, type: '', reviewOn: '' });
      expect(noType.status).toBe(400);
      expect(noType.text).toContain('id="type-error"');
      expect(noType.text).toContain('Hospital school hours.');

      const created = await session.post('/placements/new', { ...fields, reviewOn: daysFromToday(10) });
      expect(created.status).toBe(303);
      const detailPath = created.headers.location.replace(/\?.*$/, '');
      const detail = await session.get(created.headers.location);
      expect(detail.status).toBe(200);
      expect(detail.text).toContain('The placement has started');
      expect(detail.text).toContain('Full time at the PRU');

      const noNote = await session.post(`${detailPath}/reviews`, { note: '', nextReviewOn: '' });
      expect(noNote.status).toBe(400);
      expect(noNote.text).toContain('id="note-error"');
      const reviewed = await session.post(`${detailPath}/reviews`, { note: 'Going well.', nextReviewOn: '' });
      expect(reviewed.status).toBe(303);
      const detailPage = await session.get(detailPath);
      expect(detailPage.text).toContain('Going well.');
      expect(detailPage.text).toContain('your PRU reads only the records it made itself');

      const noOutcome = await session.post(`${detailPath}/end`, {
        endOn: daysFromToday(-1),
        outcome: '',
        note: 'Done.',
      });
      expect(noOutcome.status).toBe(400);
      expect(noOutcome.text).toContain('id="outcome-error"');
      const ended = await session.post(`${detailPath}/end`, {
        endOn: daysFromToday(-1),
        outcome: 'reintegrated',
        note: 'Back at Hillcrest.',
      });
      expect(ended.status).toBe(303);
      const after = await session.get(detailPath);
      expect(after.text).toContain('Went back to the home school (reintegrated)');
      expect(after.text).not.toContain(`action="${detailPath}/end"`);

      // Hillcrest's DSP reads it, without the forms to run it.
      const homeSession = await openPageSession(testApp, HOME_DSP);
      const homeView = await homeSession.get(detailPath);
      expect(homeView.status).toBe(200);
      expect(homeView.text).not.toContain(`action="${detailPath}/reviews"`);
      // Riverside's does not know it exists.
      expect((await (await openPageSession(testApp, 'dsp@riverside.example')).get(detailPath)).status).toBe(404);
    });

    it('shows the pages in Welsh', async () => {
      const session = await openPageSession(testApp, PRU_DSP, { language: 'cy' });
      const list = await session.get('/placements');
      expect(list.status).toBe(200);
      expect(list.text).toContain('Lleoliadau gweithredol');
      expect(list.text).toContain('Risg o waharddiad');
      const form = await session.get('/placements/new');
      expect(form.text).toContain('Dod o hyd i’r plentyn');
      const homeSession = await openPageSession(testApp, HOME_DSP, { language: 'cy' });
      const dashboard = await homeSession.get('/');
      expect(dashboard.text).toContain('Eich disgyblion a leolwyd mewn UCD');
      expect(dashboard.text).toContain('UCD y Bont');
    });

    it('gives the menu link to PRU and school DSPs and heads, and the pages to no one else', async () => {
      const teacher = await openPageSession(testApp, HOME_STAFF);
      expect((await teacher.get('/')).text).not.toContain('href="/placements"');
      expect((await teacher.get('/placements')).status).toBe(403);
      const head = await openPageSession(testApp, HOME_HEAD);
      expect((await head.get('/')).text).toContain('href="/placements"');
      expect((await head.get('/placements/new')).status).toBe(403);
      const mash = await openPageSession(testApp, 'mash@cardiff.example');
      expect((await mash.get('/placements')).status).toBe(403);
    });
  });
});
