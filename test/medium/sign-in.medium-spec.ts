import { AuthService } from '../../src/auth/auth.service';
import { LoginAttempt } from '../../src/auth/login-attempt.entity';
import { hashPassword } from '../../src/auth/password-hasher';
import { User } from '../../src/organisations/user.entity';
import { Factory } from '../support/factory';
import { bootTestApp, TestApp } from '../support/test-app';

describe(AuthService.name, () => {
  let testApp: TestApp;
  let auth: AuthService;
  let email: string;

  beforeAll(async () => {
    testApp = await bootTestApp({ seedDemo: false });
    auth = testApp.app.get(AuthService);
    const factory = new Factory(testApp.dataSource);
    const school = await factory.school(await factory.localAuthority());
    const actor = await factory.actor(school, 'dsp');
    email = actor.email;
    await testApp.dataSource.getRepository(User).update({ id: actor.userId }, { passwordHash: await hashPassword('right password') });
  });

  afterAll(() => testApp.close());

  beforeEach(() => testApp.dataSource.getRepository(LoginAttempt).clear());

  const failTimes = async (n: number) => {
    for (let i = 0; i < n; i += 1) await expect(auth.signIn(email, 'wrong', '127.0.0.1')).rejects.toMatchObject({ code: 'unauthenticated' });
  };

  it('signs in with the right password whatever the case of the email', async () => {
    const signedIn = await auth.signIn(email.toUpperCase(), 'right password', null);
    expect(signedIn.actor.email).toBe(email);
    expect(signedIn.accessToken.split('.')).toHaveLength(3);
  });

  it('locks the account after five failures in fifteen minutes, even against the right password', async () => {
    await failTimes(5);
    await expect(auth.signIn(email, 'right password', null)).rejects.toMatchObject({ code: 'too_many_attempts' });
  });

  it('does not lock after four failures, and a success starts the count again', async () => {
    await failTimes(4);
    await auth.signIn(email, 'right password', null);
    await failTimes(4);
    await expect(auth.signIn(email, 'right password', null)).resolves.toBeDefined();
  });

  it('unlocks once the failures are older than the window', async () => {
    await failTimes(5);
    const sixteenMinutesAgo = new Date(Date.now() - 16 * 60 * 1000);
    await testApp.dataSource.getRepository(LoginAttempt).update({ email }, { at: sixteenMinutesAgo });
    await expect(auth.signIn(email, 'right password', null)).resolves.toBeDefined();
  });

  it('says the same thing for an unknown email as for a wrong password', async () => {
    await expect(auth.signIn('nobody@test.example', 'whatever', null)).rejects.toMatchObject({ code: 'unauthenticated', message: 'Wrong email or password' });
  });
});
