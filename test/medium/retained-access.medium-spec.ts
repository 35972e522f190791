import { AccessPolicy } from '../../src/access/access-policy';
import { ChronologyService } from '../../src/chronology/chronology.service';
import { Actor } from '../../src/common/actor';
import { ConcernsService } from '../../src/dsp/concerns/concerns.service';
import { ConcernAmendmentsService } from '../../src/dsp/concerns/concern-amendments.service';
import { Organisation } from '../../src/organisations/organisation.entity';
import { EnrolmentChanges } from '../../src/school/enrolment-changes';
import { RetainedAccess } from '../../src/school/access/retained-access.entity';
import { PUPIL_HISTORY_READER, PupilHistoryReader } from '../../src/guidance/pupil-history';
import { AuditService } from '../../src/audit/audit.service';
import { Enrolment } from '../../src/school/enrolment.entity';
import { Pupil } from '../../src/school/pupil.entity';
import { PupilsService } from '../../src/school/pupils.service';
import { londonDateOf } from '../../src/calendar/london-time';
import { Factory } from '../support/factory';
import { bootTestApp, TestApp } from '../support/test-app';

const DAY = 24 * 3600 * 1000;
const dayOffset = (days: number) => londonDateOf(new Date(Date.now() + days * DAY));

/**
 * What an organisation keeps reading after a pupil leaves it (API.md, "PRU placements and moving
 * school"), through the one access policy: a PRU after the placement ends reads only what it recorded;
 * a school whose file was received elsewhere reads what it held up to the receipt; an enrolment whose
 * end date is still to come is current until then.
 */
