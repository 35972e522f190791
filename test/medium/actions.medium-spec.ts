import { unionOfJsonRows } from '../../src/database/json-rows';
import { Actor } from '../../src/common/actor';
import { ForbiddenError, NotFoundError } from '../../src/common/domain-error';
import { ActionCompletion } from '../../src/dsp/actions/action-completion.entity';
import { ActionRuleError } from '../../src/dsp/actions/action-errors';
import { ActionEvents } from '../../src/dsp/actions/action-events';
import { ActionReminders } from '../../src/dsp/actions/action-reminders';
import { Action } from '../../src/dsp/actions/action.entity';
import { Notification } from '../../src/notifications/notification.entity';
import { ActionsService } from '../../src/dsp/actions/actions.service';
import { ConcernsService } from '../../src/dsp/concerns/concerns.service';
import { Concern } from '../../src/dsp/concerns/concern.entity';
import { Organisation } from '../../src/organisations/organisation.entity';
import { User } from '../../src/organisations/user.entity';
import { Pupil } from '../../src/school/pupil.entity';
import { Factory } from '../support/factory';
import { bootTestApp, TestApp } from '../support/test-app';
import { setClock } from '../support/clock';
import { auditEntries } from '../support/audit-chain';

const rejection = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (error: unknown) => error,
  );
const ruleOf = async (promise: Promise<unknown>) => {
  const error = await rejection(promise);
  return error instanceof ActionRuleError ? error.rule : error;
};

/**
 * Actions through the real services on a migrated database: who may set and complete them, the rules,
 * the completion as an appended record, "my actions" in order with overdue first, the chronology's
 * entries and the reminder source's events as the London calendar moves on.
 */
