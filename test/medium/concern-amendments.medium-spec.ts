import { Actor } from '../../src/common/actor';
import { ChronologyService } from '../../src/chronology/chronology.service';
import { toChronologyResponse } from '../../src/chronology/chronology.mapper';
import { ForbiddenError, InvalidInputError, NotFoundError } from '../../src/common/domain-error';
import { ConcernState } from '../../src/dsp/concern-states/concern-state.entity';
import { ConcernAmendmentsService } from '../../src/dsp/concerns/concern-amendments.service';
import { Concern } from '../../src/dsp/concerns/concern.entity';
import { ConcernsService } from '../../src/dsp/concerns/concerns.service';
import { DspWorklistReader } from '../../src/dsp/dsp-worklist';
import { Pupil } from '../../src/school/pupil.entity';
import { Notification } from '../../src/notifications/notification.entity';
import { Factory } from '../support/factory';
import { bootTestApp, TestApp } from '../support/test-app';
import { setClock } from '../support/clock';
import { auditEntries } from '../support/audit-chain';

const HOUR = 3600 * 1000;
const REASON = 'I typed the wrong thing';

describe('correcting a concern (amendments)', () => {
  let testApp: TestApp;
  let factory: Factory;
  let amendments: ConcernAmendmentsService;
  let concerns: ConcernsService;
  let chronology: ChronologyService;
  let worklist: DspWorklistReader;
  let pupil: Pupil;
  let staff: Actor;
  let otherStaff: Actor;
  let dsp: Actor;
  let head: Actor;
  let otherDsp: Actor;

  beforeAll(async () => {
    testApp = await bootTestApp({ seedDemo: false });
    factory = new Factory(testApp.dataSource);
    amendments = testApp.app.get(ConcernAmendmentsService);
    concerns = testApp.app.get(ConcernsService);
    chronology = testApp.app.get(ChronologyService);
    worklist = testApp.app.get(DspWorklistReader);
    const la = await factory.localAuthority();
    const school = await factory.school(la);
    const elsewhere = await factory.school(la);
    pupil = await factory.pupil(school);
    staff = await factory.actor(school, 'staff');
    otherStaff = await factory.actor(school, 'staff');
    dsp = await factory.actor(school, 'dsp');
    head = await factory.actor(school, 'head_teacher');
    otherDsp = await factory.actor(elsewhere, 'dsp');
  });

  afterEach(() => jest.useRealTimers());
  afterAll(() => testApp.close());

  const recordedRow = (id: string) => testApp.dataSource.getRepository(Concern).findOneByOrFail({ id });

  it.each([
    ['summary', 'The child said they were hit at home on Friday evening.'],
    ['childsWords', 'Dad hit me with a belt'],
    ['occurredAt', new Date(Date.now() - 3 * HOUR).toISOString()],
    ['category', 'physical'],
    ['issues', ['domestic_abuse']],
    ['indicators', ['afraid_to_go_home']],
    ['context', 'family'],
    ['actionTaken', 'Told the head teacher at once.'],
  ] as const)(
    'its recorder corrects %s: the read shows the new value, the row keeps the original',
    async (field, value) => {
      const concern = await factory.concern(pupil, staff);
      const amendment = await amendments.amend(staff, concern.id, { field, value, reason: REASON });
      expect(amendment).toMatchObject({ field, value, reason: REASON, by: { name: staff.name, role: 'staff' } });
      const read = await concerns.get(staff, concern.id);
      expect(read[field]).toEqual(value);
      expect(read.amendments).toEqual([expect.objectContaining({ field, value, reason: REASON })]);
      // Nothing is overwritten.
      const row = await recordedRow(concern.id);
      expect(row[field] instanceof Date ? row[field].toISOString() : row[field]).toEqual(
        field === 'occurredAt' ? concern.occurredAt.toISOString() : concern[field],
      );
      const audit = await (
        await auditEntries(testApp)
      ).count({ where: { action: 'concern.amended', subjectId: concern.id } });
      expect(audit).toBe(1);
    },
  );

  it('checks the value as recording a concern does (400, nothing stored), and refuses an unchanged value (422)', async () => {
    const concern = await factory.concern(pupil, staff);
    const future = new Date(Date.now() + 2 * HOUR).toISOString();
    for (const [field, value] of [
      ['occurredAt', future],
      ['occurredAt', 'yesterday'],
      ['category', 'not_a_category'],
      ['indicators', ['no_such_indicator']],
      ['summary', ''],
      ['summary', undefined],
    ] as const)
      await expect(amendments.amend(staff, concern.id, { field, value, reason: REASON })).rejects.toBeInstanceOf(
        InvalidInputError,
      );
    await expect(
      amendments.amend(staff, concern.id, { field: 'category', value: 'wellbeing', reason: REASON }),
    ).rejects.toMatchObject({ rule: 'amendment_unchanged' });
    expect((await concerns.get(staff, concern.id)).amendments).toEqual([]);
  });

  it('lets its recorder correct it for 24 hours only; a DSP of its organisation any time; others not at all', async () => {
    const recordedAt = new Date();
    const concern = await factory.concern(pupil, staff, { recordedAt });
    setClock(new Date(recordedAt.getTime() + 23 * HOUR));
    await amendments.amend(staff, concern.id, { field: 'summary', value: 'Within the day.', reason: REASON });
    setClock(new Date(recordedAt.getTime() + 25 * HOUR));
    await expect(
      amendments.amend(staff, concern.id, { field: 'summary', value: 'Too late.', reason: REASON }),
    ).rejects.toMatchObject({ rule: 'amendment_window_closed' });
    await amendments.amend(dsp, concern.id, { field: 'summary', value: 'A DSP, later.', reason: REASON });
    await expect(
      amendments.amend(head, concern.id, { field: 'summary', value: 'The head.', reason: REASON }),
    ).rejects.toBeInstanceOf(ForbiddenError);
    await expect(
      amendments.amend(otherStaff, concern.id, { field: 'summary', value: 'Not mine.', reason: REASON }),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      amendments.amend(otherDsp, concern.id, { field: 'summary', value: 'Other school.', reason: REASON }),
    ).rejects.toBeInstanceOf(NotFoundError);
    expect((await concerns.get(dsp, concern.id)).summary).toBe('A DSP, later.');
  });

  it('works the guidance out again: adding an emergency indicator makes it an emergency, first in the queue', async () => {
    const older = await factory.concern(pupil, staff, { recordedAt: new Date(Date.now() - 2 * HOUR) });
    const concern = await factory.concern(pupil, staff);
    expect((await concerns.guidanceForConcern(dsp, concern.id)).emergency).toBe(false);
    await amendments.amend(dsp, concern.id, { field: 'indicators', value: ['immediate_danger'], reason: REASON });
    expect((await concerns.guidanceForConcern(dsp, concern.id)).emergency).toBe(true);
    const state = await testApp.dataSource.getRepository(ConcernState).findOneByOrFail({ concernId: concern.id });
    expect(state).toMatchObject({ emergency: true, triageRank: 0 });
    const queue = (await worklist.forActor(dsp)).queue.items;
    const ids = queue.map((item) => item.concernId);
    expect(ids.indexOf(concern.id)).toBeLessThan(ids.indexOf(older.id));
    expect(queue.find((item) => item.concernId === concern.id)).toMatchObject({
      emergency: true,
      indicators: ['immediate_danger'],
    });
    // A later decision refreshes the state from the records: still the corrected indicators.
    await concerns.decide(dsp, concern.id, {
      outcome: 'monitor',
      rationale: 'Watching.',
      reasonForRoute: 'The police have already taken the child somewhere safe.',
    });
    expect(
      await testApp.dataSource.getRepository(ConcernState).findOneByOrFail({ concernId: concern.id }),
    ).toMatchObject({ emergency: true });
  });

  it('tells the DSPs urgently when a correction makes a concern an emergency, once per correction', async () => {
    const concern = await factory.concern(pupil, staff);
    const told = () =>
      testApp.dataSource
        .getRepository(Notification)
        .find({ where: { userId: dsp.userId, kind: 'concern_emergency' } })
        .then((rows) => rows.filter((row) => row.link === `/concerns/${concern.id}`));
    await amendments.amend(staff, concern.id, { field: 'indicators', value: ['afraid_to_go_home'], reason: REASON });
    expect(await told()).toEqual([]);
    await amendments.amend(staff, concern.id, { field: 'indicators', value: ['immediate_danger'], reason: REASON });
    const [notice, ...more] = await told();
    expect(more).toEqual([]);
    expect(notice).toMatchObject({ urgent: true, titleKey: 'notifications.titles.concern_emergency' });
    expect(JSON.stringify(notice.titleParams)).not.toContain(pupil.firstName);
  });

  it('closes its recorder’s window once a DSP has acted on it, and refuses a list cleared with null (400)', async () => {
    const concern = await factory.concern(pupil, staff);
    await expect(
      amendments.amend(staff, concern.id, { field: 'issues', value: null, reason: REASON }),
    ).rejects.toBeInstanceOf(InvalidInputError);
    await concerns.decide(dsp, concern.id, { outcome: 'monitor', rationale: 'Watching.' });
    await expect(
      amendments.amend(staff, concern.id, { field: 'summary', value: 'After the decision.', reason: REASON }),
    ).rejects.toMatchObject({ rule: 'amendment_after_triage' });
    expect(await amendments.mayAmend(staff, concern.id)).toBe(false);
    await amendments.amend(dsp, concern.id, { field: 'summary', value: 'The DSP still may.', reason: REASON });
  });

  it('shows the current values in the lists and the chronology, in the order of the corrected time, with the correction', async () => {
    const school = await factory.school(await factory.localAuthority());
    const child = await factory.pupil(school);
    const recorder = await factory.actor(school, 'dsp');
    const first = await factory.concern(child, recorder, { recordedAt: new Date(Date.now() - 5 * HOUR) });
    const second = await factory.concern(child, recorder, { recordedAt: new Date(Date.now() - 4 * HOUR) });
    const earlier = new Date(Date.now() - 6 * HOUR).toISOString();
    await amendments.amend(recorder, second.id, { field: 'occurredAt', value: earlier, reason: 'Wrong time' });
    await amendments.amend(recorder, second.id, { field: 'summary', value: 'Corrected summary.', reason: 'Typo' });
    const list = await concerns.listForOrganisation(recorder);
    expect(list.items.find((item) => item.id === second.id)).toMatchObject({ occurredAt: earlier });
    const { entries } = toChronologyResponse(await chronology.forPupil(recorder, child.id), 'en');
    const concernEntries = entries.filter((entry) => entry.kind === 'concern_recorded');
    expect(concernEntries.map((entry) => entry.concernId)).toEqual([second.id, first.id]);
    expect(concernEntries[0]).toMatchObject({ at: earlier, detail: 'Corrected summary.' });
    const corrections = entries.filter((entry) => entry.kind === 'concern_amended');
    expect(corrections).toHaveLength(2);
    expect(corrections.map((entry) => entry.detail).sort()).toEqual(['Typo', 'Wrong time']);
    expect(corrections[0].actor).toEqual({ name: recorder.name, role: 'dsp' });
  });
});
