import { AuthService } from '../../src/auth/auth.service';
import { hashPassword, scryptParameters } from '../../src/auth/password-hasher';
import { Session } from '../../src/auth/session.entity';
import { SessionRegistry } from '../../src/auth/session-registry';
import { Actor } from '../../src/common/actor';
import { UnitOfWork } from '../../src/database/unit-of-work';
import { Organisation } from '../../src/organisations/organisation.entity';
import { User } from '../../src/organisations/user.entity';
import { Factory } from '../support/factory';
import { bootTestApp, TestApp } from '../support/test-app';

const PASSWORD = 'a long and unusual passphrase';

describe('Sessions are recorded and can be ended from anywhere', () => {
  let testApp: TestApp;
  let auth: AuthService;
  let registry: SessionRegistry;
  let unitOfWork: UnitOfWork;
  let factory: Factory;
  let school: Organisation;
  let passwordHash: string;

  const newAccount = async (): Promise<Actor> => {
    const actor = await factory.actor(school, 'dsp');
    await testApp.dataSource.getRepository(User).update({ id: actor.userId }, { passwordHash });
    return actor;
  };
  const signIn = async (actor: Actor) => (await auth.signIn(actor.email, PASSWORD, null)).accessToken;
  const meWith = async (token: string) =>
    (await testApp.http().get('/api/me').set('Authorization', `Bearer ${token}`)).status;
  const sessionsOf = (actor: Actor) =>
    testApp.dataSource.getRepository(Session).find({ where: { userId: actor.userId } });

  beforeAll(async () => {
    testApp = await bootTestApp({ seedDemo: false });
    auth = testApp.app.get(AuthService);
    registry = testApp.app.get(SessionRegistry);
    unitOfWork = testApp.app.get(UnitOfWork);
    factory = new Factory(testApp.dataSource);
    school = await factory.school(await factory.localAuthority());
    passwordHash = await hashPassword(PASSWORD, scryptParameters(testApp.config.auth.passwordHashCost));
  });
  afterAll(() => testApp.close());

  it('records each sign-in as a session of that account and membership, open until its token expires', async () => {
    const account = await newAccount();
    const before = Date.now();
    await signIn(account);
    const [session] = await sessionsOf(account);
    expect(session).toMatchObject({ membershipId: account.membershipId, endedAt: null, endReason: null });
    expect(session.startedAt.getTime()).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    expect(session.expiresAt.getTime() - session.startedAt.getTime()).toBe(
      testApp.config.auth.sessionTtlSeconds * 1000,
    );
  });

  it('signing out ends that session only; the account’s other sessions go on', async () => {
    const account = await newAccount();
    const [first, second] = [await signIn(account), await signIn(account)];
    const signOut = await testApp.http().post('/api/auth/logout').set('Authorization', `Bearer ${first}`);
    expect(signOut.status).toBe(204);
    expect(await meWith(first)).toBe(401);
    expect(await meWith(second)).toBe(200);
    const ended = (await sessionsOf(account)).filter((session) => session.endedAt !== null);
    expect(ended).toHaveLength(1);
    expect(ended[0].endReason).toBe('signed_out');
  });

  it('refuses a well-signed token whose session was never recorded', async () => {
    const account = await newAccount();
    const token = await signIn(account);
    await testApp.dataSource.getRepository(Session).delete({ userId: account.userId });
    expect(await meWith(token)).toBe(401);
  });

  it('ends every session of an account but the one named, at once', async () => {
    const account = await newAccount();
    const other = await newAccount();
    const tokens = [await signIn(account), await signIn(account), await signIn(account)];
    const othersToken = await signIn(other);
    const [kept] = await sessionsOf(account);
    const ended = await unitOfWork.run((manager) =>
      registry.endAllFor(manager, account.userId, { exceptJti: kept.jti, reason: 'password_changed' }),
    );
    expect(ended).toBe(2);
    const statuses = await Promise.all(tokens.map(meWith));
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    expect(await meWith(othersToken)).toBe(200);

    expect(
      await unitOfWork.run((manager) => registry.endAllFor(manager, account.userId, { reason: 'account_deactivated' })),
    ).toBe(1);
    expect(await Promise.all(tokens.map(meWith))).toEqual([401, 401, 401]);
  });

  it('ends the sessions signed in with one membership, and only those', async () => {
    const account = await newAccount();
    const other = await newAccount();
    const token = await signIn(account);
    const othersToken = await signIn(other);
    await unitOfWork.run((manager) => registry.endAllForMembership(manager, account.membershipId, 'membership_ended'));
    expect(await meWith(token)).toBe(401);
    expect(await meWith(othersToken)).toBe(200);
    expect((await sessionsOf(account))[0].endReason).toBe('membership_ended');
  });
});
