import { DspWorklistReader } from '../../src/dsp/dsp-worklist';
import { rebuildConcernStates } from '../../src/dsp/concern-states/concern-states';
import { AuditService } from '../../src/audit/audit.service';
import { Actor } from '../../src/common/actor';
import { newId } from '../../src/common/ids';
import { recordedBy } from '../../src/common/recorded-by';
import { ConcernClosure } from '../../src/dsp/concerns/concern-closure.entity';
import { ConcernDecision } from '../../src/dsp/concerns/concern-decision.entity';
import { ConcernLinkedPupil } from '../../src/dsp/concerns/concern-linked-pupil.entity';
import { Concern } from '../../src/dsp/concerns/concern.entity';
import { ConcernsService } from '../../src/dsp/concerns/concerns.service';
import { RecordConcernDto } from '../../src/dsp/concerns/dto/record-concern.dto';
import { EscalationsService } from '../../src/dsp/escalations/escalations.service';
import { Organisation } from '../../src/organisations/organisation.entity';
import { Pupil } from '../../src/school/pupil.entity';
import { countQueries } from '../support/count-queries';
import { Factory } from '../support/factory';
import { bootTestApp, TestApp } from '../support/test-app';
import { auditEntries } from '../support/audit-chain';

describe(ConcernsService.name, () => {
  let testApp: TestApp;
  let factory: Factory;
  let concerns: ConcernsService;
  let escalations: EscalationsService;
  let audit: AuditService;
  const orgs = {} as Record<'la' | 'schoolA' | 'schoolB' | 'pru', Organisation>;
  const people = {} as Record<
    'teacherA' | 'colleagueA' | 'dspA' | 'headA' | 'dspB' | 'dspPru' | 'mash' | 'lead',
    Actor
  >;
  const pupils = {} as Record<'subject' | 'classmate' | 'atB' | 'dual', Pupil>;

  const concernCount = () => testApp.dataSource.getRepository(Concern).count();
  const auditCount = async () => (await auditEntries(testApp)).count();
  const draft = (pupil: Pupil, overrides: Partial<RecordConcernDto> = {}): RecordConcernDto => ({
    pupilId: pupil.id,
    occurredAt: new Date(Date.now() - 60 * 60 * 1000).toISOString(),
    category: 'wellbeing',
    summary: 'Arrived hungry and without a coat again.',
    evidenceBasis: 'observed',
    ...overrides,
  });

  beforeAll(async () => {
    testApp = await bootTestApp({ seedDemo: false });
    concerns = testApp.app.get(ConcernsService);
    escalations = testApp.app.get(EscalationsService);
    audit = testApp.app.get(AuditService);
    factory = new Factory(testApp.dataSource);
    orgs.la = await factory.localAuthority();
    orgs.schoolA = await factory.school(orgs.la);
    orgs.schoolB = await factory.school(orgs.la);
    orgs.pru = await factory.pru(orgs.la);
    people.teacherA = await factory.actor(orgs.schoolA, 'staff');
    people.colleagueA = await factory.actor(orgs.schoolA, 'staff');
    people.dspA = await factory.actor(orgs.schoolA, 'dsp');
    people.headA = await factory.actor(orgs.schoolA, 'head_teacher');
    people.dspB = await factory.actor(orgs.schoolB, 'dsp');
    people.dspPru = await factory.actor(orgs.pru, 'dsp');
    people.mash = await factory.actor(orgs.la, 'la_mash');
    people.lead = await factory.actor(orgs.la, 'la_lead');
    pupils.subject = await factory.pupil(orgs.schoolA);
    pupils.classmate = await factory.pupil(orgs.schoolA);
    pupils.atB = await factory.pupil(orgs.schoolB);
    pupils.dual = await factory.pupil(orgs.schoolA);
    await factory.enrol(pupils.dual, orgs.pru, 'dual');
  });

  afterAll(() => testApp.close());

  describe('recording', () => {
    it('stores the concern as awaiting triage, with guidance, and one concern.recorded audit entry in the same breath', async () => {
      const [concernsBefore, auditBefore] = [await concernCount(), await auditCount()];
      const recorded = await concerns.record(
        people.teacherA,
        draft(pupils.subject, { category: 'wellbeing', issues: ['housing', 'young_carer'] }),
      );
      expect(recorded).toMatchObject({
        status: 'awaiting_triage',
        pupilId: pupils.subject.id,
        organisationId: orgs.schoolA.id,
        recordedBy: { name: people.teacherA.name, role: 'staff' },
        category: 'wellbeing',
        issues: ['housing', 'young_carer'],
        guidance: expect.objectContaining({ level: 3, route: 'early_help' }),
      });
      expect(await concernCount()).toBe(concernsBefore + 1);
      expect(await auditCount()).toBe(auditBefore + 1);
      const entries = await audit.list(people.headA, { subjectType: 'concern', subjectId: recorded.id });
      expect(entries).toEqual([
        expect.objectContaining({
          action: 'concern.recorded',
          actor: { id: people.teacherA.userId, name: people.teacherA.name, role: 'staff' },
        }),
      ]);
    });

    it('stores nothing, not even the concern, when its audit entry cannot be written (one transaction)', async () => {
      const [concernsBefore, auditBefore] = [await concernCount(), await auditCount()];
      const linksBefore = await testApp.dataSource.getRepository(ConcernLinkedPupil).count();
      const spy = jest.spyOn(audit, 'record').mockRejectedValueOnce(new Error('audit log unavailable'));
      try {
        await expect(
          concerns.record(
            people.teacherA,
            draft(pupils.subject, {
              summary: 'Must not survive the rollback',
              linkedPupils: [{ pupilId: pupils.classmate.id, role: 'witness' }],
            }),
          ),
        ).rejects.toThrow('audit log unavailable');
        expect(spy).toHaveBeenCalledTimes(1);
      } finally {
        spy.mockRestore();
      }
      expect(await concernCount()).toBe(concernsBefore);
      expect(await testApp.dataSource.getRepository(ConcernLinkedPupil).count()).toBe(linksBefore);
      expect(await auditCount()).toBe(auditBefore);
      expect(
        await testApp.dataSource
          .getRepository(Concern)
          .findOne({ where: { summary: 'Must not survive the rollback' } }),
      ).toBeNull();
    });

    it.each([
      ['a pupil not on the roll', () => pupils.atB.id, 'no pupil with this id on your roll'],
      ['the subject', () => pupils.subject.id, 'cannot be the subject'],
      [
        'a pupil that does not exist',
        () => '00000000-0000-4000-8000-000000000000',
        'no pupil with this id on your roll',
      ],
    ])('rejects %s as a linked pupil, keyed by its position, and stores nothing', async (_label, linkedId, message) => {
      const [concernsBefore, auditBefore] = [await concernCount(), await auditCount()];
      const attempt = concerns.record(
        people.teacherA,
        draft(pupils.subject, {
          linkedPupils: [
            { pupilId: pupils.classmate.id, role: 'witness' },
            { pupilId: linkedId(), role: 'alleged_perpetrator' },
          ],
        }),
      );
      await expect(attempt).rejects.toMatchObject({
        code: 'invalid_input',
        errors: { 'linkedPupils.1.pupilId': [expect.stringContaining(message)] },
      });
      await expect(attempt).rejects.not.toMatchObject({ errors: { 'linkedPupils.0.pupilId': expect.anything() } });
      expect(await concernCount()).toBe(concernsBefore);
      expect(await auditCount()).toBe(auditBefore);
    });

    it('rejects the same pupil linked twice', async () => {
      await expect(
        concerns.record(
          people.teacherA,
          draft(pupils.subject, {
            linkedPupils: [
              { pupilId: pupils.classmate.id, role: 'witness' },
              { pupilId: pupils.classmate.id, role: 'sibling' },
            ],
          }),
        ),
      ).rejects.toMatchObject({ code: 'invalid_input', errors: { 'linkedPupils.1.pupilId': [expect.any(String)] } });
    });

    it('answers 404 for a pupil on another roll and 403 for roles that do not record concerns', async () => {
      const before = await concernCount();
      await expect(concerns.record(people.dspA, draft(pupils.atB))).rejects.toMatchObject({ code: 'not_found' });
      await expect(concerns.record(people.mash, draft(pupils.subject))).rejects.toMatchObject({ code: 'forbidden' });
      await expect(concerns.record(people.lead, draft(pupils.subject))).rejects.toMatchObject({ code: 'forbidden' });
      expect(await concernCount()).toBe(before);
    });

    it('lets the PRU record a concern about its dual-registered pupil', async () => {
      const recorded = await concerns.record(people.dspPru, draft(pupils.dual));
      expect(recorded).toMatchObject({ pupilId: pupils.dual.id, organisationId: orgs.pru.id });
    });
  });

  describe('who sees a concern', () => {
    let own: { id: string };

    beforeAll(async () => {
      own = await concerns.record(people.teacherA, draft(pupils.subject, { summary: 'Recorded by the teacher' }));
      await concerns.decide(people.dspA, own.id, { outcome: 'monitor', rationale: 'Watch and wait' });
    });

    it('shows staff their own concern and its status, but not the DSP’s working', async () => {
      const seen = await concerns.get(people.teacherA, own.id);
      expect(seen).toMatchObject({ id: own.id, status: 'open', summary: 'Recorded by the teacher' });
      expect(seen.decisions).toEqual([]);
      expect(seen.escalations).toEqual([]);
    });

    it('hides it from a colleague who did not record it (404), and from another school, the LA lead and MASH before any referral', async () => {
      for (const actor of [people.colleagueA, people.dspB, people.lead, people.mash]) {
        await expect(concerns.get(actor, own.id)).rejects.toMatchObject({ code: 'not_found' });
      }
    });

    it('shows the DSP and the head teacher everything, decisions included', async () => {
      for (const actor of [people.dspA, people.headA]) {
        const seen = await concerns.get(actor, own.id);
        expect(seen.decisions).toEqual([
          expect.objectContaining({
            outcome: 'monitor',
            rationale: 'Watch and wait',
            decidedBy: { name: people.dspA.name, role: 'dsp' },
          }),
        ]);
      }
    });

    it('records each opening of the concern for the head teacher to see', async () => {
      await concerns.get(people.dspA, own.id);
      const entries = await audit.list(people.headA, { subjectType: 'concern', subjectId: own.id });
      expect(entries.map((e) => e.action)).toEqual(
        expect.arrayContaining(['concern.recorded', 'concern.decided', 'concern.viewed']),
      );
      expect(entries).toContainEqual(
        expect.objectContaining({
          action: 'concern.viewed',
          actor: expect.objectContaining({ id: people.dspA.userId }),
        }),
      );
    });

    it('refuses staff and head teachers the DSP’s actions on a concern they can see (403), storing nothing', async () => {
      const auditBefore = await auditCount();
      for (const actor of [people.teacherA, people.headA]) {
        await expect(
          concerns.decide(actor, own.id, { outcome: 'no_further_action', rationale: 'x' }),
        ).rejects.toMatchObject({ code: 'forbidden' });
        await expect(concerns.close(actor, own.id, { rationale: 'x' })).rejects.toMatchObject({ code: 'forbidden' });
        await expect(
          escalations.send(actor, own.id, {
            route: 'mash',
            reasonForRoute: 'A reason that is long enough to count',
            consent: { sought: true, given: true },
          }),
        ).rejects.toMatchObject({ code: 'forbidden' });
      }
      expect(await auditCount()).toBe(auditBefore);
      expect((await concerns.get(people.dspA, own.id)).decisions).toHaveLength(1);
    });

    it('answers 404, not 403, when the DSP of another school tries to act on it', async () => {
      await expect(concerns.decide(people.dspB, own.id, { outcome: 'monitor', rationale: 'x' })).rejects.toMatchObject({
        code: 'not_found',
      });
      await expect(concerns.close(people.dspB, own.id, { rationale: 'x' })).rejects.toMatchObject({
        code: 'not_found',
      });
    });

    it('shows a concern about a dual-registered pupil to the DSPs of both the school and the PRU', async () => {
      const concern = await concerns.record(
        people.teacherA,
        draft(pupils.dual, { summary: 'Seen at the home school' }),
      );
      for (const actor of [people.dspA, people.dspPru])
        expect(await concerns.get(actor, concern.id)).toMatchObject({
          id: concern.id,
          summary: 'Seen at the home school',
        });
      await expect(concerns.get(people.dspB, concern.id)).rejects.toMatchObject({ code: 'not_found' });
    });

    it('shows only the linked pupils the reader may see', async () => {
      const linked = await concerns.record(
        people.dspA,
        draft(pupils.dual, { linkedPupils: [{ pupilId: pupils.classmate.id, role: 'witness' }] }),
      );
      expect((await concerns.get(people.dspA, linked.id)).linkedPupils).toEqual([
        { pupilId: pupils.classmate.id, role: 'witness' },
      ]);
      // The PRU sees the dual-registered subject but not the home school's other pupil.
      expect((await concerns.get(people.dspPru, linked.id)).linkedPupils).toEqual([]);
    });
  });

  describe('decisions and closing', () => {
    it('appends decisions (the latest is current), moving the concern from awaiting triage to open', async () => {
      const concern = await concerns.record(people.teacherA, draft(pupils.subject));
      expect((await concerns.get(people.dspA, concern.id)).status).toBe('awaiting_triage');
      await concerns.decide(people.dspA, concern.id, { outcome: 'monitor', rationale: 'First look' });
      const second = await concerns.decide(people.dspA, concern.id, {
        outcome: 'no_further_action',
        rationale: 'Explained by a family bereavement',
      });
      expect(second).toMatchObject({
        concernId: concern.id,
        outcome: 'no_further_action',
        rationale: 'Explained by a family bereavement',
      });
      const detail = await concerns.get(people.dspA, concern.id);
      expect(detail.status).toBe('open');
      expect(detail.decisions.map((d) => d.outcome)).toEqual(['monitor', 'no_further_action']);
    });

    it('closes with a rationale, then refuses any further decision, referral or closing (422 on status), storing nothing', async () => {
      const concern = await concerns.record(people.teacherA, draft(pupils.subject));
      const closed = await concerns.close(people.dspA, concern.id, { rationale: 'Resolved with the family' });
      expect(closed).toMatchObject({
        concernId: concern.id,
        status: 'closed',
        rationale: 'Resolved with the family',
        closedBy: { name: people.dspA.name, role: 'dsp' },
      });
      const auditBefore = await auditCount();
      const statusError = { code: 'rule_broken', errors: { status: [expect.any(String)] } };
      await expect(
        concerns.decide(people.dspA, concern.id, { outcome: 'monitor', rationale: 'Too late' }),
      ).rejects.toMatchObject(statusError);
      await expect(concerns.close(people.dspA, concern.id, { rationale: 'Again' })).rejects.toMatchObject(statusError);
      await expect(
        escalations.send(people.dspA, concern.id, { route: 'mash', consent: { sought: true, given: true } }),
      ).rejects.toMatchObject(statusError);
      expect(await auditCount()).toBe(auditBefore);
      const detail = await concerns.get(people.dspA, concern.id);
      expect(detail).toMatchObject({
        status: 'closed',
        decisions: [],
        escalations: [],
        closure: expect.objectContaining({ rationale: 'Resolved with the family' }),
      });
    });
  });

  describe("the DSP's queue", () => {
    let queueSchool: Organisation;
    let dsp: Actor;
    let head: Actor;
    let teacher: Actor;

    beforeAll(async () => {
      queueSchool = await factory.school(orgs.la);
      dsp = await factory.actor(queueSchool, 'dsp');
      head = await factory.actor(queueSchool, 'head_teacher');
      teacher = await factory.actor(queueSchool, 'staff');
    });

    it('lists the concerns awaiting triage oldest first, and each status on its own', async () => {
      const pupil = await factory.pupil(queueSchool);
      const base = Date.now() - 10 * 24 * 3600 * 1000;
      const at = (hours: number) => new Date(base + hours * 3600 * 1000);
      const newest = await factory.concern(pupil, teacher, { recordedAt: at(3), occurredAt: at(-100) });
      const oldest = await factory.concern(pupil, teacher, { recordedAt: at(1), occurredAt: at(2) });
      const middle = await factory.concern(pupil, teacher, { recordedAt: at(2), occurredAt: at(1) });
      const decided = await factory.concern(pupil, teacher, { recordedAt: at(0) });
      await factory.decision(decided, dsp);
      const referred = await factory.concern(pupil, teacher, { recordedAt: at(0.5) });
      await factory.escalation(referred, dsp);
      const closed = await factory.concern(pupil, teacher, { recordedAt: at(0.25) });
      await factory.closure(closed, dsp);
      // Another school's concern about its own pupil never appears in this queue.
      await factory.concern(await factory.pupil(orgs.schoolB), people.dspB, { recordedAt: at(1.5) });

      const ids = (items: Array<{ id: string }>) => items.map((item) => item.id);
      const awaiting = (await concerns.listForOrganisation(dsp, 'awaiting_triage')).items;
      expect(ids(awaiting)).toEqual([oldest.id, middle.id, newest.id]);
      expect(awaiting[0]).toEqual({
        id: oldest.id,
        status: 'awaiting_triage',
        pupil: { id: pupil.id, firstName: pupil.firstName, lastName: pupil.lastName },
        category: oldest.category,
        indicators: [],
        occurredAt: oldest.occurredAt.toISOString(),
        recordedAt: oldest.recordedAt.toISOString(),
        recordedBy: { name: teacher.name, role: 'staff' },
      });
      expect(ids((await concerns.listForOrganisation(dsp, 'open')).items)).toEqual([decided.id, referred.id]);
      expect(ids((await concerns.listForOrganisation(dsp, 'closed')).items)).toEqual([closed.id]);
      const all = (await concerns.listForOrganisation(head)).items;
      // Everything, with its status: still to triage first, then open, then closed.
      expect(all.map((item) => [item.id, item.status])).toEqual([
        [oldest.id, 'awaiting_triage'],
        [middle.id, 'awaiting_triage'],
        [newest.id, 'awaiting_triage'],
        [decided.id, 'open'],
        [referred.id, 'open'],
        [closed.id, 'closed'],
      ]);
    });

    it('is for DSPs and head teachers only (403 for staff and the local authority)', async () => {
      for (const actor of [teacher, people.mash, people.lead]) {
        await expect(concerns.listForOrganisation(actor, 'awaiting_triage')).rejects.toMatchObject({
          code: 'forbidden',
        });
      }
    });

    it('is read in the same number of queries for 1 concern as for 40 decided and referred ones', async () => {
      const measure = async (howMany: number) => {
        const school = await factory.school(orgs.la);
        const schoolDsp = await factory.actor(school, 'dsp');
        for (let i = 0; i < howMany; i += 1) {
          const pupil = await factory.pupil(school);
          const concern = await factory.concern(pupil, schoolDsp);
          if (i > 0) {
            await factory.decision(concern, schoolDsp);
            await factory.escalation(concern, schoolDsp);
          }
        }
        let listed = 0;
        const all = await countQueries(
          testApp.dataSource,
          async () => (listed = (await concerns.listForOrganisation(schoolDsp)).total),
        );
        const awaiting = await countQueries(testApp.dataSource, () =>
          concerns.listForOrganisation(schoolDsp, 'awaiting_triage'),
        );
        expect(listed).toBe(howMany);
        return { all, awaiting };
      };
      const one = await measure(1);
      const forty = await measure(40);
      expect(forty).toEqual(one);
      expect(one.all).toBeGreaterThan(0);
    });

    it('never pushes a new concern out of the full list, however many older ones there are', async () => {
      const school = await factory.school(orgs.la);
      const schoolDsp = await factory.actor(school, 'dsp');
      const pupil = await factory.pupil(school);
      const base = Date.now() - 400 * 24 * 3600 * 1000;
      // 300 closed and 300 still open (decided, never closed) from last year, in bulk.
      const old = Array.from({ length: 600 }, (_, i) => {
        const at = new Date(base + i * 3600 * 1000);
        return { ...concernRow(pupil, schoolDsp), recordedAt: at, occurredAt: at };
      });
      for (let i = 0; i < old.length; i += 40) {
        const chunk = old.slice(i, i + 40);
        await testApp.dataSource.getRepository(Concern).insert(chunk);
        const closed = chunk.filter((_, j) => (i + j) % 2 === 0);
        const open = chunk.filter((_, j) => (i + j) % 2 === 1);
        await testApp.dataSource.getRepository(ConcernClosure).insert(
          closed.map((c) => ({
            id: newId(),
            concernId: c.id,
            rationale: 'Done',
            ...recordedBy('closedBy', schoolDsp),
            closedAt: c.recordedAt,
          })),
        );
        await testApp.dataSource.getRepository(ConcernDecision).insert(
          open.map((c) => ({
            id: newId(),
            concernId: c.id,
            outcome: 'monitor' as const,
            rationale: 'Watch',
            ...recordedBy('decidedBy', schoolDsp),
            decidedAt: c.recordedAt,
          })),
        );
      }
      await rebuildConcernStates(testApp.dataSource.manager);
      const fresh = await concerns.record(schoolDsp, draft(pupil, { summary: 'Today' }));
      const all = await concerns.listForOrganisation(schoolDsp, undefined, { pageSize: 200 });
      expect(all.total).toBe(601);
      expect(all.items.map((c) => c.id)).toContain(fresh.id);
      expect(all.items[0]).toMatchObject({ id: fresh.id, status: 'awaiting_triage' });
      expect((await concerns.listForOrganisation(schoolDsp, 'awaiting_triage')).items.map((c) => c.id)).toEqual([
        fresh.id,
      ]);
      // Closed concerns come last, the most recently recorded first.
      const closed = (await concerns.listForOrganisation(schoolDsp, 'closed')).items;
      expect(closed[0].id).toBe(old[old.length - 2].id);
    });
  });

  describe('at a big school: paged, every concern reachable, true totals', () => {
    it('reaches and counts the 501st concern awaiting triage, in the list and in the queue, with true emergency counts', async () => {
      const school = await factory.school(orgs.la);
      const schoolDsp = await factory.actor(school, 'dsp');
      const pupil = await factory.pupil(school);
      const base = Date.now() - 30 * 24 * 3600 * 1000;
      // 520 awaiting triage, oldest first by the minute; every other one of the last 20 an emergency.
      const rows = Array.from({ length: 520 }, (_, i) => {
        const at = new Date(base + i * 60_000);
        return {
          ...concernRow(pupil, schoolDsp),
          recordedAt: at,
          occurredAt: at,
          indicators: i >= 500 && i % 2 === 0 ? ['immediate_danger' as const] : [],
        };
      });
      for (let i = 0; i < rows.length; i += 40)
        await testApp.dataSource.getRepository(Concern).insert(rows.slice(i, i + 40));
      await rebuildConcernStates(testApp.dataSource.manager);

      const third = await concerns.listForOrganisation(schoolDsp, 'awaiting_triage', { page: 3, pageSize: 200 });
      expect(third).toMatchObject({ page: 3, pageSize: 200, total: 520 });
      expect(third.items.map((item) => item.id)).toEqual(rows.slice(400).map((row) => row.id));
      const defaults = await concerns.listForOrganisation(schoolDsp);
      expect(defaults).toMatchObject({ page: 1, pageSize: 50, total: 520 });
      expect(defaults.items).toHaveLength(50);
      // Past the end: an empty page, still the true total.
      expect(await concerns.listForOrganisation(schoolDsp, 'closed', { page: 2 })).toMatchObject({
        items: [],
        total: 0,
      });

      const worklist = testApp.app.get(DspWorklistReader);
      const first = await worklist.forActor(schoolDsp);
      expect(first.queue.total).toBe(520);
      expect(first.emergencies).toBe(10);
      // Emergencies first, then the oldest: page 51 ends the first 500 recorded, page 52 holds the rest.
      expect(first.queue.items.map((item) => item.concernId)).toEqual(
        rows.filter((_, i) => i >= 500 && i % 2 === 0).map((row) => row.id),
      );
      const page51 = await worklist.forActor(schoolDsp, { queue: 51 });
      expect(page51.queue.items.map((item) => item.concernId)).toEqual(rows.slice(490, 500).map((row) => row.id));
      const last = await worklist.forActor(schoolDsp, { queue: 52 });
      expect(last.queue.items.map((item) => item.concernId)).toEqual(
        rows.filter((_, i) => i > 500 && i % 2 === 1).map((row) => row.id),
      );
      expect(last.queue.items.map((item) => item.concernId)).toContain(rows[501].id);
    });

    it("pages a member of staff's own concerns, newest first, with the true total", async () => {
      const school = await factory.school(orgs.la);
      const staff = await factory.actor(school, 'staff');
      const pupil = await factory.pupil(school);
      const base = Date.now() - 3600_000;
      const mine = [];
      for (let i = 0; i < 3; i += 1)
        mine.push(await factory.concern(pupil, staff, { recordedAt: new Date(base + i * 60_000) }));
      await factory.decision(mine[0], await factory.actor(school, 'dsp'));
      const first = await concerns.listRecordedBy(staff, { pageSize: 2 });
      expect(first).toMatchObject({ page: 1, pageSize: 2, total: 3 });
      expect(first.items.map((item) => item.id)).toEqual([mine[2].id, mine[1].id]);
      const second = await concerns.listRecordedBy(staff, { page: 2, pageSize: 2 });
      expect(second.items.map((item) => [item.id, item.status])).toEqual([[mine[0].id, 'open']]);
    });

    it('audits the ids of the page shown', async () => {
      const school = await factory.school(orgs.la);
      const schoolDsp = await factory.actor(school, 'dsp');
      const pupil = await factory.pupil(school);
      for (let i = 0; i < 3; i += 1) await factory.concern(pupil, schoolDsp);
      const second = await concerns.listForOrganisation(schoolDsp, undefined, { page: 2, pageSize: 2 });
      expect(second.items).toHaveLength(1);
      const entry = await (
        await auditEntries(testApp)
      ).findOneOrFail({
        where: { action: 'concern_list.viewed', actorUserId: schoolDsp.userId },
        order: { seq: 'DESC' },
      });
      expect(entry.details).toMatchObject({ page: 2, concernIds: [second.items[0].id] });
    });
  });

  describe('two DSPs at once (PostgreSQL runs these transactions concurrently)', () => {
    const outcomeOf = (result: PromiseSettledResult<unknown>) =>
      result.status === 'fulfilled' ? 'done' : ((result.reason as { code?: string }).code ?? String(result.reason));

    it('closes a concern once and refuses the other closing (422 on status), never a database error', async () => {
      const deputy = await factory.actor(orgs.schoolA, 'dsp');
      for (let i = 0; i < 5; i += 1) {
        const concern = await factory.concern(pupils.subject, people.teacherA);
        const results = await Promise.allSettled([
          concerns.close(people.dspA, concern.id, { rationale: 'One' }),
          concerns.close(deputy, concern.id, { rationale: 'Two' }),
        ]);
        expect(results.map(outcomeOf).sort()).toEqual(['done', 'rule_broken']);
      }
    });

    it('never records a decision after the closing it raced with', async () => {
      const deputy = await factory.actor(orgs.schoolA, 'dsp');
      for (let i = 0; i < 5; i += 1) {
        const concern = await factory.concern(pupils.subject, people.teacherA);
        const results = await Promise.allSettled([
          concerns.close(people.dspA, concern.id, { rationale: 'Closing' }),
          concerns.decide(deputy, concern.id, { outcome: 'monitor', rationale: 'Deciding' }),
        ]);
        const detail = await concerns.get(people.dspA, concern.id);
        const [closed, decided] = results.map(outcomeOf);
        expect(closed).toBe('done');
        if (decided === 'done')
          expect(Date.parse(detail.decisions[0].decidedAt)).toBeLessThanOrEqual(Date.parse(detail.closure!.closedAt));
        else expect(decided).toBe('rule_broken');
      }
    });
  });
});

function concernRow(pupil: Pupil, recorder: Actor): Concern {
  return {
    id: newId(),
    pupilId: pupil.id,
    organisationId: recorder.organisationId,
    ...recordedBy('recordedBy', recorder),
    recordedAt: new Date(),
    occurredAt: new Date(),
    category: 'wellbeing',
    issues: [],
    indicators: [],
    context: null,
    summary: 'Old',
    childsWords: null,
    childsWordsLanguage: null,
    childsWordsLanguageName: null,
    evidenceBasis: 'observed',
    actionTaken: null,
    bodyMap: null,
  };
}
