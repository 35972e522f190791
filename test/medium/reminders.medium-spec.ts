import { Actor } from '../../src/common/actor';
import { newId } from '../../src/common/ids';
import { message } from '../../src/common/language';
import { UnitOfWork } from '../../src/database/unit-of-work';
import { ConcernsService } from '../../src/dsp/concerns/concerns.service';
import { RecordConcernDto } from '../../src/dsp/concerns/dto/record-concern.dto';
import { EscalationsService } from '../../src/dsp/escalations/escalations.service';
import { InboxService } from '../../src/local-authority/inbox.service';
import { NotificationKind } from '../../src/notifications/notification-kinds';
import { Notification } from '../../src/notifications/notification.entity';
import { NotificationsService } from '../../src/notifications/notifications.service';
import { Organisation } from '../../src/organisations/organisation.entity';
import { User } from '../../src/organisations/user.entity';
import { ReminderSweep } from '../../src/reminders/reminder-sweep';
import { FIRST_TRANSFER, Transfer } from '../../src/transfers/transfer.entity';
import { TransferReceipt } from '../../src/transfers/transfer-receipt.entity';
import { Factory } from '../support/factory';
import { SmtpInbox } from '../support/smtp-inbox';
import { bootTestApp, TestApp } from '../support/test-app';

/**
 * The remaining notification kinds on a real migrated database, with the clock moved rather than waited
 * for (`ReminderSweep.runOnce(now)`): each raised when due and not before, to the right people, exactly
 * once however often the sweep runs; and each emailed once, through a real SMTP server, in the person's
 * language, never to someone who turned email off, with no pupil's name.
 */
