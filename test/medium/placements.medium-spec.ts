import { ConcernOwnedElsewhereError } from '../../src/access/access-policy';
import { londonDateOf } from '../../src/calendar/london-time';
import { ChronologyService } from '../../src/chronology/chronology.service';
import { Actor } from '../../src/common/actor';
import { ForbiddenError, NotFoundError } from '../../src/common/domain-error';
import { ConcernsService } from '../../src/dsp/concerns/concerns.service';
import { Concern } from '../../src/dsp/concerns/concern.entity';
import { EscalationsService } from '../../src/dsp/escalations/escalations.service';
import { Organisation } from '../../src/organisations/organisation.entity';
import { PlacementRuleError } from '../../src/pru/placement-errors';
import { PlacementsService } from '../../src/pru/placements.service';
import { RetainedAccess } from '../../src/school/access/retained-access.entity';
import { Enrolment } from '../../src/school/enrolment.entity';
import { Pupil } from '../../src/school/pupil.entity';
import { PupilsService } from '../../src/school/pupils.service';
import { Factory } from '../support/factory';
import { bootTestApp, TestApp } from '../support/test-app';
import { auditEntries } from '../support/audit-chain';

/**
 * PRU placements through the real services on a migrated database: the placement starts the PRU's
 * dual enrolment and ends it; while it is active the DSPs and heads of both settings read everything
 * (each deciding only its own concerns); after it ends the PRU reads only what it recorded.
 */
