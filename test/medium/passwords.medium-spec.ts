import { AuthService } from '../../src/auth/auth.service';
import { hashPassword, scryptParameters, verifyPassword } from '../../src/auth/password-hasher';
import { PasswordReset } from '../../src/auth/password-reset.entity';
import {
  PasswordPolicyError,
  PasswordRuleError,
  PasswordsService,
  RESET_EMAILS_PER_WINDOW,
} from '../../src/auth/passwords.service';
import { Session } from '../../src/auth/session.entity';
import { Actor } from '../../src/common/actor';
import { EmailMessage } from '../../src/mail/email-content';
import { Mailer } from '../../src/mail/mailer';
import { Organisation } from '../../src/organisations/organisation.entity';
import { User } from '../../src/organisations/user.entity';
import { Factory } from '../support/factory';
import { bootTestApp, TestApp } from '../support/test-app';
import { setClock } from '../support/clock';
import { auditEntries } from '../support/audit-chain';

const OLD = 'the old and long passphrase';
const NEW = 'a brand new long passphrase';
const MINUTE = 60 * 1000;

describe('Passwords: changes end the other sessions, resets end them all, links work once for an hour', () => {
  let testApp: TestApp;
  let auth: AuthService;
  let passwords: PasswordsService;
  let factory: Factory;
  let school: Organisation;
  let oldHash: string;
  const sent: EmailMessage[] = [];

  const newAccount = async (): Promise<Actor> => {
    const actor = await factory.actor(school, 'dsp');
    await testApp.dataSource.getRepository(User).update({ id: actor.userId }, { passwordHash: oldHash });
    return actor;
  };
  const signIn = async (actor: Actor, password = OLD) => (await auth.signIn(actor.email, password, null)).accessToken;
  const jtiOf = (token: string) =>
    (JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as { jti: string }).jti;
  const open = async (actor: Actor) =>
    (await testApp.dataSource.getRepository(Session).find({ where: { userId: actor.userId } }))
      .filter((session) => session.endedAt === null)
      .map((session) => session.jti);
  const passwordIs = async (actor: Actor, password: string) =>
    verifyPassword(
      password,
      (await testApp.dataSource.getRepository(User).findOneByOrFail({ id: actor.userId })).passwordHash,
    );
  const linkTokenFor = (actor: Actor) => {
    const email = [...sent]
      .reverse()
      .find((message) => message.to === actor.email && message.kind === 'password_reset');
    if (!email) throw new Error(`No reset email to ${actor.email}`);
    return email.link.slice(email.link.lastIndexOf('/') + 1);
  };
  const auditOf = async (actor: Actor, action: string) =>
    (await auditEntries(testApp)).find({ where: { subjectId: actor.userId, action } });

  beforeAll(async () => {
    testApp = await bootTestApp({ seedDemo: false });
    auth = testApp.app.get(AuthService);
    passwords = testApp.app.get(PasswordsService);
    factory = new Factory(testApp.dataSource);
    school = await factory.school(await factory.localAuthority());
    oldHash = await hashPassword(OLD, scryptParameters(testApp.config.auth.passwordHashCost));
    jest.spyOn(testApp.app.get(Mailer), 'send').mockImplementation((message: EmailMessage) => {
      sent.push(message);
      return Promise.resolve();
    });
  });
  afterEach(() => jest.useRealTimers());
  afterAll(() => testApp.close());

  describe('changing a password', () => {
    it('keeps the session that changed it and ends the account’s others, and only its own', async () => {
      const account = await newAccount();
      const bystander = await newAccount();
      const [mine, second, third] = [await signIn(account), await signIn(account), await signIn(account)];
      await signIn(bystander);
      await passwords.change(
        account,
        { jti: jtiOf(mine), exp: 0 },
        { currentPassword: OLD, newPassword: NEW },
        { address: '192.0.2.1' },
      );
      expect(await open(account)).toEqual([jtiOf(mine)]);
      expect(jtiOf(second)).not.toBe(jtiOf(third));
      expect(await open(bystander)).toHaveLength(1);
      expect(await passwordIs(account, NEW)).toBe(true);
      expect(sent.filter((message) => message.to === account.email).map((message) => message.kind)).toEqual([
        'password_changed',
      ]);
      const [entry] = await auditOf(account, 'password.changed');
      expect(entry.details).toEqual({ address: '192.0.2.1', sessionsEnded: 2 });
    });

    it('refuses a wrong current password (counted as a failed sign-in) and a weak new one, changing nothing', async () => {
      const account = await newAccount();
      const [mine, other] = [await signIn(account), await signIn(account)];
      const session = { jti: jtiOf(mine), exp: 0 };
      await expect(
        passwords.change(account, session, { currentPassword: 'wrong', newPassword: NEW }, { address: null }),
      ).rejects.toBeInstanceOf(PasswordRuleError);
      await expect(
        passwords.change(account, session, { currentPassword: OLD, newPassword: 'short' }, { address: null }),
      ).rejects.toBeInstanceOf(PasswordPolicyError);
      expect((await open(account)).sort()).toEqual([jtiOf(mine), jtiOf(other)].sort());
      expect(await passwordIs(account, OLD)).toBe(true);
      expect(await auditOf(account, 'account.sign_in_failed')).toHaveLength(1);
    });
  });

  describe('resetting a forgotten password', () => {
    it('ends every session of the account and uses up every link it has', async () => {
      const account = await newAccount();
      await signIn(account);
      await signIn(account);
      await passwords.requestReset(account.email, { address: null });
      const first = linkTokenFor(account);
      await passwords.requestReset(account.email.toUpperCase(), { address: null });
      const second = linkTokenFor(account);
      expect(second).not.toBe(first);

      await passwords.reset(second, NEW, { address: null });
      expect(await open(account)).toEqual([]);
      const ended = await testApp.dataSource.getRepository(Session).find({ where: { userId: account.userId } });
      expect(ended.map((session) => session.endReason)).toEqual(['password_reset', 'password_reset']);
      expect(await passwordIs(account, NEW)).toBe(true);
      // Single use, and the older link went with it.
      await expect(passwords.reset(second, 'yet another passphrase', { address: null })).rejects.toMatchObject({
        code: 'not_found',
      });
      await expect(passwords.reset(first, 'yet another passphrase', { address: null })).rejects.toMatchObject({
        code: 'not_found',
      });
      expect(await passwordIs(account, NEW)).toBe(true);
    });

    it('keeps the link usable when the new password is refused', async () => {
      const account = await newAccount();
      await passwords.requestReset(account.email, { address: null });
      const token = linkTokenFor(account);
      await expect(
        passwords.reset(token, account.email.split('@')[0] + ' forever', { address: null }),
      ).rejects.toBeInstanceOf(PasswordPolicyError);
      expect(await passwords.resetLinkIsUsable(token)).toBe(true);
      await passwords.reset(token, NEW, { address: null });
      expect(await passwords.resetLinkIsUsable(token)).toBe(false);
    });

    it('works for an hour and no longer (a faked clock)', async () => {
      const account = await newAccount();
      const start = new Date('2026-12-01T09:00:00.000Z');
      setClock(start);
      await passwords.requestReset(account.email, { address: null });
      const token = linkTokenFor(account);
      setClock(new Date(start.getTime() + 59 * MINUTE));
      expect(await passwords.resetLinkIsUsable(token)).toBe(true);
      setClock(new Date(start.getTime() + 61 * MINUTE));
      expect(await passwords.resetLinkIsUsable(token)).toBe(false);
      await expect(passwords.reset(token, NEW, { address: null })).rejects.toMatchObject({ code: 'not_found' });
      expect(await passwordIs(account, OLD)).toBe(true);
    });

    it(`sends one account at most ${RESET_EMAILS_PER_WINDOW} links an hour, and stores and sends nothing for an unknown email`, async () => {
      const account = await newAccount();
      const start = new Date('2026-12-02T09:00:00.000Z');
      setClock(start);
      const before = sent.length;
      for (let i = 0; i < RESET_EMAILS_PER_WINDOW + 2; i += 1)
        await passwords.requestReset(account.email, { address: null });
      expect(sent.length - before).toBe(RESET_EMAILS_PER_WINDOW);
      expect(await testApp.dataSource.getRepository(PasswordReset).countBy({ userId: account.userId })).toBe(
        RESET_EMAILS_PER_WINDOW,
      );
      expect(await auditOf(account, 'password.reset_requested')).toHaveLength(RESET_EMAILS_PER_WINDOW);
      setClock(new Date(start.getTime() + 61 * MINUTE));
      await passwords.requestReset(account.email, { address: null });
      expect(sent.length - before).toBe(RESET_EMAILS_PER_WINDOW + 1);

      const entries = await (await auditEntries(testApp)).count();
      const resets = await testApp.dataSource.getRepository(PasswordReset).count();
      await passwords.requestReset('nobody.at.all@test.example', { address: null });
      expect(await (await auditEntries(testApp)).count()).toBe(entries);
      expect(await testApp.dataSource.getRepository(PasswordReset).count()).toBe(resets);
      expect(sent.some((message) => message.to === 'nobody.at.all@test.example')).toBe(false);
    });
  });
});
