import { generate } from 'otplib';
import { AuthService, SignedIn, TWO_FACTOR_CHALLENGE_MAX_FAILURES } from '../../src/auth/auth.service';
import { LoginAttempt } from '../../src/auth/login-attempt.entity';
import { hashPassword, scryptParameters } from '../../src/auth/password-hasher';
import { timeStepAt } from '../../src/auth/two-factor/totp';
import { RecoveryCode, TwoFactorChallenge, TwoFactorCredential } from '../../src/auth/two-factor/two-factor.entities';
import { TwoFactorService } from '../../src/auth/two-factor/two-factor.service';
import { Actor } from '../../src/common/actor';
import { Organisation } from '../../src/organisations/organisation.entity';
import { User } from '../../src/organisations/user.entity';
import { Factory } from '../support/factory';
import { bootTestApp, TestApp } from '../support/test-app';

const HERE = '127.0.0.1';
const PASSWORD = 'right password';
/** The code an app shows `steps` time steps from now. */
const codeFor = (secret: string, steps = 0) => generate({ secret, epoch: Math.floor(Date.now() / 1000) + steps * 30 });

describe('AuthService: the two-step sign-in (two-factor)', () => {
  let testApp: TestApp;
  let auth: AuthService;
  let twoFactor: TwoFactorService;
  let factory: Factory;
  let school: Organisation;
  let passwordHash: string;

  /** A DSP with two-factor on: their authenticator's secret and recovery codes. */
  const withTwoFactor = async () => {
    const actor = await factory.actor(school, 'dsp');
    await testApp.dataSource.getRepository(User).update({ id: actor.userId }, { passwordHash });
    const { secret } = await twoFactor.setup(actor);
    // Enabled with the previous step's code, so the current one and the next stay free for the test.
    const recoveryCodes = await twoFactor.enable(actor, await codeFor(secret, -1), HERE);
    return { actor, secret, recoveryCodes };
  };

  const challenge = async (actor: Actor, address = HERE, device: unknown = null) => {
    const result = await auth.beginSignIn(actor.email, PASSWORD, address, device);
    if (!result.twoFactorRequired) throw new Error('expected a challenge');
    return result.challengeToken;
  };

  const outcome = (signingIn: Promise<SignedIn>) =>
    signingIn.then(
      () => 'signed_in',
      (error: { code?: string }) => {
        if (!error?.code) throw error;
        return error.code;
      },
    );

  beforeAll(async () => {
    testApp = await bootTestApp({ seedDemo: false });
    auth = testApp.app.get(AuthService);
    twoFactor = testApp.app.get(TwoFactorService);
    factory = new Factory(testApp.dataSource);
    school = await factory.school(await factory.localAuthority());
    passwordHash = await hashPassword(PASSWORD, scryptParameters(testApp.config.auth.passwordHashCost));
  });

  afterAll(() => testApp.close());

  beforeEach(() => testApp.dataSource.getRepository(LoginAttempt).clear());

  it('answers a challenge, not a session, for a right password; a wrong one is still 401', async () => {
    const { actor } = await withTwoFactor();
    const result = await auth.beginSignIn(actor.email, PASSWORD, HERE);
    expect(result).toEqual({ twoFactorRequired: true, challengeToken: expect.any(String), expiresInSeconds: 300 });
    await expect(auth.beginSignIn(actor.email, 'wrong', HERE)).rejects.toMatchObject({ code: 'unauthenticated' });
    // A caller that cannot ask for a code is refused.
    await expect(auth.signIn(actor.email, PASSWORD, HERE)).rejects.toMatchObject({ code: 'unauthenticated' });
  });

  it('accepts a code of the current step, never one already used (or older) or two steps away', async () => {
    const { actor, secret } = await withTwoFactor();
    // Each try from its own address, so this test's failures never reach a limit.
    const from = (n: number) => `198.51.100.${n}`;
    // The previous step's code was used to turn it on: refused (and so is anything older).
    expect(
      await outcome(auth.completeSignIn(await challenge(actor, from(1)), await codeFor(secret, -1), from(1))),
    ).toBe('unauthenticated');
    expect(await outcome(auth.completeSignIn(await challenge(actor, from(2)), await codeFor(secret, 2), from(2)))).toBe(
      'unauthenticated',
    );
    const signedIn = await auth.completeSignIn(await challenge(actor, from(3)), await codeFor(secret), from(3));
    expect(signedIn.actor.userId).toBe(actor.userId);
    expect(signedIn.accessToken.split('.')).toHaveLength(3);
    const credential = await testApp.dataSource.getRepository(TwoFactorCredential).findOneByOrFail({
      userId: actor.userId,
    });
    expect(credential.lastUsedStep).toBeGreaterThanOrEqual(timeStepAt(Date.now()) - 1);
  });

  it('accepts a code once, even when two sign-ins send it at the same moment', async () => {
    const { actor, secret } = await withTwoFactor();
    const code = await codeFor(secret, 1);
    const [first, second] = await Promise.all([challenge(actor), challenge(actor)]);
    const outcomes = await Promise.all([
      outcome(auth.completeSignIn(first, code, HERE)),
      outcome(auth.completeSignIn(second, code, HERE)),
    ]);
    expect(outcomes.sort()).toEqual(['signed_in', 'unauthenticated']);
    // And later too.
    expect(await outcome(auth.completeSignIn(await challenge(actor), code, HERE))).toBe('unauthenticated');
  });

  it('takes each recovery code once, even sent twice at the same moment, and records its use', async () => {
    const { actor, recoveryCodes } = await withTwoFactor();
    const [first, second] = await Promise.all([challenge(actor), challenge(actor)]);
    const outcomes = await Promise.all([
      outcome(auth.completeSignIn(first, recoveryCodes[0], HERE)),
      outcome(auth.completeSignIn(second, recoveryCodes[0], HERE)),
    ]);
    expect(outcomes.sort()).toEqual(['signed_in', 'unauthenticated']);
    const codes = await testApp.dataSource.getRepository(RecoveryCode).findBy({ userId: actor.userId });
    expect(codes.filter((code) => code.usedAt !== null)).toHaveLength(1);
    expect(await outcome(auth.completeSignIn(await challenge(actor), recoveryCodes[1], HERE))).toBe('signed_in');
  });

  it('uses a challenge once, refuses it once expired, and after too many wrong codes', async () => {
    const { actor, recoveryCodes } = await withTwoFactor();
    const token = await challenge(actor);
    await auth.completeSignIn(token, recoveryCodes[0], HERE);
    expect(await outcome(auth.completeSignIn(token, recoveryCodes[1], HERE))).toBe('unauthenticated');

    const expiring = await challenge(actor);
    await testApp.dataSource
      .getRepository(TwoFactorChallenge)
      .update({ tokenHash: twoFactor.secrets.tokenHash(expiring) }, { expiresAt: new Date(Date.now() - 1000) });
    expect(await outcome(auth.completeSignIn(expiring, recoveryCodes[1], HERE))).toBe('unauthenticated');

    await testApp.dataSource.getRepository(LoginAttempt).clear();
    const guessed = await challenge(actor, '198.51.100.7');
    for (let i = 0; i < TWO_FACTOR_CHALLENGE_MAX_FAILURES - 1; i += 1)
      expect(await outcome(auth.completeSignIn(guessed, '000000', '198.51.100.8'))).toBe('unauthenticated');
    await testApp.dataSource.getRepository(LoginAttempt).clear();
    expect(await outcome(auth.completeSignIn(guessed, '000000', '198.51.100.9'))).toBe('unauthenticated');
    // The challenge is spent: even the right code needs the password again.
    expect(await outcome(auth.completeSignIn(guessed, recoveryCodes[1], '198.51.100.9'))).toBe('unauthenticated');
    expect(await outcome(auth.completeSignIn(await challenge(actor), recoveryCodes[1], HERE))).toBe('signed_in');
  });

  it('counts wrong codes and unfinished password steps towards the same limits as wrong passwords', async () => {
    const { actor, secret } = await withTwoFactor();
    // One unfinished password step and three wrong codes on another challenge: 5 failures from here.
    await challenge(actor);
    const token = await challenge(actor);
    for (let i = 0; i < 3; i += 1)
      expect(await outcome(auth.completeSignIn(token, '000000', HERE))).toBe('unauthenticated');
    const refused = auth.completeSignIn(token, await codeFor(secret, 1), HERE);
    await expect(refused).rejects.toMatchObject({ code: 'too_many_attempts', limit: 'account_address' });
    await expect(auth.beginSignIn(actor.email, PASSWORD, HERE)).rejects.toMatchObject({ code: 'too_many_attempts' });
    // Elsewhere, the person still signs in with password and code.
    const elsewhere = await challenge(actor, '198.51.100.50');
    expect(await outcome(auth.completeSignIn(elsewhere, await codeFor(secret, 1), '198.51.100.50'))).toBe('signed_in');
  });

  it('gives a device cookie only after the code, and that known device is held only to its own failures', async () => {
    const { actor, recoveryCodes } = await withTwoFactor();
    const signedIn = await auth.completeSignIn(await challenge(actor), recoveryCodes[0], HERE);
    const device = signedIn.deviceCookie;
    // Someone else's failures from this address (no device cookie) reach the pair's limit...
    for (let i = 0; i < 5; i += 1) await expect(auth.beginSignIn(actor.email, 'wrong', HERE)).rejects.toBeDefined();
    await expect(auth.beginSignIn(actor.email, PASSWORD, HERE)).rejects.toMatchObject({ code: 'too_many_attempts' });
    // ...but the known device signs in, both steps, from the same address.
    const token = await challenge(actor, HERE, device);
    expect(await outcome(auth.completeSignIn(token, recoveryCodes[1], HERE, device))).toBe('signed_in');
    const attempts = await testApp.dataSource
      .getRepository(LoginAttempt)
      .findBy({ email: actor.email, succeeded: true });
    // Both steps of each completed sign-in are marked succeeded.
    expect(attempts.filter((attempt) => attempt.deviceId !== null)).toHaveLength(2);
  });

  it('marks a session that must set up two-factor only when REQUIRE_2FA applies (off here)', async () => {
    const staff = await factory.actor(school, 'staff');
    await testApp.dataSource.getRepository(User).update({ id: staff.userId }, { passwordHash });
    const signedIn = await auth.signIn(staff.email, PASSWORD, HERE);
    expect(signedIn.twoFactorSetupRequired).toBe(false);
  });
});