describe(ActionsService.name, () => {
  let testApp: TestApp;
  let actions: ActionsService;
  let concerns: ConcernsService;
  let reminders: ActionReminders;
  let events: ActionEvents;
  let factory: Factory;
  let school: Organisation;
  let pupil: Pupil;
  let concern: Concern;
  const people = {} as Record<
    'dsp' | 'head' | 'recorder' | 'staff' | 'otherDsp' | 'otherStaff' | 'mash' | 'gone',
    Actor
  >;
  const task = (assignee: Actor, dueOn: string, description = 'Check in with the pupil') =>
    actions.set(people.dsp, concern.id, { description, assigneeUserId: assignee.userId, dueOn });

  beforeAll(async () => {
    testApp = await bootTestApp({ seedDemo: false });
    actions = testApp.app.get(ActionsService);
    concerns = testApp.app.get(ConcernsService);
    reminders = testApp.app.get(ActionReminders);
    events = testApp.app.get(ActionEvents);
    factory = new Factory(testApp.dataSource);
    const la = await factory.localAuthority();
    school = await factory.school(la, { name: 'Riverside Primary' });
    const other = await factory.school(la);
    people.dsp = await factory.actor(school, 'dsp');
    people.head = await factory.actor(school, 'head_teacher');
    people.recorder = await factory.actor(school, 'staff');
    people.staff = await factory.actor(school, 'staff');
    people.gone = await factory.actor(school, 'staff');
    people.otherDsp = await factory.actor(other, 'dsp');
    people.otherStaff = await factory.actor(other, 'staff');
    people.mash = await factory.actor(la, 'la_mash');
    await testApp.dataSource.getRepository(User).update({ id: people.gone.userId }, { active: false });
    pupil = await factory.pupil(school);
    concern = await factory.concern(pupil, people.recorder);
  });

  afterEach(() => jest.useRealTimers());
  afterAll(() => testApp.close());

  describe('setting an action', () => {
    it('judges "in the past" on the London calendar', async () => {
      setClock('2026-06-30T23:30:00Z'); // 00:30 on 1 July in London
      expect(await ruleOf(task(people.staff, '2026-06-30'))).toBe('due_in_past');
      const set = await task(people.staff, '2026-07-01');
      expect(set).toMatchObject({ dueOn: '2026-07-01', status: 'open', overdue: false });
    });

    it('gives it only to an active staff member, DSP or head teacher of the concern’s organisation', async () => {
      const dueOn = '2099-01-01';
      for (const who of [people.otherStaff, people.otherDsp, people.mash, people.gone])
        expect(await ruleOf(task(who, dueOn))).toBe('assignee_not_in_organisation');
      for (const who of [people.staff, people.dsp, people.head])
        expect((await task(who, dueOn)).assignee.id).toBe(who.userId);
    });

    it('refuses the roles and organisations that may not: 403 for those who read the concern, 404 for the rest', async () => {
      const body = { description: 'x', assigneeUserId: people.staff.userId, dueOn: '2099-01-01' };
      expect(await rejection(actions.set(people.head, concern.id, body))).toBeInstanceOf(ForbiddenError);
      // The member of staff who recorded it reads it, but does not set actions.
      expect(await rejection(actions.set(people.recorder, concern.id, body))).toBeInstanceOf(ForbiddenError);
      for (const who of [people.staff, people.otherDsp, people.otherStaff, people.mash])
        expect(await rejection(actions.set(who, concern.id, body))).toBeInstanceOf(NotFoundError);
    });

    it('refuses a closed concern', async () => {
      const closedOne = await factory.concern(pupil, people.recorder);
      await concerns.close(people.dsp, closedOne.id, { rationale: 'Resolved with the family.' });
      expect(
        await ruleOf(
          actions.set(people.dsp, closedOne.id, {
            description: 'x',
            assigneeUserId: people.staff.userId,
            dueOn: '2099-01-01',
          }),
        ),
      ).toBe('concern_closed');
    });

    it('is audited in the same transaction, subject the concern', async () => {
      const set = await task(people.staff, '2099-02-01');
      const entries = await (
        await auditEntries(testApp)
      ).find({ where: { action: 'action.created', subjectId: concern.id } });
      expect(entries.some((entry) => JSON.stringify(entry.details).includes(set.id))).toBe(true);
    });
    it('tells the assignee at once (their list, no pupil or description in the title), never the DSP who set it for themselves', async () => {
      const set = await task(people.staff, '2099-02-02', 'Ring the school nurse about the pupil');
      const told = await testApp.dataSource
        .getRepository(Notification)
        .find({ where: { kind: 'action_assigned', eventKey: set.id } });
      expect(told.map((row) => [row.userId, row.link])).toEqual([[people.staff.userId, '/actions']]);
      expect(JSON.stringify(told[0].titleParams)).not.toMatch(/nurse|pupil/i);
      const own = await task(people.dsp, '2099-02-02');
      expect(
        await testApp.dataSource
          .getRepository(Notification)
          .count({ where: { kind: 'action_assigned', eventKey: own.id } }),
      ).toBe(0);
    });
  });

  describe('completing', () => {
    it('appends a completion, leaves the action row as it was, and refuses a second', async () => {
      const set = await task(people.staff, '2099-03-01');
      const before = await testApp.dataSource.getRepository(Action).findOneByOrFail({ id: set.id });
      expect(await rejection(actions.complete(people.otherDsp, set.id, { note: 'x' }))).toBeInstanceOf(NotFoundError);
      expect(await rejection(actions.complete(people.recorder, set.id, { note: 'x' }))).toBeInstanceOf(ForbiddenError);
      expect(await rejection(actions.complete(people.head, set.id, { note: 'x' }))).toBeInstanceOf(ForbiddenError);
      const done = await actions.complete(people.staff, set.id, { note: 'Spoke to them at break' });
      expect(done).toMatchObject({ status: 'done', completion: { note: 'Spoke to them at break' } });
      expect(await ruleOf(actions.complete(people.dsp, set.id, { note: 'again' }))).toBe('action_already_completed');
      expect(await testApp.dataSource.getRepository(Action).findOneByOrFail({ id: set.id })).toEqual(before);
      expect(await testApp.dataSource.getRepository(ActionCompletion).countBy({ actionId: set.id })).toBe(1);
      // The concern's read shows it done, with who and the note.
      const detail = await concerns.get(people.dsp, concern.id);
      expect(detail.actions.find((a) => a.id === set.id)?.completion?.by.name).toBe(people.staff.name);
    });

    it('a DSP of the organisation completes someone else’s action', async () => {
      const set = await task(people.head, '2099-03-02');
      expect((await actions.complete(people.dsp, set.id, { note: 'Done by the DSP' })).status).toBe('done');
    });

    it('another school’s DSP never completes one of ours', async () => {
      const set = await task(people.staff, '2099-03-03');
      await expect(actions.complete(people.otherDsp, set.id, { note: 'x' })).rejects.toBeInstanceOf(NotFoundError);
      // Not even by setting one of its own on our concern.
      await expect(
        actions.set(people.otherDsp, concern.id, {
          description: 'x',
          assigneeUserId: people.otherStaff.userId,
          dueOn: '2099-01-01',
        }),
      ).rejects.toBeInstanceOf(NotFoundError);
    });
  });

  describe('"my actions" and the reminders as the days go by', () => {
    let person: Actor;
    const ids: Record<string, string> = {};

    beforeAll(async () => {
      person = await factory.actor(school, 'staff', { name: 'Alys Reminded' });
      setClock('2026-11-02T09:00:00Z'); // Monday
      for (const dueOn of ['2026-11-06', '2026-11-02', '2026-11-04', '2026-11-03'])
        ids[dueOn] = (await task(person, dueOn, `Due ${dueOn}`)).id;
      ids.done = (await task(person, '2026-11-02', 'Done already')).id;
      await actions.complete(person, ids.done, { note: 'Done' });
      jest.useRealTimers();
    });

    it('lists open ones by due date, the overdue first and marked, then done; paged with a true total', async () => {
      setClock('2026-11-04T10:00:00Z');
      const all = await actions.list(person, {});
      expect(all.total).toBe(5);
      expect(all.items.map((a) => [a.dueOn, a.overdue, a.status])).toEqual([
        ['2026-11-02', true, 'open'],
        ['2026-11-03', true, 'open'],
        ['2026-11-04', false, 'open'],
        ['2026-11-06', false, 'open'],
        ['2026-11-02', false, 'done'],
      ]);
      expect(all.items[0].pupil).toEqual({ id: pupil.id, firstName: pupil.firstName, lastName: pupil.lastName });
      const overdue = await actions.list(person, { status: 'overdue' });
      expect(overdue.items.map((a) => a.dueOn)).toEqual(['2026-11-02', '2026-11-03']);
      const page2 = await actions.list(person, { status: 'open', page: 2, pageSize: 3 });
      expect({ total: page2.total, dueOn: page2.items.map((a) => a.dueOn) }).toEqual({
        total: 4,
        dueOn: ['2026-11-06'],
      });
      expect((await actions.list(person, { status: 'done' })).items.map((a) => a.id)).toEqual([ids.done]);
      expect(await actions.counts(person)).toEqual({ open: 4, overdue: 2 });
      // Someone else's list does not show them.
      expect((await actions.list(people.head, {})).items.some((a) => a.assignee.id === person.userId)).toBe(false);
      // The organisation's list (a DSP) does.
      expect(
        (await actions.list(people.dsp, { assignee: 'any', pageSize: 200 })).items.filter(
          (a) => a.assignee.id === person.userId,
        ),
      ).toHaveLength(5);
      await expect(actions.list(people.mash, {})).rejects.toBeInstanceOf(ForbiddenError);
      await expect(actions.list(person, { assignee: 'any' })).rejects.toBeInstanceOf(ForbiddenError);
    });

    it('the list is audited with the pupils it showed; the dashboard’s glance is not', async () => {
      const audits = async () =>
        (await auditEntries(testApp)).countBy({ action: 'action_list.viewed', actorUserId: person.userId });
      const before = await audits();
      await actions.list(person, { audited: false });
      expect(await audits()).toBe(before);
      await actions.list(person, {});
      expect(await audits()).toBe(before + 1);
    });

    it('the reminder source: due on the day, overdue from the day after, nothing once done or long past', async () => {
      const mine = (found: Awaited<ReturnType<ActionReminders['due']>>) =>
        found.filter((event) => event.userIds.includes(person.userId));
      const onMonday = mine(await reminders.due(testApp.dataSource.manager, new Date('2026-11-02T07:00:00Z')));
      expect(onMonday.map((e) => [e.kind, e.eventKey])).toEqual([['action_due', `${ids['2026-11-02']}:due`]]);
      expect(onMonday[0]).toMatchObject({ link: '/actions', title: { key: 'actions.notifications.due' } });
      expect(JSON.stringify(onMonday[0].title)).not.toContain(pupil.lastName);
      expect(JSON.stringify(onMonday[0].title)).not.toContain('Due 2026');

      const onWednesday = mine(await reminders.due(testApp.dataSource.manager, new Date('2026-11-04T07:00:00Z')));
      expect(onWednesday.map((e) => e.eventKey).sort()).toEqual(
        [`${ids['2026-11-02']}:overdue`, `${ids['2026-11-03']}:overdue`, `${ids['2026-11-04']}:due`].sort(),
      );
      // Just before midnight in London (BST does not apply in November: UTC) it is still Wednesday.
      const lateWednesday = mine(await reminders.due(testApp.dataSource.manager, new Date('2026-11-04T23:59:00Z')));
      expect(lateWednesday.some((e) => e.eventKey === `${ids['2026-11-06']}:due`)).toBe(false);

      // Long past: a week and more after the due day nothing is raised any more.
      const later = mine(await reminders.due(testApp.dataSource.manager, new Date('2026-11-20T07:00:00Z')));
      expect(later).toEqual([]);
      // The done one never.
      expect(onMonday.some((e) => e.eventKey.startsWith(ids.done))).toBe(false);
    });

    it('the chronology holds each action set and completed', async () => {
      const manager = testApp.dataSource.manager;
      const rowsOf = await unionOfJsonRows(manager, events.branches(manager), { pupilId: pupil.id });
      const found = events.eventsFrom(manager, rowsOf);
      expect(found.filter((e) => e.id === `action:${ids.done}:set`)).toHaveLength(1);
      const completed = found.find((e) => e.id === `action:${ids.done}:completed`);
      expect(completed).toMatchObject({ kind: 'action_completed', detail: 'Done', actor: { name: 'Alys Reminded' } });
    });
  });
});
