import { AuthService } from '../../src/auth/auth.service';
import { LoginAttempt } from '../../src/auth/login-attempt.entity';
import * as passwordHasher from '../../src/auth/password-hasher';
import { hashPassword, scryptParameters, verifyPassword } from '../../src/auth/password-hasher';
import { Session } from '../../src/auth/session.entity';
import { newId } from '../../src/common/ids';
import { Organisation } from '../../src/organisations/organisation.entity';
import { User } from '../../src/organisations/user.entity';
import { Factory } from '../support/factory';
import { bootTestApp, TestApp } from '../support/test-app';
import { In } from 'typeorm';

/** What one sign-in came to: 'signed_in', or the error's code ('unauthenticated', 'too_many_attempts'). */
type Outcome = string;

const MINUTE = 60 * 1000;
/** The address the tests' own failures come from. */
const HERE = '127.0.0.1';

describe(AuthService.name, () => {
  let testApp: TestApp;
  let auth: AuthService;
  let factory: Factory;
  let school: Organisation;
  let email: string;
  let rightPasswordHash: string;

  /** A person whose password is 'right password'. */
  const newAccount = async () => {
    const actor = await factory.actor(school, 'dsp');
    await testApp.dataSource.getRepository(User).update({ id: actor.userId }, { passwordHash: rightPasswordHash });
    return actor;
  };

  /** The default limit of failed sign-ins from one address (by devices not known to the account tried). */
  const MAX_FAILED_ATTEMPTS_PER_ADDRESS = 100;

  beforeAll(async () => {
    testApp = await bootTestApp({ seedDemo: false });
    expect(testApp.config.auth.signIn.maxFailuresPerAddress).toBe(MAX_FAILED_ATTEMPTS_PER_ADDRESS);
    auth = testApp.app.get(AuthService);
    factory = new Factory(testApp.dataSource);
    school = await factory.school(await factory.localAuthority());
    rightPasswordHash = await hashPassword('right password', scryptParameters(testApp.config.auth.passwordHashCost));
    email = (await newAccount()).email;
  });

  afterAll(() => testApp.close());

  beforeEach(() => testApp.dataSource.getRepository(LoginAttempt).clear());

  const attempts = () => testApp.dataSource.getRepository(LoginAttempt);

  const outcomeOf = (signingIn: Promise<unknown>): Promise<Outcome> =>
    signingIn.then(
      () => 'signed_in',
      (error: { code?: string }) => {
        if (!error?.code) throw error;
        return error.code;
      },
    );

  const count = (outcomes: Outcome[], outcome: Outcome) => outcomes.filter((each) => each === outcome).length;

  const failTimes = async (n: number) => {
    for (let i = 0; i < n; i += 1)
      await expect(auth.signIn(email, 'wrong', HERE)).rejects.toMatchObject({ code: 'unauthenticated' });
  };

  /** Failed attempts written straight to the table, `minutesAgo` old, for setting up a count quickly. */
  const recordFailures = (
    n: number,
    ipAddress: string | null,
    minutesAgo = 1,
    who = (i: number) => `someone.${i}@test.example`,
  ) =>
    attempts().insert(
      Array.from({ length: n }, (_, i) => ({
        id: newId(),
        email: who(i),
        ipAddress,
        at: new Date(Date.now() - minutesAgo * MINUTE - i),
        succeeded: false,
      })),
    );

  it('signs in with the right password whatever the case of the email', async () => {
    const signedIn = await auth.signIn(email.toUpperCase(), 'right password', null);
    expect(signedIn.actor.email).toBe(email);
    expect(signedIn.accessToken.split('.')).toHaveLength(3);
  });

  it('locks the account from that address after five failures in fifteen minutes, even against the right password', async () => {
    await failTimes(5);
    await expect(auth.signIn(email, 'right password', HERE)).rejects.toMatchObject({
      code: 'too_many_attempts',
      limit: 'account_address',
    });
    // Someone else's five wrong passwords from one address do not stop the owner signing in elsewhere.
    await expect(auth.signIn(email, 'right password', '198.51.100.20')).resolves.toBeDefined();
  });

  describe('devices known to the account (device cookies)', () => {
    /** Signs in from `address` and returns the device cookie this device now holds. */
    const knownDevice = async (address: string) => (await auth.signIn(email, 'right password', address)).deviceCookie;

    it('refuses devices not known to the account after twenty failures from any addresses, but not a known one', async () => {
      const device = await knownDevice('198.51.100.30');
      for (let i = 0; i < 20; i += 1)
        await expect(auth.signIn(email, 'wrong', `203.0.113.${100 + Math.floor(i / 4)}`)).rejects.toMatchObject({
          code: 'unauthenticated',
        });
      await expect(auth.signIn(email, 'right password', '198.51.100.31')).rejects.toMatchObject({
        code: 'too_many_attempts',
        limit: 'account',
      });
      await expect(auth.signIn(email, 'right password', '198.51.100.30', device)).resolves.toBeDefined();
    });

    it("counts a known device's own wrong passwords against it alone, and refuses it after five", async () => {
      const device = await knownDevice(HERE);
      for (let i = 0; i < 5; i += 1)
        await expect(auth.signIn(email, 'wrong', HERE, device)).rejects.toMatchObject({ code: 'unauthenticated' });
      await expect(auth.signIn(email, 'right password', HERE, device)).rejects.toMatchObject({
        code: 'too_many_attempts',
        limit: 'device',
      });
      // Nothing else was counted: the same address without the cookie is not refused.
      await expect(auth.signIn(email, 'right password', HERE)).resolves.toBeDefined();
    });

    it('does not trust a device cookie made for another account, or one altered', async () => {
      const other = await newAccount();
      const othersDevice = (await auth.signIn(other.email, 'right password', HERE)).deviceCookie;
      await failTimes(5);
      await expect(auth.signIn(email, 'right password', HERE, othersDevice)).rejects.toMatchObject({
        limit: 'account_address',
      });
      const mine = await knownDevice('198.51.100.40');
      const altered = mine.replace(/.$/, (last) => (last === 'A' ? 'B' : 'A'));
      await expect(auth.signIn(email, 'right password', HERE, altered)).rejects.toMatchObject({
        limit: 'account_address',
      });
      await expect(auth.signIn(email, 'right password', HERE, mine)).resolves.toBeDefined();
    });
  });

  it('does not lock after four failures, and a success starts the count again', async () => {
    await failTimes(4);
    await auth.signIn(email, 'right password', HERE);
    await failTimes(4);
    await expect(auth.signIn(email, 'right password', HERE)).resolves.toBeDefined();
  });

  it('unlocks once the failures are older than the window', async () => {
    await failTimes(5);
    const sixteenMinutesAgo = new Date(Date.now() - 16 * MINUTE);
    await attempts().update({ email }, { at: sixteenMinutesAgo });
    await expect(auth.signIn(email, 'right password', HERE)).resolves.toBeDefined();
  });

  it('says the same thing for an unknown email as for a wrong password', async () => {
    await expect(auth.signIn('nobody@test.example', 'whatever', null)).rejects.toMatchObject({
      code: 'unauthenticated',
      message: 'Wrong email or password',
    });
  });

  describe('parallel attempts (the count and the record are one step)', () => {
    it('lets exactly five of twenty parallel wrong passwords be checked, and refuses the other fifteen', async () => {
      const outcomes = await Promise.all(
        Array.from({ length: 20 }, (_, i) => outcomeOf(auth.signIn(email, `wrong-${i}`, HERE))),
      );
      expect({
        unauthenticated: count(outcomes, 'unauthenticated'),
        tooMany: count(outcomes, 'too_many_attempts'),
      }).toEqual({ unauthenticated: 5, tooMany: 15 });
      expect(await attempts().countBy({ email })).toBe(5);
    });

    it('does not let the right password in through a parallel burst of wrong ones once five failures are recorded', async () => {
      const passwords = [
        ...Array.from({ length: 19 }, (_, i) => `wrong-${i}`),
        'right password',
        ...Array.from({ length: 20 }, (_, i) => `wrong-${19 + i}`),
      ];
      const outcomes = await Promise.all(passwords.map((password) => outcomeOf(auth.signIn(email, password, HERE))));
      expect(outcomes[19]).toBe('too_many_attempts');
      expect(count(outcomes, 'signed_in')).toBe(0);
      expect(count(outcomes, 'unauthenticated')).toBe(5);
      // And the account stays locked afterwards.
      await expect(auth.signIn(email, 'right password', HERE)).rejects.toMatchObject({ code: 'too_many_attempts' });
    });

    it('counts an attempt whose password is still being checked as a failure, until it proves right', async () => {
      await failTimes(4);
      // Hold every password check until one of the two attempts has been answered, so the other is
      // certainly still pending then, however fast the machine hashes.
      let release = () => {};
      const held = new Promise<void>((resolve) => (release = resolve));
      const realCheck = passwordHasher.verifyPassword;
      const checks = jest.spyOn(passwordHasher, 'verifyPassword').mockImplementation(async (password, stored) => {
        await held;
        return realCheck(password, stored);
      });
      try {
        const attempts = [
          outcomeOf(auth.signIn(email, 'right password', HERE)),
          outcomeOf(auth.signIn(email, 'right password', HERE)),
        ];
        // One is the fifth attempt and is checked; the other arrives while it is pending, at the limit.
        expect(await Promise.race(attempts)).toBe('too_many_attempts');
        release();
        expect((await Promise.all(attempts)).sort()).toEqual(['signed_in', 'too_many_attempts']);
        expect(checks).toHaveBeenCalledTimes(1);
      } finally {
        checks.mockRestore();
      }
      // Once the first has proved right, the count starts again.
      await expect(auth.signIn(email, 'right password', HERE)).resolves.toBeDefined();
    });
  });

  describe('failures from one address', () => {
    const address = '203.0.113.7';

    it(`refuses every account from an address with ${MAX_FAILED_ATTEMPTS_PER_ADDRESS} failures in fifteen minutes, and only that address`, async () => {
      await recordFailures(MAX_FAILED_ATTEMPTS_PER_ADDRESS, address);
      const untouched = await newAccount();

      const refused = await auth.signIn(untouched.email, 'right password', address).then(
        () => ({ code: 'signed_in', retryAfterSeconds: undefined }),
        (error: unknown) => error as { code?: string; retryAfterSeconds?: number },
      );
      expect(refused).toMatchObject({ code: 'too_many_attempts' });
      // Free again when the oldest counted failure leaves the window: a little under fifteen minutes.
      expect(refused.retryAfterSeconds).toBeGreaterThan(13 * 60);
      expect(refused.retryAfterSeconds).toBeLessThanOrEqual(15 * 60);
      await expect(auth.signIn('nobody@test.example', 'wrong', address)).rejects.toMatchObject({
        code: 'too_many_attempts',
      });

      await expect(auth.signIn(untouched.email, 'right password', '203.0.113.8')).resolves.toBeDefined();
      await expect(auth.signIn(untouched.email, 'right password', null)).resolves.toBeDefined();
    });

    it('does not refuse below the limit, and stops counting failures older than the window', async () => {
      await recordFailures(MAX_FAILED_ATTEMPTS_PER_ADDRESS - 1, address);
      await recordFailures(20, address, 16, (i) => `earlier.${i}@test.example`);
      const account = await newAccount();
      await expect(auth.signIn(account.email, 'right password', address)).resolves.toBeDefined();
      // The limit-th failure is still checked (401); after it, the address is refused.
      await expect(auth.signIn('nobody@test.example', 'wrong', address)).rejects.toMatchObject({
        code: 'unauthenticated',
      });
      await expect(auth.signIn(account.email, 'right password', address)).rejects.toMatchObject({
        code: 'too_many_attempts',
      });
    });

    it('admits exactly up to the limit when different accounts are tried in parallel from one address', async () => {
      await recordFailures(MAX_FAILED_ATTEMPTS_PER_ADDRESS - 2, address);
      const outcomes = await Promise.all(
        Array.from({ length: 8 }, (_, i) => outcomeOf(auth.signIn(`sprayed.${i}@test.example`, 'wrong', address))),
      );
      expect({
        unauthenticated: count(outcomes, 'unauthenticated'),
        tooMany: count(outcomes, 'too_many_attempts'),
      }).toEqual({ unauthenticated: 2, tooMany: 6 });
    });

    // API.md: successful sign-ins are not throttled below 60 a minute from one address. What the test can
    // check without depending on the machine's speed is the behaviour behind that: successes are never
    // counted, so sixty of them in a burst, beside 200 earlier ones, all succeed.
    it('never counts successful sign-ins: sixty in a burst from one address all succeed', async () => {
      // Many earlier successes from the address, and failures one short of the limit.
      await attempts().insert(
        Array.from({ length: 200 }, (_, i) => ({
          id: newId(),
          email: `earlier.${i}@test.example`,
          ipAddress: address,
          at: new Date(Date.now() - 2 * MINUTE),
          succeeded: true,
        })),
      );
      await recordFailures(MAX_FAILED_ATTEMPTS_PER_ADDRESS - 12, address);
      const accounts = await Promise.all(Array.from({ length: 10 }, () => newAccount()));
      // Ten people, each signing in six times in a row, all at once.
      const outcomes = (
        await Promise.all(
          accounts.map(async (account) => {
            const each: Outcome[] = [];
            for (let i = 0; i < 6; i += 1)
              each.push(await outcomeOf(auth.signIn(account.email, 'right password', address)));
            return each;
          }),
        )
      ).flat();
      expect(outcomes).toHaveLength(60);
      expect(count(outcomes, 'signed_in')).toBe(60);
      expect(await attempts().countBy({ ipAddress: address, succeeded: true })).toBe(260);
    });
  });

  describe('housekeeping', () => {
    it('deletes sign-in attempts older than a day and the sessions of expired tokens, now and then', async () => {
      const sessions = testApp.dataSource.getRepository(Session);
      const account = await newAccount();
      const session = (jti: string, expiresAt: Date, endedAt: Date | null = null) => ({
        jti,
        userId: account.userId,
        membershipId: account.membershipId,
        startedAt: new Date(expiresAt.getTime() - 60 * MINUTE),
        expiresAt,
        endedAt,
        endReason: endedAt ? ('signed_out' as const) : null,
      });
      await recordFailures(3, '198.51.100.1', 25 * 60, (i) => `long-ago.${i}@test.example`);
      await recordFailures(2, '198.51.100.1', 23 * 60, (i) => `yesterday.${i}@test.example`);
      await sessions.insert([
        session('expired-session', new Date(Date.now() - MINUTE)),
        session('expired-ended-session', new Date(Date.now() - MINUTE), new Date(Date.now() - 2 * MINUTE)),
        session('live-session', new Date(Date.now() + 60 * MINUTE)),
        session('live-ended-session', new Date(Date.now() + 60 * MINUTE), new Date()),
      ]);
      // Pruning runs at most once a minute per process; make it due now.
      (auth as unknown as { nextPruneAt: number }).nextPruneAt = 0;

      await expect(auth.signIn('nobody@test.example', 'wrong', null)).rejects.toMatchObject({
        code: 'unauthenticated',
      });

      const left = await attempts().find();
      expect(left.map((attempt) => attempt.email).sort()).toEqual([
        'nobody@test.example',
        'yesterday.0@test.example',
        'yesterday.1@test.example',
      ]);
      const sessionsLeft = (await sessions.find({ where: { userId: account.userId } })).map((row) => row.jti);
      expect(sessionsLeft.sort()).toEqual(['live-ended-session', 'live-session']);
      expect(await sessions.countBy({ jti: In(['expired-session', 'expired-ended-session']) })).toBe(0);
    });
  });

  describe('password hashes', () => {
    it('replaces a hash made with weaker scrypt parameters at the next successful sign-in', async () => {
      const account = await newAccount();
      const users = testApp.dataSource.getRepository(User);
      const current = scryptParameters(testApp.config.auth.passwordHashCost);
      const weaker = await hashPassword('right password', { N: current.N / 2, r: 8, p: 1 });
      await users.update({ id: account.userId }, { passwordHash: weaker });

      await expect(auth.signIn(account.email, 'wrong', null)).rejects.toMatchObject({ code: 'unauthenticated' });
      expect((await users.findOneByOrFail({ id: account.userId })).passwordHash).toBe(weaker);

      await auth.signIn(account.email, 'right password', null);
      const stored = (await users.findOneByOrFail({ id: account.userId })).passwordHash;
      expect(stored.startsWith(`scrypt$${current.N}$8$3$`)).toBe(true);
      await expect(verifyPassword('right password', stored)).resolves.toBe(true);
      await expect(auth.signIn(account.email, 'right password', null)).resolves.toBeDefined();
      // A hash that is already current is left as it is.
      expect((await users.findOneByOrFail({ id: account.userId })).passwordHash).toBe(stored);
    });

    it('signs in with a hash made at a higher cost than configured (production: N=2^15), and keeps it', async () => {
      const account = await newAccount();
      const users = testApp.dataSource.getRepository(User);
      const standard = await hashPassword('right password', scryptParameters(15));
      await users.update({ id: account.userId }, { passwordHash: standard });

      await expect(auth.signIn(account.email, 'right password', null)).resolves.toBeDefined();
      expect((await users.findOneByOrFail({ id: account.userId })).passwordHash).toBe(standard);
    });
  });
});
