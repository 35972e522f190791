import { JsonResponse } from '../support/api';
import { bootTestApp, DEMO_PASSWORD, TestApp } from '../support/test-app';
import { codeFor, codeStep, passwordStep, turnOnTwoFactor } from '../support/two-factor';
import { cookieHeader, cookiesSetBy, openPageSession, signInThroughForm } from '../support/web-session';

const SOME_ID = '00000000-0000-4000-8000-000000000000';

/**
 * REQUIRE_2FA (API.md, Accounts: Two-factor sign-in): an account holding any role but `staff` and with
 * no two-factor signs in, but may do nothing except set it up, read /api/me and sign out.
 */
describe('REQUIRE_2FA', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    // Ten failures per account and address (five by default): this file's deliberate mistakes all come
    // from one address with no device cookie.
    testApp = await bootTestApp({ env: { REQUIRE_2FA: 'true', SIGN_IN_MAX_FAILURES_PER_ACCOUNT_ADDRESS: '10' } });
  });

  afterAll(() => testApp.close());

  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
  const signIn = async (email: string) => {
    const answer = (await testApp
      .http()
      .post('/api/auth/login')
      .send({ email, password: DEMO_PASSWORD })) as JsonResponse<{
      accessToken: string;
      twoFactorSetupRequired?: boolean;
    }>;
    expect(answer.status).toBe(200);
    return answer.body;
  };

  /** One of every kind of route: JSON reads and writes of each module, lists, pages, page forms. */
  const API_ROUTES: Array<[method: 'get' | 'post', path: string, body?: object]> = [
    ['get', '/api/pupils'],
    ['get', `/api/pupils/${SOME_ID}`],
    ['get', `/api/pupils/${SOME_ID}/chronology`],
    ['get', '/api/concerns'],
    ['post', '/api/concerns', {}],
    ['post', `/api/concerns/${SOME_ID}/decision`, {}],
    ['post', `/api/concerns/${SOME_ID}/escalations`, {}],
    ['get', '/api/escalations'],
    ['get', '/api/la/escalations'],
    ['post', `/api/la/escalations/${SOME_ID}/acknowledge`],
    ['get', '/api/audit'],
    ['get', '/api/reports/referral-balance'],
    ['post', '/api/guidance/evaluate', {}],
  ];
  const PAGES = [
    '/',
    '/pupils',
    `/pupils/${SOME_ID}`,
    '/concerns/new',
    '/audit',
    '/reports/referral-balance',
    '/la/inbox',
    '/la/services',
  ];

  describe.each([
    ['a DSP', 'dsp@riverside.example'],
    ['a head teacher', 'head@hillcrest.example'],
    ['the MASH team', 'mash@cardiff.example'],
    ['an administrator', 'admin@cardiff.example'],
  ])('%s without two-factor', (_who, email) => {
    let token: string;

    beforeAll(async () => {
      const answer = await signIn(email);
      expect(answer.twoFactorSetupRequired).toBe(true);
      token = answer.accessToken;
    });

    it('is refused every route with 403 two_factor_setup_required, and may read /api/me', async () => {
      for (const [method, path, body] of API_ROUTES) {
        const sending = testApp.http()[method](path).set(bearer(token));
        const answer = await (body ? sending.send(body) : sending);
        expect({ path, status: answer.status, code: (answer.body as { code?: string }).code }).toEqual({
          path,
          status: 403,
          code: 'two_factor_setup_required',
        });
      }
      const me = await testApp.http().get('/api/me').set(bearer(token));
      expect(me.status).toBe(200);
      expect(me.body).toMatchObject({ email, twoFactorEnabled: false });
    });

    it('is sent to /account/two-factor from every page', async () => {
      for (const path of PAGES) {
        const page = await testApp.http().get(path).set(bearer(token));
        expect({ path, status: page.status, location: page.headers.location }).toEqual({
          path,
          status: 303,
          location: '/account/two-factor',
        });
      }
      const setupPage = await testApp.http().get('/account/two-factor').set(bearer(token));
      expect(setupPage.status).toBe(200);
      expect(setupPage.text).toContain('Your role needs two-factor sign-in');
    });
  });

  it('lets staff, who are not required to, do everything without it', async () => {
    const answer = await signIn('teacher@riverside.example');
    expect(answer.twoFactorSetupRequired).toBeUndefined();
    expect((await testApp.http().get('/api/pupils').set(bearer(answer.accessToken))).status).toBe(200);
    expect((await testApp.http().get('/').set(bearer(answer.accessToken))).status).toBe(200);
  });

  it('opens everything to the same session once two-factor is on, and then refuses to turn it off', async () => {
    const { accessToken } = await signIn('dsp@hillcrest.example');
    expect((await testApp.http().get('/api/pupils').set(bearer(accessToken))).status).toBe(403);
    const { secret, recoveryCodes } = await turnOnTwoFactor(testApp, accessToken);
    expect((await testApp.http().get('/api/pupils').set(bearer(accessToken))).status).toBe(200);
    expect((await testApp.http().get('/').set(bearer(accessToken))).status).toBe(200);
    const off = await testApp
      .http()
      .post('/api/auth/2fa/disable')
      .set(bearer(accessToken))
      .send({ password: DEMO_PASSWORD, code: recoveryCodes[0] });
    expect(off.status).toBe(422);
    expect(off.body).toMatchObject({ rule: 'two_factor_required' });
    // The next sign-in takes two steps and is not held by the gate.
    const signedIn = await codeStep(
      testApp,
      await passwordStep(testApp, 'dsp@hillcrest.example'),
      await codeFor(secret, 1),
    );
    expect(signedIn.status).toBe(200);
    expect(signedIn.body).not.toHaveProperty('twoFactorSetupRequired');
    const token = (signedIn.body as { accessToken: string }).accessToken;
    expect((await testApp.http().get('/api/concerns').set(bearer(token))).status).toBe(200);

    // A lost phone: a new authenticator, confirmed with a recovery code instead of the old phone's code.
    const setup = await testApp.http().post('/api/auth/2fa/setup').set(bearer(token));
    expect(setup.status).toBe(200);
    const newSecret = (setup.body as { secret: string }).secret;
    const withoutProof = await testApp
      .http()
      .post('/api/auth/2fa/enable')
      .set(bearer(token))
      .send({ code: await codeFor(newSecret) });
    expect(withoutProof.body).toMatchObject({ rule: 'two_factor_already_enabled' });
    const wrongProof = await testApp
      .http()
      .post('/api/auth/2fa/enable')
      .set(bearer(token))
      .send({ code: await codeFor(newSecret), currentCode: '000000' });
    expect(wrongProof.status).toBe(422);
    expect(wrongProof.body).toMatchObject({
      rule: 'two_factor_current_code_wrong',
      errors: { currentCode: [expect.any(String)] },
    });
    const moved = await testApp
      .http()
      .post('/api/auth/2fa/enable')
      .set(bearer(token))
      .send({ code: await codeFor(newSecret), currentCode: recoveryCodes[1] });
    expect(moved.status).toBe(200);
    const newRecoveryCodes = (moved.body as { recoveryCodes: string[] }).recoveryCodes;
    expect(newRecoveryCodes).toHaveLength(10);
    // The old phone's codes and the old recovery codes no longer work; the new phone's do.
    const email = 'dsp@hillcrest.example';
    expect((await codeStep(testApp, await passwordStep(testApp, email), await codeFor(secret, 1))).status).toBe(401);
    expect((await codeStep(testApp, await passwordStep(testApp, email), recoveryCodes[2])).status).toBe(401);
    expect((await codeStep(testApp, await passwordStep(testApp, email), await codeFor(newSecret, 1))).status).toBe(200);
    expect((await codeStep(testApp, await passwordStep(testApp, email), newRecoveryCodes[0])).status).toBe(200);
  });

  describe('on the pages', () => {
    it('sends a head teacher from the sign-in form to set it up, and lets them switch language and sign out', async () => {
      const { response, cookies, csrfToken } = await signInThroughForm(testApp, 'head@riverside.example');
      expect(response.status).toBe(303);
      expect(response.headers.location).toBe('/account/two-factor');
      const home = await testApp.http().get('/').set('Cookie', cookieHeader(cookies));
      expect(home.headers.location).toBe('/account/two-factor');
      // A page form is refused too (the gate runs before the form is read).
      const form = await testApp
        .http()
        .post('/concerns')
        .set('Cookie', cookieHeader(cookies))
        .type('form')
        .send({ _csrf: csrfToken });
      expect(form.status).toBe(303);
      expect(form.headers.location).toBe('/account/two-factor');
      const language = await testApp
        .http()
        .post('/language')
        .set('Cookie', cookieHeader(cookies))
        .type('form')
        .send({ _csrf: csrfToken, language: 'cy', returnTo: '/account/two-factor' });
      expect(language.status).toBe(303);
      expect(language.headers.location).toBe('/account/two-factor');
      expect((await testApp.http().get('/logout').set('Cookie', cookieHeader(cookies))).status).toBe(200);
      const out = await testApp
        .http()
        .post('/logout')
        .set('Cookie', cookieHeader(cookies))
        .type('form')
        .send({ _csrf: csrfToken });
      expect(out.status).toBe(303);
      expect(cookiesSetBy(out).sg_session?.value).toBe('');
    });

    it('lets staff use the pages as before', async () => {
      const staff = await openPageSession(testApp, 'teacher@hillcrest.example');
      expect((await staff.get('/')).status).toBe(200);
    });
  });
});