describe('reminders and notification emails', () => {
  let testApp: TestApp;
  let smtp: SmtpInbox;
  let sweep: ReminderSweep;
  let factory: Factory;
  let concerns: ConcernsService;
  let escalations: EscalationsService;
  let laInbox: InboxService;
  let notifications: NotificationsService;
  let unitOfWork: UnitOfWork;
  const orgs = {} as Record<'la' | 'school' | 'otherSchool', Organisation>;
  const people = {} as Record<
    'dsp' | 'welshDsp' | 'quietDsp' | 'otherDsp' | 'mash' | 'earlyHelp' | 'lead' | 'staff',
    Actor
  >;

  beforeAll(async () => {
    smtp = await SmtpInbox.start();
    testApp = await bootTestApp({ seedDemo: false, env: { SMTP_URL: smtp.url, APP_URL: 'https://sg.example' } });
    sweep = testApp.app.get(ReminderSweep);
    factory = new Factory(testApp.dataSource);
    concerns = testApp.app.get(ConcernsService);
    escalations = testApp.app.get(EscalationsService);
    laInbox = testApp.app.get(InboxService);
    notifications = testApp.app.get(NotificationsService);
    unitOfWork = testApp.app.get(UnitOfWork);
    orgs.la = await factory.localAuthority({ name: 'Cardiff Council', nameCy: 'Cyngor Caerdydd' });
    orgs.school = await factory.school(orgs.la, { name: 'Ysgol Bryn', nameCy: 'Ysgol y Bryn' });
    orgs.otherSchool = await factory.school(orgs.la, { name: 'Heath Primary' });
    people.dsp = await factory.actor(orgs.school, 'dsp');
    people.welshDsp = await factory.actor(orgs.school, 'dsp', { language: 'cy' });
    people.quietDsp = await factory.actor(orgs.school, 'dsp');
    await testApp.dataSource.getRepository(User).update({ id: people.quietDsp.userId }, { emailNotifications: false });
    people.staff = await factory.actor(orgs.school, 'staff');
    people.otherDsp = await factory.actor(orgs.otherSchool, 'dsp');
    people.mash = await factory.actor(orgs.la, 'la_mash');
    people.earlyHelp = await factory.actor(orgs.la, 'la_early_help');
    people.lead = await factory.actor(orgs.la, 'la_lead');
  });

  afterAll(async () => {
    await testApp.close();
    await smtp.close();
  });

  const stored = (kind: NotificationKind, eventKey: string) =>
    testApp.dataSource.getRepository(Notification).find({ where: { kind, eventKey } });
  const recipients = async (kind: NotificationKind, eventKey: string) =>
    (await stored(kind, eventKey)).map((row) => row.userId).sort();
  const ids = (...actors: Actor[]) => actors.map((actor) => actor.userId).sort();
  const schoolDsps = () => ids(people.dsp, people.welshDsp, people.quietDsp);
  const at = (iso: string) => new Date(iso);

  const concernAbout = async (fields: Partial<RecordConcernDto> = {}) => {
    const pupil = await factory.pupil(orgs.school, { firstName: 'Zebedee', lastName: 'Quartermaine' });
    return concerns.record(people.dsp, {
      pupilId: pupil.id,
      occurredAt: new Date(Date.now() - 3600 * 1000).toISOString(),
      category: 'wellbeing',
      summary: 'Words nobody may email',
      evidenceBasis: 'observed',
      ...fields,
    });
  };

  describe('raised in their owners’ transactions', () => {
    it('tells the receiving team of a referral, and the sending DSPs of its acknowledgement and outcome', async () => {
      const concern = await concernAbout({ indicators: ['disclosure_of_abuse'] });
      const sent = await escalations.send(people.dsp, concern.id, {
        route: 'mash',
        consent: { sought: true, given: true, givenBy: 'Mother' },
      });
      expect(await recipients('referral_received', sent.id)).toEqual(ids(people.mash));
      const [received] = await stored('referral_received', sent.id);
      expect(received.link).toBe(`/la/escalations/${sent.id}`);
      expect(JSON.stringify(received.titleParams)).not.toContain('Zebedee');

      await laInbox.acknowledge(people.mash, sent.id);
      expect(await recipients('referral_answered', `${sent.id}:acknowledged`)).toEqual(schoolDsps());
      await laInbox.recordOutcome(people.mash, sent.id, { outcome: 'redirect_early_help', note: 'Family help first' });
      expect(await recipients('referral_answered', `${sent.id}:outcome`)).toEqual(schoolDsps());
      // MASH's redirect is a new referral for the early-help team.
      const redirected = await testApp.dataSource
        .getRepository(Notification)
        .findOneByOrFail({ kind: 'referral_received', userId: people.earlyHelp.userId });
      expect(redirected.titleKey).toBe('notifications.titles.referral_received');
    });

    it('raises nothing when the change is refused', async () => {
      const concern = await concernAbout();
      const before = await testApp.dataSource
        .getRepository(Notification)
        .count({ where: { kind: 'referral_received' } });
      await expect(
        escalations.send(people.dsp, concern.id, { route: 'early_help', consent: { sought: false } }),
      ).rejects.toBeDefined();
      expect(await testApp.dataSource.getRepository(Notification).count({ where: { kind: 'referral_received' } })).toBe(
        before,
      );
    });
  });

  describe('the sweep', () => {
    it('raises referral_overdue one working day after receipt, to the team and the LA lead, once', async () => {
      const concern = await factory.concern(await factory.pupil(orgs.school), people.dsp);
      // Monday 2 March 2026, 10:00 London (GMT): due on Tuesday at 10:00.
      const referral = await factory.escalation(concern, people.dsp, { sentAt: at('2026-03-02T10:00:00Z') });
      const decided = await factory.escalation(
        await factory.concern(await factory.pupil(orgs.school), people.dsp),
        people.dsp,
        {
          sentAt: at('2026-03-02T10:00:00Z'),
        },
      );
      await factory.outcome(decided, people.mash);
      const key = `${referral.id}:overdue`;

      await sweep.runOnce(at('2026-03-03T09:59:00Z'));
      expect(await recipients('referral_overdue', key)).toEqual([]);
      await sweep.runOnce(at('2026-03-03T10:01:00Z'));
      expect(await recipients('referral_overdue', key)).toEqual(ids(people.mash, people.lead));
      await sweep.runOnce(at('2026-03-03T10:02:00Z'));
      await sweep.runOnce(at('2026-03-04T10:02:00Z'));
      expect(await stored('referral_overdue', key)).toHaveLength(2);
      expect(await stored('referral_overdue', `${decided.id}:overdue`)).toEqual([]);
    });

    it('raises referral_chase after 7 working days without an acknowledgement, to the sending DSPs, once', async () => {
      const sentAt = at('2026-03-02T10:00:00Z');
      const waiting = await factory.escalation(
        await factory.concern(await factory.pupil(orgs.school), people.dsp),
        people.dsp,
        {
          sentAt,
        },
      );
      const acknowledged = await factory.escalation(
        await factory.concern(await factory.pupil(orgs.school), people.dsp),
        people.dsp,
        { sentAt },
      );
      await factory.acknowledgement(acknowledged, people.mash, at('2026-03-02T11:00:00Z'));

      await sweep.runOnce(at('2026-03-10T10:00:00Z')); // 6 working days
      expect(await recipients('referral_chase', `${waiting.id}:chase`)).toEqual([]);
      await sweep.runOnce(at('2026-03-11T10:01:00Z')); // 7 working days
      await sweep.runOnce(at('2026-03-11T10:02:00Z'));
      expect(await recipients('referral_chase', `${waiting.id}:chase`)).toEqual(schoolDsps());
      expect(await recipients('referral_chase', `${acknowledged.id}:chase`)).toEqual([]);
    });

    it('reminds the DSPs to confirm a phone report in writing 24 hours after the call, until the referral is sent', async () => {
      const phonedAt = new Date(Date.now() - 2 * 3600 * 1000);
      const pending = await factory.concern(await factory.pupil(orgs.school), people.dsp);
      const decision = await factory.decision(pending, people.dsp, { outcome: 'mash', phonedAt });
      const confirmed = await factory.concern(await factory.pupil(orgs.school), people.dsp);
      const confirmedDecision = await factory.decision(confirmed, people.dsp, { outcome: 'mash', phonedAt });
      await factory.escalation(confirmed, people.dsp);
      const key = `${decision.id}:confirm_in_writing`;

      await sweep.runOnce(new Date(phonedAt.getTime() + 23 * 3600 * 1000));
      expect(await recipients('referral_confirm_in_writing', key)).toEqual([]);
      await sweep.runOnce(new Date(phonedAt.getTime() + 25 * 3600 * 1000));
      await sweep.runOnce(new Date(phonedAt.getTime() + 26 * 3600 * 1000));
      expect(await recipients('referral_confirm_in_writing', key)).toEqual(schoolDsps());
      expect(await stored('referral_confirm_in_writing', `${confirmedDecision.id}:confirm_in_writing`)).toEqual([]);
    });

    it('raises transfer_overdue once past its due time while not received, to both schools’ DSPs', async () => {
      const transferOf = async (received: boolean) => {
        const pupil = await factory.pupil(orgs.school);
        const transfer: Transfer = {
          id: newId(),
          pupilId: pupil.id,
          previousTransferId: FIRST_TRANSFER,
          fromOrganisationId: orgs.school.id,
          toOrganisationId: orgs.otherSchool.id,
          externalName: null,
          externalLocalAuthority: null,
          sentBy: null,
          leavingOn: '2026-03-06',
          note: null,
          sentAt: at('2026-03-02T10:00:00Z'),
          dueBy: at('2026-03-09T10:00:00Z'),
          sentByUserId: people.dsp.userId,
          sentByName: people.dsp.name,
          sentByRole: 'dsp',
        };
        await testApp.dataSource.getRepository(Transfer).insert(transfer);
        if (received)
          await testApp.dataSource.getRepository(TransferReceipt).insert({
            transferId: transfer.id,
            receivedAt: at('2026-03-03T10:00:00Z'),
            receivedByUserId: people.otherDsp.userId,
            receivedByName: people.otherDsp.name,
            receivedByRole: 'dsp',
            receivedByOrganisationId: orgs.otherSchool.id,
          });
        return transfer;
      };
      const late = await transferOf(false);
      const received = await transferOf(true);

      await sweep.runOnce(at('2026-03-09T09:59:00Z'));
      expect(await recipients('transfer_overdue', `${late.id}:overdue`)).toEqual([]);
      await sweep.runOnce(at('2026-03-09T10:01:00Z'));
      await sweep.runOnce(at('2026-03-09T10:05:00Z'));
      expect(await recipients('transfer_overdue', `${late.id}:overdue`)).toEqual(
        [...schoolDsps(), people.otherDsp.userId].sort(),
      );
      expect(await recipients('transfer_overdue', `${received.id}:overdue`)).toEqual([]);
    });

    it('leaves out what fell due longer ago than the lookback', async () => {
      const old = await factory.escalation(
        await factory.concern(await factory.pupil(orgs.school), people.dsp),
        people.dsp,
        {
          sentAt: at('2025-01-06T10:00:00Z'),
        },
      );
      await sweep.runOnce(at('2026-03-03T10:01:00Z'));
      expect(await stored('referral_overdue', `${old.id}:overdue`)).toEqual([]);
    });
  });

  describe('emails', () => {
    const eventOf = (eventKey: string, urgent = false) => ({
      kind: 'concern_recorded' as const,
      eventKey,
      userIds: schoolDsps(),
      link: `/concerns/${eventKey}`,
      title: message('notifications.titles.concern_recorded', {
        organisation: { name: orgs.school.name, nameCy: orgs.school.nameCy },
        category: message('concernCategories.neglect'),
      }),
      urgent,
    });

    it('emails each recipient who allows it once, in their language, with only the title and a link', async () => {
      const key = newId();
      await unitOfWork.run((manager) => notifications.notify(manager, eventOf(key)));
      // Raised again, and flushed by two sweeps at once: still one email each.
      await unitOfWork.run((manager) => notifications.notify(manager, eventOf(key)));
      await Promise.all([sweep.runOnce(new Date()), sweep.runOnce(new Date())]);
      const english = await smtp.waitFor(people.dsp.email, (email) => email.text.includes(`/concerns/${key}`));
      const welsh = await smtp.waitFor(people.welshDsp.email, (email) => email.text.includes(`/concerns/${key}`));
      expect(english.subject).toMatch(/^Safeguarding: New concern recorded at Ysgol Bryn \/ Diogelu:/);
      expect(welsh.subject).toMatch(/^Diogelu: Pryder newydd wedi'i gofnodi yn Ysgol y Bryn/);
      expect(english.text).toContain(`https://sg.example/concerns/${key}`);
      expect(english.text).toContain('Cardiff Council');
      const forKey = smtp.received.filter((email) => email.text.includes(`/concerns/${key}`));
      expect(forKey.map((email) => email.to[0]).sort()).toEqual([people.dsp.email, people.welshDsp.email].sort());
      const rows = await stored('concern_recorded', key);
      expect(rows.every((row) => row.emailState === null)).toBe(true);
      expect(rows.find((row) => row.userId === people.quietDsp.userId)!.emailedAt).toBeNull();
      expect(rows.find((row) => row.userId === people.dsp.userId)!.emailedAt).not.toBeNull();
    });

    it('marks an urgent one urgent in the subject, and names no pupil', async () => {
      const concern = await concernAbout({ indicators: ['immediate_danger'] });
      await sweep.runOnce(new Date());
      const email = await smtp.waitFor(people.welshDsp.email, (e) => e.text.includes(`/concerns/${concern.id}`));
      expect(email.subject).toMatch(/^BRYS diogelu: .* \/ URGENT safeguarding: /);
      for (const part of [email.subject, email.text, email.html]) {
        expect(part).not.toContain('Zebedee');
        expect(part).not.toContain('Quartermaine');
        expect(part).not.toContain('Words nobody may email');
      }
    });

    it('emails the reminders the sweep raises', async () => {
      const referral = await factory.escalation(
        await factory.concern(await factory.pupil(orgs.school), people.dsp),
        people.dsp,
        {
          sentAt: at('2026-03-02T10:00:00Z'),
        },
      );
      await sweep.runOnce(at('2026-03-12T10:00:00Z'));
      const email = await smtp.waitFor(people.lead.email, (e) => e.text.includes(`/la/escalations/${referral.id}`));
      expect(email.subject).toContain('MASH referral from Ysgol Bryn is overdue');
      expect(smtp.to(people.lead.email).filter((e) => e.text.includes(referral.id))).toHaveLength(1);
    });
  });
});