describe(PlacementsService.name, () => {
  let testApp: TestApp;
  let placements: PlacementsService;
  let chronology: ChronologyService;
  let concerns: ConcernsService;
  let escalations: EscalationsService;
  let pupils: PupilsService;
  let factory: Factory;
  let la: Organisation;
  let home: Organisation;
  let pru: Organisation;
  let otherSchool: Organisation;
  let otherPru: Organisation;
  const people = {} as Record<
    'pruDsp' | 'pruHead' | 'pruStaff' | 'homeDsp' | 'homeHead' | 'otherSchoolDsp' | 'otherPruDsp',
    Actor
  >;

  const startFor = (pupil: Pupil, overrides: Partial<Parameters<PlacementsService['start']>[1]> = {}) =>
    placements.start(people.pruDsp, {
      pupilId: pupil.id,
      pruId: pru.id,
      homeOrganisationId: home.id,
      type: 'dual',
      startOn: daysFromToday(-60),
      reason: 'at_risk_of_exclusion',
      reasonDetail: 'Agreed at the planning meeting.',
      reviewOn: daysFromToday(14),
      ...overrides,
    });
  /** A London date relative to today, so "ended" means ended whenever the test runs. */
  const daysFromToday = (days: number) => londonDateOf(new Date(Date.now() + days * 86_400_000));
  const rejection = (promise: Promise<unknown>) =>
    promise.then(
      () => null,
      (error: unknown) => error,
    );

  beforeAll(async () => {
    testApp = await bootTestApp({ seedDemo: false });
    placements = testApp.app.get(PlacementsService);
    chronology = testApp.app.get(ChronologyService);
    concerns = testApp.app.get(ConcernsService);
    escalations = testApp.app.get(EscalationsService);
    pupils = testApp.app.get(PupilsService);
    factory = new Factory(testApp.dataSource);
    la = await factory.localAuthority();
    home = await factory.school(la, { name: 'Hillcrest High' });
    pru = await factory.pru(la, { name: 'Bridge PRU' });
    otherSchool = await factory.school(la);
    otherPru = await factory.pru(la);
    people.pruDsp = await factory.actor(pru, 'dsp');
    people.pruHead = await factory.actor(pru, 'head_teacher');
    people.pruStaff = await factory.actor(pru, 'staff');
    people.homeDsp = await factory.actor(home, 'dsp');
    people.homeHead = await factory.actor(home, 'head_teacher');
    people.otherSchoolDsp = await factory.actor(otherSchool, 'dsp');
    people.otherPruDsp = await factory.actor(otherPru, 'dsp');
  });

  afterAll(() => testApp.close());

  it('finds a child on another school’s roll by exact UPN and date of birth, for the PRU', async () => {
    const pupil = await factory.pupil(home);
    const found = await pupils.lookUp(people.pruDsp, pupil.upn, pupil.dateOfBirth);
    expect(found).toMatchObject({ id: pupil.id, organisations: [{ id: home.id }] });
  });

  it('starts the pupil’s dual enrolment at the PRU, audited, and reads back as active', async () => {
    const pupil = await factory.pupil(home);
    const placement = await startFor(pupil);
    expect(placement).toMatchObject({
      status: 'active',
      pupil: { id: pupil.id, upn: pupil.upn },
      pru: { id: pru.id, name: 'Bridge PRU' },
      home: { id: home.id, name: 'Hillcrest High' },
      reviewOn: daysFromToday(14),
      endOn: null,
      outcome: null,
    });
    const atPru = await testApp.dataSource
      .getRepository(Enrolment)
      .find({ where: { pupilId: pupil.id, organisationId: pru.id } });
    expect(atPru).toMatchObject([{ type: 'dual', startedOn: daysFromToday(-60), endedOn: null }]);
    const audit = await (await auditEntries(testApp)).find({ where: { action: 'placement.started' } });
    expect(audit.some((entry) => entry.subjectId === pupil.id)).toBe(true);
    // The home school reads it too; another school or PRU does not know it exists.
    expect((await placements.get(people.homeHead, placement.id)).id).toBe(placement.id);
    await expect(placements.get(people.otherSchoolDsp, placement.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(placements.get(people.otherPruDsp, placement.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(placements.get(people.pruStaff, placement.id)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('refuses a home organisation that is not the pupil’s school, dates out of order and roles that may not place', async () => {
    const pupil = await factory.pupil(home);
    expect(await rejection(startFor(pupil, { homeOrganisationId: otherSchool.id }))).toMatchObject({
      rule: 'home_organisation_not_pupils_school',
    });
    expect(await rejection(startFor(pupil, { homeOrganisationId: otherPru.id }))).toMatchObject({
      rule: 'home_organisation_not_pupils_school',
    });
    expect(await rejection(startFor(pupil, { reviewOn: daysFromToday(-61) }))).toMatchObject({
      rule: 'dates_out_of_order',
      errors: { reviewOn: [expect.any(String)] },
    });
    const asHome = placements.start(people.homeDsp, {
      pupilId: pupil.id,
      pruId: pru.id,
      homeOrganisationId: home.id,
      type: 'dual',
      startOn: '2026-10-05',
      reason: 'medical',
    });
    await expect(asHome).rejects.toBeInstanceOf(ForbiddenError);
    const asStaff = placements.start(people.pruStaff, {
      pupilId: pupil.id,
      pruId: pru.id,
      homeOrganisationId: home.id,
      type: 'dual',
      startOn: '2026-10-05',
      reason: 'medical',
    });
    await expect(asStaff).rejects.toBeInstanceOf(ForbiddenError);
    expect(
      await testApp.dataSource.getRepository(Enrolment).count({ where: { pupilId: pupil.id, organisationId: pru.id } }),
    ).toBe(0);
  });

  it('allows one active placement per pupil at a PRU, and another once it has ended', async () => {
    const pupil = await factory.pupil(home);
    const first = await startFor(pupil);
    expect(await rejection(startFor(pupil))).toMatchObject({ rule: 'placement_already_active' });
    await placements.end(people.pruDsp, first.id, {
      endOn: daysFromToday(-30),
      outcome: 'reintegrated',
      note: 'Back.',
    });
    const second = await startFor(pupil, { startOn: daysFromToday(-29), reviewOn: null });
    expect(second.status).toBe('active');
  });

  it('starts one placement when two start at once for the same pupil (the unique key)', async () => {
    const pupil = await factory.pupil(home);
    const results = await Promise.allSettled([startFor(pupil), startFor(pupil), startFor(pupil)]);
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    for (const result of results.filter((r): r is PromiseRejectedResult => r.status === 'rejected'))
      expect(result.reason).toBeInstanceOf(PlacementRuleError);
    expect(
      await testApp.dataSource.getRepository(Enrolment).count({ where: { pupilId: pupil.id, organisationId: pru.id } }),
    ).toBe(1);
  });

  it('records reviews (the next review date moves), and only the PRU runs the placement', async () => {
    const pupil = await factory.pupil(home);
    const placement = await startFor(pupil);
    await placements.review(people.pruHead, placement.id, { note: 'Settling well.', nextReviewOn: '2027-01-11' });
    const read = await placements.get(people.homeDsp, placement.id);
    expect(read.reviewOn).toBe('2027-01-11');
    expect(read.reviews).toMatchObject([{ note: 'Settling well.', nextReviewOn: '2027-01-11' }]);
    await expect(placements.review(people.homeDsp, placement.id, { note: 'x' })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(placements.review(people.otherPruDsp, placement.id, { note: 'x' })).rejects.toBeInstanceOf(
      NotFoundError,
    );
    expect(
      await rejection(placements.review(people.pruDsp, placement.id, { note: 'x', nextReviewOn: daysFromToday(-400) })),
    ).toMatchObject({ rule: 'dates_out_of_order' });
  });

  it('lists the PRU’s placements and the home school’s pupils’ placements by status, with true totals', async () => {
    const lister = await factory.school(la);
    const listerDsp = await factory.actor(lister, 'dsp');
    const made = [];
    for (let i = 0; i < 3; i++) {
      const pupil = await factory.pupil(lister);
      made.push(await startFor(pupil, { homeOrganisationId: lister.id }));
    }
    await placements.end(people.pruDsp, made[0].id, {
      endOn: daysFromToday(-59),
      outcome: 'other_provision',
      note: 'Moved.',
    });
    const active = await placements.list(listerDsp, { status: 'active', pageSize: 1 });
    expect(active).toMatchObject({ page: 1, pageSize: 1, total: 2 });
    expect(active.items).toHaveLength(1);
    const ended = await placements.list(listerDsp, { status: 'ended' });
    expect(ended.items.map((item) => item.id)).toEqual([made[0].id]);
    expect(ended.items[0]).toMatchObject({ status: 'ended', endOn: daysFromToday(-59), outcome: 'other_provision' });
    const atPru = await placements.list(people.pruDsp, { status: 'active', pageSize: 200 });
    expect(atPru.items.map((item) => item.id)).toEqual(expect.arrayContaining([made[1].id, made[2].id]));
    expect((await placements.list(people.otherPruDsp, {})).total).toBe(0);
    expect((await placements.list(people.otherSchoolDsp, {})).total).toBe(0);
  });

  describe('who reads and decides what, during and after a placement', () => {
    let pupil: Pupil;
    let placementId: string;
    let homeConcern: Concern;
    let pruConcern: Concern;

    beforeAll(async () => {
      pupil = await factory.pupil(home);
      placementId = (await startFor(pupil)).id;
      homeConcern = await factory.concern(pupil, people.homeDsp, { summary: 'Recorded at Hillcrest' });
      pruConcern = await factory.concern(pupil, people.pruDsp, { summary: 'Recorded at Bridge' });
    });

    it('lets both settings read each other’s concerns while the placement is active', async () => {
      expect((await concerns.get(people.pruDsp, homeConcern.id)).id).toBe(homeConcern.id);
      expect((await concerns.get(people.homeDsp, pruConcern.id)).id).toBe(pruConcern.id);
      const pruReads = await chronology.forPupil(people.pruHead, pupil.id);
      expect(pruReads.entries.map((entry) => entry.concernId)).toEqual(
        expect.arrayContaining([homeConcern.id, pruConcern.id]),
      );
    });

    it.each([
      ['the PRU', 'pruDsp', 'home'],
      ['Hillcrest', 'homeDsp', 'pru'],
    ] as const)('refuses %s deciding, referring or closing the other’s concern', async (_who, actor, owner) => {
      const concern = owner === 'home' ? homeConcern : pruConcern;
      await expect(
        concerns.decide(people[actor], concern.id, { outcome: 'monitor', rationale: 'Keep watching.' }),
      ).rejects.toBeInstanceOf(ConcernOwnedElsewhereError);
      await expect(
        escalations.send(people[actor], concern.id, {
          route: 'mash',
          reasonForRoute: 'The child disclosed being hit at home.',
          consent: { sought: false, reasonNotSought: 'Asking would put the child at further risk.' },
        }),
      ).rejects.toBeInstanceOf(ConcernOwnedElsewhereError);
      await expect(concerns.close(people[actor], concern.id, { rationale: 'Resolved.' })).rejects.toBeInstanceOf(
        ConcernOwnedElsewhereError,
      );
    });

    it('shows the placement once in the chronology: its start replaces the dual enrolment’s entry', async () => {
      const read = await chronology.forPupil(people.homeDsp, pupil.id);
      const kinds = read.entries.map((entry) => entry.kind);
      expect(kinds).toContain('placement_started');
      expect(kinds).not.toContain('enrolment');
    });

    it('will not end while a concern the PRU recorded waits for a decision, nor on a day still to come', async () => {
      const ending = { endOn: daysFromToday(-1), outcome: 'reintegrated' as const, note: 'Back at Hillcrest.' };
      await expect(placements.end(people.pruDsp, placementId, ending)).rejects.toMatchObject({
        rule: 'concerns_awaiting_triage',
      });
      await expect(
        placements.end(people.pruDsp, placementId, { ...ending, endOn: daysFromToday(1) }),
      ).rejects.toMatchObject({
        rule: 'end_in_future',
      });
      await concerns.decide(people.pruDsp, pruConcern.id, { outcome: 'mash', rationale: 'Refer today.' });
    });

    it('after it ends with reintegration: the enrolment ends, the PRU reads only its own records, Hillcrest all', async () => {
      const ended = await placements.end(people.pruDsp, placementId, {
        endOn: daysFromToday(-1),
        outcome: 'reintegrated',
        note: 'Back at Hillcrest full time.',
      });
      expect(ended).toMatchObject({ status: 'ended', endOn: daysFromToday(-1), outcome: 'reintegrated' });
      const enrolment = await testApp.dataSource
        .getRepository(Enrolment)
        .findOneByOrFail({ pupilId: pupil.id, organisationId: pru.id });
      expect(enrolment.endedOn).toBe(daysFromToday(-1));
      expect(
        await testApp.dataSource
          .getRepository(RetainedAccess)
          .findBy({ pupilId: pupil.id, organisationId: pru.id, reason: 'placement_ended' }),
      ).toMatchObject([{ until: null, sourceId: placementId }]);

      // The PRU: its own concern and its placement's entries, never Hillcrest's concern.
      expect((await concerns.get(people.pruDsp, pruConcern.id)).id).toBe(pruConcern.id);
      await expect(concerns.get(people.pruDsp, homeConcern.id)).rejects.toBeInstanceOf(NotFoundError);
      const pruReads = await chronology.forPupil(people.pruDsp, pupil.id);
      const pruConcerns = pruReads.entries.map((entry) => entry.concernId).filter(Boolean);
      expect(pruConcerns).toContain(pruConcern.id);
      expect(pruConcerns).not.toContain(homeConcern.id);
      expect(pruReads.entries.every((entry) => entry.organisationId === pru.id)).toBe(true);
      expect(pruReads.entries.map((entry) => entry.kind)).toEqual(
        expect.arrayContaining(['placement_started', 'placement_ended']),
      );

      // Hillcrest: everything, both concerns included.
      const homeReads = await chronology.forPupil(people.homeDsp, pupil.id);
      expect(homeReads.entries.map((entry) => entry.concernId)).toEqual(
        expect.arrayContaining([homeConcern.id, pruConcern.id]),
      );
      expect(homeReads.entries.map((entry) => entry.kind)).not.toContain('enrolment');

      // And the placement itself is closed to change.
      expect(
        await rejection(
          placements.end(people.pruDsp, placementId, { endOn: daysFromToday(0), outcome: 'other', note: 'x' }),
        ),
      ).toMatchObject({ rule: 'placement_ended' });
      expect(await rejection(placements.review(people.pruDsp, placementId, { note: 'x' }))).toMatchObject({
        rule: 'placement_ended',
      });
    });
  });

  it('ends a placement once when two endings race', async () => {
    const pupil = await factory.pupil(home);
    const placement = await startFor(pupil);
    const end = () =>
      placements.end(people.pruDsp, placement.id, { endOn: daysFromToday(-1), outcome: 'reintegrated', note: 'Back.' });
    const results = await Promise.allSettled([end(), end()]);
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    expect(await testApp.dataSource.getRepository(RetainedAccess).count({ where: { sourceId: placement.id } })).toBe(1);
  });
});
