import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module';
import { configureApp } from '../../src/app.setup';
import { message } from '../../src/common/language';
import { UnitOfWork } from '../../src/database/unit-of-work';
import { Notification } from '../../src/notifications/notification.entity';
import { NotificationsService } from '../../src/notifications/notifications.service';
import { User } from '../../src/organisations/user.entity';
import { ReminderSweep } from '../../src/reminders/reminder-sweep';
import { Factory } from '../support/factory';
import { SmtpInbox } from '../support/smtp-inbox';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { DEMO_PASSWORD, testConfig } from '../support/test-app';

/**
 * Two app instances (two Nest apps, as two processes would be) on ONE database, both sweeping at once
 * and again concurrently: every notification is stored once per person and every email sent once, through
 * a real SMTP server. And the person's setting (`PATCH /api/me` `emailNotifications`, the `/account` form's
 * field) decides whether they are emailed. SQLite too: both apps open the same file (WAL, busy timeout).
 */
describe('notifications with two app instances on one database', () => {
  let database: TestDatabase;
  let smtp: SmtpInbox;
  const apps: INestApplication[] = [];
  let factory: Factory;
  let dataSource: DataSource;

  const boot = async (seedDemo: boolean) => {
    const config = testConfig(database.url, { seedDemo, env: { SMTP_URL: smtp.url, APP_URL: 'https://sg.example' } });
    const moduleRef = await Test.createTestingModule({ imports: [AppModule.register(config)] }).compile();
    const app = configureApp(moduleRef.createNestApplication({ logger: ['error'] }));
    await app.init();
    apps.push(app);
    return app;
  };
  const sweeps = () => apps.map((app) => app.get(ReminderSweep));
  /** The API of the second instance. */
  const http = () => request(apps[1].getHttpServer() as Parameters<typeof request>[0]);

  beforeAll(async () => {
    smtp = await SmtpInbox.start();
    database = await createTestDatabase();
    await boot(true);
    await boot(false);
    dataSource = apps[0].get(DataSource);
    factory = new Factory(dataSource);
  });

  afterAll(async () => {
    for (const app of apps) await app.close();
    await database.drop();
    await smtp.close();
  });

  it('raises each reminder once per person and emails each once, with both instances sweeping at the same time', async () => {
    const la = await factory.localAuthority();
    const school = await factory.school(la);
    const dsps = [await factory.actor(school, 'dsp'), await factory.actor(school, 'dsp', { language: 'cy' })];
    const mash = await factory.actor(la, 'la_mash');
    const lead = await factory.actor(la, 'la_lead');
    const referrals = [];
    for (let i = 0; i < 4; i++) {
      const concern = await factory.concern(await factory.pupil(school), dsps[0]);
      referrals.push(
        await factory.escalation(concern, dsps[0], { sentAt: new Date(Date.now() - 12 * 24 * 3600 * 1000) }),
      );
    }
    const now = new Date();
    const [a, b] = sweeps();
    await Promise.all([a.runOnce(now), b.runOnce(now), a.runOnce(now), b.runOnce(now)]);
    await Promise.all([a.runOnce(now), b.runOnce(now)]);

    const rows = await dataSource.getRepository(Notification).find();
    for (const referral of referrals) {
      const overdue = rows.filter((row) => row.eventKey === `${referral.id}:overdue`);
      expect(overdue.map((row) => row.userId).sort()).toEqual([mash.userId, lead.userId].sort());
      const chase = rows.filter((row) => row.eventKey === `${referral.id}:chase`);
      expect(chase.map((row) => row.userId).sort()).toEqual(dsps.map((dsp) => dsp.userId).sort());
    }
    // Every row settled, each emailed row one email, none twice, nothing else sent.
    expect(rows.filter((row) => row.emailState !== null)).toEqual([]);
    const emailed = rows.filter((row) => row.emailedAt !== null);
    expect(emailed.length).toBeGreaterThanOrEqual(referrals.length * 4);
    expect(smtp.received).toHaveLength(emailed.length);
    const users = await dataSource.getRepository(User).find();
    const emailOf = new Map(users.map((user) => [user.id, user.email]));
    // The team's overdue emails link to the referral; the DSPs' chase emails to the concern.
    for (const referral of referrals) {
      for (const person of [mash, lead])
        expect(smtp.to(emailOf.get(person.userId)!).filter((email) => email.text.includes(referral.id))).toHaveLength(
          1,
        );
      for (const person of dsps)
        expect(
          smtp.to(emailOf.get(person.userId)!).filter((email) => email.text.includes(referral.concernId)),
        ).toHaveLength(1);
    }
  });

  it('emails a person only while their account allows it', async () => {
    const signIn = async (email: string) => {
      const response = await http().post('/api/auth/login').send({ email, password: DEMO_PASSWORD });
      expect(response.status).toBe(200);
      return (response.body as { accessToken: string }).accessToken;
    };
    const setEmails = async (token: string, on: boolean) => {
      const response = await http()
        .patch('/api/me')
        .set('Authorization', `Bearer ${token}`)
        .send({ emailNotifications: on });
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ emailNotifications: on });
    };
    const users = dataSource.getRepository(User);
    const quiet = await users.findOneByOrFail({ email: 'dsp@riverside.example' });
    const other = await users.findOneByOrFail({ email: 'dsp@hillcrest.example' });
    const token = await signIn(quiet.email);
    const raise = async (eventKey: string) => {
      await apps[0].get(UnitOfWork).run((manager) =>
        apps[0].get(NotificationsService).notify(manager, {
          kind: 'concern_recorded',
          eventKey,
          userIds: [quiet.id, other.id],
          link: `/concerns/${eventKey}`,
          title: message('notifications.titles.concern_recorded', {
            organisation: { name: 'Riverside', nameCy: null },
            category: message('concernCategories.neglect'),
          }),
        }),
      );
      await Promise.all(sweeps().map((sweep) => sweep.runOnce(new Date())));
    };

    await setEmails(token, false);
    await raise('e2e-quiet');
    expect(smtp.to(other.email).filter((email) => email.text.includes('e2e-quiet'))).toHaveLength(1);
    expect(smtp.to(quiet.email).filter((email) => email.text.includes('e2e-quiet'))).toHaveLength(0);
    // In the app they are still told.
    expect(await dataSource.getRepository(Notification).countBy({ userId: quiet.id, eventKey: 'e2e-quiet' })).toBe(1);

    await setEmails(token, true);
    await raise('e2e-loud');
    expect(smtp.to(quiet.email).filter((email) => email.text.includes('e2e-loud'))).toHaveLength(1);
  });
});