describe('Retained access after a pupil leaves', () => {
  let testApp: TestApp;
  let factory: Factory;
  let policy: AccessPolicy;
  let changes: EnrolmentChanges;
  let concerns: ConcernsService;
  let chronology: ChronologyService;
  let pupilsService: PupilsService;
  const orgs = {} as Record<'la' | 'home' | 'pru' | 'mover' | 'next', Organisation>;
  const people = {} as Record<
    'homeDsp' | 'pruDsp' | 'pruHead' | 'pruStaff' | 'moverDsp' | 'moverHead' | 'nextDsp' | 'nextDspHead' | 'moverStaff',
    Actor
  >;

  const record = (actor: Actor, pupil: Pupil, summary: string) =>
    concerns.record(actor, {
      pupilId: pupil.id,
      occurredAt: new Date(Date.now() - 3600 * 1000).toISOString(),
      category: 'wellbeing',
      summary,
      evidenceBasis: 'observed',
    });

  const run = <T>(work: (manager: import('typeorm').EntityManager) => Promise<T>) =>
    testApp.dataSource.transaction(work);

  const summaries = async (actor: Actor, pupil: Pupil) =>
    (await chronology.forPupil(actor, pupil.id, {}, 'all')).entries
      .filter((entry) => entry.kind === 'concern_recorded')
      .map((entry) => entry.detail);

  beforeAll(async () => {
    testApp = await bootTestApp({ seedDemo: false });
    factory = new Factory(testApp.dataSource);
    policy = testApp.app.get(AccessPolicy);
    changes = testApp.app.get(EnrolmentChanges);
    concerns = testApp.app.get(ConcernsService);
    chronology = testApp.app.get(ChronologyService);
    pupilsService = testApp.app.get(PupilsService);
    orgs.la = await factory.localAuthority();
    orgs.home = await factory.school(orgs.la);
    orgs.pru = await factory.pru(orgs.la);
    orgs.mover = await factory.school(orgs.la);
    orgs.next = await factory.school(orgs.la);
    people.homeDsp = await factory.actor(orgs.home, 'dsp');
    people.pruDsp = await factory.actor(orgs.pru, 'dsp');
    people.pruHead = await factory.actor(orgs.pru, 'head_teacher');
    people.pruStaff = await factory.actor(orgs.pru, 'staff');
    people.moverDsp = await factory.actor(orgs.mover, 'dsp');
    people.moverHead = await factory.actor(orgs.mover, 'head_teacher');
    people.moverStaff = await factory.actor(orgs.mover, 'staff');
    people.nextDsp = await factory.actor(orgs.next, 'dsp');
    people.nextDspHead = await factory.actor(orgs.next, 'head_teacher');
  });

  afterAll(() => testApp.close());

  describe('after a PRU placement ends', () => {
    let pupil: Pupil;
    let pruConcernId: string;
    let homeConcernId: string;

    beforeAll(async () => {
      pupil = await factory.pupil(orgs.home);
      await factory.enrol(pupil, orgs.pru, 'dual');
      pruConcernId = (await record(people.pruDsp, pupil, 'Recorded at the PRU')).id;
      homeConcernId = (await record(people.homeDsp, pupil, 'Recorded at the home school')).id;
    });

    it('lets both organisations read everything while the placement is active', async () => {
      expect(await summaries(people.pruDsp, pupil)).toEqual(['Recorded at the PRU', 'Recorded at the home school']);
      expect(await summaries(people.homeDsp, pupil)).toEqual(['Recorded at the PRU', 'Recorded at the home school']);
    });

    it('leaves the PRU its own records only, and the home school everything', async () => {
      const [enrolment] = await run((manager) => changes.current(manager, pupil.id, orgs.pru.id));
      await run(async (manager) => {
        await changes.end(manager, enrolment.id, dayOffset(-1));
        await changes.retain(manager, {
          pupilId: pupil.id,
          organisationId: orgs.pru.id,
          until: null,
          reason: 'placement_ended',
          sourceId: enrolment.id,
        });
      });

      for (const reader of [people.pruDsp, people.pruHead]) {
        expect(await summaries(reader, pupil)).toEqual(['Recorded at the PRU']);
        await expect(concerns.get(reader, pruConcernId)).resolves.toMatchObject({ id: pruConcernId });
        await expect(concerns.get(reader, homeConcernId)).rejects.toMatchObject({ code: 'not_found' });
        await expect(pupilsService.get(reader, pupil.id)).resolves.toMatchObject({ id: pupil.id });
        // Reachable by its placement, not listed as on the PRU's roll.
        expect((await pupilsService.search(reader)).items.map((p) => p.id)).not.toContain(pupil.id);
      }
      expect(await summaries(people.homeDsp, pupil)).toEqual(['Recorded at the PRU', 'Recorded at the home school']);
      // Staff never read through retained access.
      expect((await policy.visiblePupilIds(people.pruStaff, [pupil.id])).size).toBe(0);
      await expect(chronology.forPupil(people.pruStaff, pupil.id)).rejects.toMatchObject({ code: 'not_found' });
    });
  });

  describe('after a school’s file is received elsewhere', () => {
    let pupil: Pupil;
    let before: string;
    let after: string;
    let atPru: string;

    beforeAll(async () => {
      pupil = await factory.pupil(orgs.mover);
      await factory.enrol(pupil, orgs.pru, 'dual');
      atPru = (await record(people.pruDsp, pupil, 'At the PRU before the move')).id;
      before = (await record(people.moverDsp, pupil, 'Before the move')).id;
      const [enrolment] = await run((manager) => changes.current(manager, pupil.id, orgs.mover.id));
      await run(async (manager) => {
        await changes.start(manager, {
          pupilId: pupil.id,
          organisationId: orgs.next.id,
          type: 'main',
          startedOn: dayOffset(0),
        });
        await changes.end(manager, enrolment.id, dayOffset(-1));
        await changes.retain(manager, {
          pupilId: pupil.id,
          organisationId: orgs.mover.id,
          until: new Date(),
          reason: 'transferred',
          sourceId: enrolment.id,
        });
      });
      await new Promise((resolve) => setTimeout(resolve, 5));
      after = (await record(people.nextDsp, pupil, 'After the move')).id;
      await concerns.decide(people.pruDsp, atPru, { outcome: 'monitor', rationale: 'Decided after the move' });
    });

    it('shows the sender another organisation’s concern as it stood at the receipt', async () => {
      const asSent = await concerns.get(people.moverDsp, atPru);
      expect(asSent.decisions).toEqual([]);
      expect(asSent.status).toBe('awaiting_triage');
      const chronologyAsSent = await chronology.forPupil(people.moverDsp, pupil.id, {}, 'all');
      expect(chronologyAsSent.entries.filter((entry) => entry.kind === 'decision')).toEqual([]);
      const now = await concerns.get(people.nextDsp, atPru);
      expect(now.decisions.map((d) => d.rationale)).toEqual(['Decided after the move']);
    });

    it('shows the sender another organisation’s concern without the corrections made after the receipt', async () => {
      const amendments = testApp.app.get(ConcernAmendmentsService);
      await amendments.amend(people.pruDsp, atPru, {
        field: 'category',
        value: 'neglect',
        reason: 'Chose the wrong one',
      });
      const asSent = await concerns.get(people.moverDsp, atPru);
      expect(asSent.category).toBe('wellbeing');
      expect(asSent.amendments).toEqual([]);
      const chronologyAsSent = await chronology.forPupil(people.moverDsp, pupil.id, {}, 'all');
      expect(
        chronologyAsSent.entries.find((entry) => entry.concernId === atPru && entry.kind === 'concern_recorded')
          ?.category,
      ).toBe('wellbeing');
      expect((await concerns.get(people.pruDsp, atPru)).category).toBe('neglect');
      expect((await concerns.get(people.nextDsp, atPru)).category).toBe('neglect');
    });

    it('lets the sender read what it held, not what the receiver records afterwards', async () => {
      for (const reader of [people.moverDsp, people.moverHead]) {
        expect(await summaries(reader, pupil)).toEqual(['At the PRU before the move', 'Before the move']);
        await expect(concerns.get(reader, before)).resolves.toMatchObject({ id: before });
        await expect(concerns.get(reader, after)).rejects.toMatchObject({ code: 'not_found' });
      }
      await expect(chronology.forPupil(people.moverStaff, pupil.id)).rejects.toMatchObject({ code: 'not_found' });
    });

    it('counts in the sender’s guidance history only what the sender still reads', async () => {
      const [kept] = await testApp.dataSource
        .getRepository(RetainedAccess)
        .findBy({ pupilId: pupil.id, organisationId: orgs.mover.id });
      const history = await testApp.app
        .get<PupilHistoryReader>(PUPIL_HISTORY_READER)
        .historyOf(testApp.dataSource.manager, pupil.id, null, { organisationId: orgs.mover.id, until: kept.until });
      expect(history.otherConcerns).toHaveLength(2);
      const everything = await testApp.app
        .get<PupilHistoryReader>(PUPIL_HISTORY_READER)
        .historyOf(testApp.dataSource.manager, pupil.id, null);
      expect(everything.otherConcerns).toHaveLength(3);
    });

    it('shows the sender’s head the audit trail only as far as the sender reads the records', async () => {
      await summaries(people.nextDsp, pupil);
      const trail = await testApp.app.get(AuditService).page(people.moverHead, { pupilId: pupil.id, pageSize: 200 });
      expect(trail.items.length).toBeGreaterThan(0);
      expect(trail.items.some((item) => item.actor.id === people.nextDsp.userId)).toBe(false);
      const whole = await testApp.app.get(AuditService).page(people.nextDspHead, { pupilId: pupil.id, pageSize: 200 });
      expect(whole.items.some((item) => item.actor.id === people.nextDsp.userId)).toBe(true);
    });

    it('lets the receiver read the whole history', async () => {
      expect(await summaries(people.nextDsp, pupil)).toEqual([
        'At the PRU before the move',
        'Before the move',
        'After the move',
      ]);
    });

    it('refuses the sender a new concern about a pupil no longer on its roll, saying so', async () => {
      await expect(record(people.moverDsp, pupil, 'Too late')).rejects.toMatchObject({
        code: 'rule_broken',
        rule: 'pupil_not_on_roll',
      });
      await expect(pupilsService.get(people.moverDsp, pupil.id)).resolves.toMatchObject({ onCallersRoll: false });
      await expect(pupilsService.get(people.nextDsp, pupil.id)).resolves.toMatchObject({ onCallersRoll: true });
    });
  });

  describe('an enrolment ending on a day still to come', () => {
    it('is current until that day', async () => {
      const pupil = await factory.pupil(orgs.mover);
      const [enrolment] = await run((manager) => changes.current(manager, pupil.id, orgs.mover.id));
      await run((manager) => changes.end(manager, enrolment.id, dayOffset(3)));
      expect((await policy.visiblePupilIds(people.moverDsp, [pupil.id], undefined, 'roll')).has(pupil.id)).toBe(true);
      expect((await policy.visiblePupilIds(people.moverStaff, [pupil.id])).has(pupil.id)).toBe(true);
      const detail = await pupilsService.get(people.moverDsp, pupil.id);
      expect(detail.enrolments.map((e) => e.organisationId)).toContain(orgs.mover.id);

      await run((manager) => manager.getRepository(Enrolment).update({ id: enrolment.id }, { endedOn: dayOffset(0) }));
      expect((await policy.visiblePupilIds(people.moverDsp, [pupil.id])).has(pupil.id)).toBe(false);
    });

    it('is not yet a leaving in the chronology, and the school is still where the pupil is', async () => {
      const pupil = await factory.pupil(orgs.mover);
      const [enrolment] = await run((manager) => changes.current(manager, pupil.id, orgs.mover.id));
      await run((manager) => changes.end(manager, enrolment.id, dayOffset(3)));
      const timeline = await chronology.forPupil(people.moverDsp, pupil.id, {}, 'all');
      expect(timeline.entries.filter((entry) => entry.id === `enrolment-ended:${enrolment.id}`)).toEqual([]);
      const pdfData = await chronology.exportForPupil(people.moverDsp, pupil.id);
      expect(pdfData.currentEnrolments.map((e) => e.organisation.id)).toEqual([orgs.mover.id]);
    });
  });
});
