import { Actor } from '../../src/common/actor';
import { message } from '../../src/common/language';
import { UnitOfWork } from '../../src/database/unit-of-work';
import { ConcernsService } from '../../src/dsp/concerns/concerns.service';
import { RecordConcernDto } from '../../src/dsp/concerns/dto/record-concern.dto';
import { Notification } from '../../src/notifications/notification.entity';
import { NotificationEvent, NotificationsService } from '../../src/notifications/notifications.service';
import { Membership } from '../../src/organisations/membership.entity';
import { Organisation } from '../../src/organisations/organisation.entity';
import { User } from '../../src/organisations/user.entity';
import { Pupil } from '../../src/school/pupil.entity';
import { Factory } from '../support/factory';
import { bootTestApp, TestApp } from '../support/test-app';

/**
 * In-app notifications on a real migrated database: an event is stored once per person whoever raises
 * it how often, nothing is raised by a change that rolls back, and a new concern tells the DSPs of every
 * organisation where the pupil is enrolled now (both, during a PRU placement), and nobody else.
 */
describe('notifications', () => {
  let testApp: TestApp;
  let notifications: NotificationsService;
  let concerns: ConcernsService;
  let unitOfWork: UnitOfWork;
  let factory: Factory;
  let la: Organisation;

  beforeAll(async () => {
    testApp = await bootTestApp({ seedDemo: false });
    notifications = testApp.app.get(NotificationsService);
    concerns = testApp.app.get(ConcernsService);
    unitOfWork = testApp.app.get(UnitOfWork);
    factory = new Factory(testApp.dataSource);
    la = await factory.localAuthority();
  });

  afterAll(() => testApp.close());

  const storedFor = (userId: string, eventKey?: string) =>
    testApp.dataSource.getRepository(Notification).find({ where: { userId, ...(eventKey ? { eventKey } : {}) } });

  const event = (userIds: string[], eventKey: string, kind: NotificationEvent['kind'] = 'concern_recorded') => ({
    kind,
    eventKey,
    userIds,
    link: `/concerns/${eventKey}`,
    title: message('notifications.titles.concern_recorded', {
      organisation: { name: 'Bridge PRU', nameCy: 'UCD y Bont' },
      category: message('concernCategories.neglect'),
    }),
  });

  describe('NotificationsService.notify', () => {
    let school: Organisation;
    beforeAll(async () => {
      school = await factory.school(la);
    });

    it('stores the same event for the same person once, however often it is raised', async () => {
      const [a, b] = [await factory.actor(school, 'dsp'), await factory.actor(school, 'dsp')];
      const key = 'event-once';
      const first = await unitOfWork.run((manager) => notifications.notify(manager, event([a.userId, a.userId], key)));
      const again = await unitOfWork.run((manager) => notifications.notify(manager, event([a.userId, b.userId], key)));
      expect(first).toEqual([a.userId]);
      expect(again).toEqual([b.userId]);
      expect(await storedFor(a.userId, key)).toHaveLength(1);
      expect(await storedFor(b.userId, key)).toHaveLength(1);
    });

    it('stores one when two transactions raise the same event at the same time', async () => {
      const person = await factory.actor(school, 'dsp');
      const raised = await Promise.all(
        [1, 2, 3].map(() =>
          unitOfWork.run((manager) => notifications.notify(manager, event([person.userId], 'event-racing'))),
        ),
      );
      expect(raised.flat()).toEqual([person.userId]);
      expect(await storedFor(person.userId, 'event-racing')).toHaveLength(1);
    });

    it('keeps another kind of the same event apart', async () => {
      const person = await factory.actor(school, 'dsp');
      await unitOfWork.run((manager) => notifications.notify(manager, event([person.userId], 'event-kinds')));
      await unitOfWork.run((manager) =>
        notifications.notify(manager, event([person.userId], 'event-kinds', 'referral_answered')),
      );
      expect((await storedFor(person.userId, 'event-kinds')).map((n) => n.kind).sort()).toEqual([
        'concern_recorded',
        'referral_answered',
      ]);
    });

    it('raises nothing when the change that raised it rolls back', async () => {
      const person = await factory.actor(school, 'dsp');
      await expect(
        unitOfWork.run(async (manager) => {
          await notifications.notify(manager, event([person.userId], 'event-rolled-back'));
          throw new Error('the change failed');
        }),
      ).rejects.toThrow('the change failed');
      expect(await storedFor(person.userId)).toHaveLength(0);
    });

    it("pages a person's own, newest first, with the true total; marks one and all read", async () => {
      const person = await factory.actor(school, 'dsp');
      const other = await factory.actor(school, 'dsp');
      for (let n = 1; n <= 5; n += 1)
        await unitOfWork.run((manager) => notifications.notify(manager, event([person.userId], `paged-${n}`)));
      await unitOfWork.run((manager) => notifications.notify(manager, event([other.userId], 'paged-other')));

      const pages = [1, 2, 3].map((page) => notifications.list(person, { page, pageSize: 2 }));
      const listed = await Promise.all(pages);
      expect(listed.map((p) => [p.items.length, p.total])).toEqual([
        [2, 5],
        [2, 5],
        [1, 5],
      ]);
      const all = listed.flatMap((p) => p.items);
      expect(new Set(all.map((n) => n.link)).size).toBe(5);
      const times = all.map((n) => n.createdAt.getTime());
      expect([...times].sort((a, b) => b - a)).toEqual(times);
      expect(await notifications.unreadCount(person)).toBe(5);

      await notifications.markRead(person, all[0].id);
      await notifications.markRead(person, all[0].id);
      await expect(notifications.markRead(other, all[1].id)).rejects.toMatchObject({ code: 'not_found' });
      expect(await notifications.unreadCount(person)).toBe(4);
      expect((await notifications.list(person, { unread: true })).total).toBe(4);

      await notifications.markAllRead(person);
      expect(await notifications.unreadCount(person)).toBe(0);
      expect(await notifications.unreadCount(other)).toBe(1);
    });
  });

  describe('a concern recorded', () => {
    let home: Organisation;
    let pru: Organisation;
    let elsewhere: Organisation;
    let placed: Pupil;
    let homeOnly: Pupil;
    const people = {} as Record<
      'homeDsp' | 'homeDsp2' | 'pruDsp' | 'elsewhereDsp' | 'homeStaff' | 'homeHead' | 'deactivated' | 'ended',
      Actor
    >;

    beforeAll(async () => {
      home = await factory.school(la, { name: 'Hillcrest High', nameCy: 'Ysgol Uwchradd Bryn Celyn' });
      pru = await factory.pru(la, { name: 'Bridge PRU', nameCy: 'UCD y Bont' });
      elsewhere = await factory.school(la);
      placed = await factory.pupil(home, { firstName: 'Kai', lastName: 'Morgan' });
      await factory.enrol(placed, pru, 'dual');
      homeOnly = await factory.pupil(home);
      // A placement at the PRU that has ended: the PRU is no longer told.
      await factory.enrol(homeOnly, pru, 'dual', '2025-12-19');
      people.homeDsp = await factory.actor(home, 'dsp');
      people.homeDsp2 = await factory.actor(home, 'dsp');
      people.pruDsp = await factory.actor(pru, 'dsp');
      people.elsewhereDsp = await factory.actor(elsewhere, 'dsp');
      people.homeStaff = await factory.actor(home, 'staff');
      people.homeHead = await factory.actor(home, 'head_teacher');
      people.deactivated = await factory.actor(home, 'dsp');
      await testApp.dataSource.getRepository(User).update({ id: people.deactivated.userId }, { active: false });
      people.ended = await factory.actor(home, 'dsp');
      await testApp.dataSource
        .getRepository(Membership)
        .update({ id: people.ended.membershipId }, { endedAt: new Date('2025-12-01T12:00:00Z') });
    });

    const record = (by: Actor, pupil: Pupil, overrides: Partial<RecordConcernDto> = {}) =>
      concerns.record(by, {
        pupilId: pupil.id,
        occurredAt: new Date(Date.now() - 3_600_000).toISOString(),
        category: 'neglect',
        summary: 'Kai said there was no food at home again',
        evidenceBasis: 'observed',
        ...overrides,
      });

    const toldOf = async (concernId: string) => {
      const rows = await testApp.dataSource.getRepository(Notification).find({ where: { eventKey: concernId } });
      const names = Object.entries(people)
        .filter(([, actor]) => rows.some((row) => row.userId === actor.userId))
        .map(([name]) => name);
      return { names: names.sort(), rows };
    };

    it("tells the home school's DSPs of the PRU's concern during a placement, and not the recorder", async () => {
      const concern = await record(people.pruDsp, placed);
      const { names, rows } = await toldOf(concern.id);
      expect(names).toEqual(['homeDsp', 'homeDsp2']);
      expect(rows[0]).toMatchObject({
        kind: 'concern_recorded',
        link: `/concerns/${concern.id}`,
        urgent: false,
        readAt: null,
        titleKey: 'notifications.titles.concern_recorded',
      });
      // The title outlives access: no pupil's name and none of the concern's words.
      const stored = JSON.stringify(rows[0].titleParams);
      expect(stored).toContain('UCD y Bont');
      expect(stored).not.toMatch(/Kai|Morgan|food/);
    });

    it("tells both organisations' DSPs of the home school's concern during a placement", async () => {
      const concern = await record(people.homeStaff, placed);
      expect((await toldOf(concern.id)).names).toEqual(['homeDsp', 'homeDsp2', 'pruDsp']);
    });

    it('tells only the recording organisation’s DSPs when the pupil is enrolled nowhere else now', async () => {
      const concern = await record(people.homeDsp, homeOnly);
      expect((await toldOf(concern.id)).names).toEqual(['homeDsp2']);
    });

    it('still tells an organisation the pupil leaves on a day still to come', async () => {
      const leaving = await factory.pupil(home);
      await factory.enrol(leaving, pru, 'dual', '2099-07-20');
      const concern = await record(people.homeStaff, leaving);
      expect((await toldOf(concern.id)).names).toEqual(['homeDsp', 'homeDsp2', 'pruDsp']);
    });

    it('marks a concern with an emergency indicator urgent', async () => {
      const concern = await record(people.homeStaff, homeOnly, { indicators: ['suicidal_intent'] });
      const { names, rows } = await toldOf(concern.id);
      expect(names).toEqual(['homeDsp', 'homeDsp2']);
      expect(rows.every((row) => row.urgent)).toBe(true);
    });
  });
});
