import { AuditItem, Paged, SignInResponse } from '../support/api';
import { bootTestApp, DEMO_PASSWORD, TestApp } from '../support/test-app';
import { cookieHeader, cookiesSetBy, csrfFieldOf } from '../support/web-session';
import { auditEntries } from '../support/audit-chain';

/**
 * Issue 10's sign-in attacks, over HTTP. The app trusts one proxy here (TRUST_PROXY), so each request
 * says its network address in X-Forwarded-For, as a school's traffic arrives through a load balancer.
 * The limits are the defaults: 100 failures per address, 20 per account from unknown devices, 5 per
 * account and address, 5 per known device, over 15 minutes.
 */
describe('Sign-in throttling that an attacker cannot turn against staff', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await bootTestApp({ env: { TRUST_PROXY: 'true' } });
  });

  afterAll(() => testApp.close());

  /** POST /api/auth/login from `address`, with a device cookie if given and a language if asked. */
  const apiSignIn = (
    address: string,
    email: string,
    password: string,
    options: { device?: string; language?: string } = {},
  ): Promise<SignInResponse> => {
    let request = testApp.http().post('/api/auth/login').set('X-Forwarded-For', address);
    if (options.device) request = request.set('Cookie', cookieHeader({ sg_device: options.device }));
    if (options.language) request = request.set('Accept-Language', options.language);
    return request.send({ email, password });
  };

  /**
   * The sign-in form as a browser at `address` would use it, carrying `cookies` (a device cookie, a
   * language); the response, and the cookies the browser holds afterwards.
   */
  const formSignIn = async (
    address: string,
    email: string,
    password = DEMO_PASSWORD,
    cookies: Record<string, string> = {},
  ) => {
    const page = await testApp
      .http()
      .get('/login')
      .set('X-Forwarded-For', address)
      .set('Cookie', cookieHeader(cookies));
    const held: Record<string, string> = { ...cookies, sg_csrf: cookiesSetBy(page).sg_csrf?.value ?? cookies.sg_csrf };
    const response = await testApp
      .http()
      .post('/login')
      .set('X-Forwarded-For', address)
      .set('Cookie', cookieHeader(held))
      .type('form')
      .send({ email, password, _csrf: csrfFieldOf(page.text) });
    const set = cookiesSetBy(response);
    for (const [name, cookie] of Object.entries(set)) held[name] = cookie.value;
    return { response, cookies: held };
  };

  /** Signs `email` in through the form at `address`: the device cookie the browser is given. */
  const knownDevice = async (address: string, email: string): Promise<string> => {
    const { response } = await formSignIn(address, email);
    expect(response.status).toBe(303);
    const device = cookiesSetBy(response).sg_device;
    expect(device?.value).toEqual(expect.any(String));
    return device.value;
  };

  const fail = async (address: string, email: string, times: number) => {
    for (let i = 0; i < times; i += 1) {
      const response = await apiSignIn(address, email, `wrong-${i}`);
      expect(response.status).toBe(401);
    }
  };

  it('gives a device that signs in a long-lived, httpOnly, SameSite=Lax device cookie (API and form)', async () => {
    const api = await apiSignIn('198.51.100.50', 'teacher@riverside.example', DEMO_PASSWORD);
    expect(api.status).toBe(200);
    const device = cookiesSetBy(api).sg_device;
    expect(device.attributes).toEqual(expect.arrayContaining(['httponly', 'samesite=lax', 'path=/']));
    const maxAge = Number(device.attributes.find((a) => a.startsWith('max-age='))?.slice('max-age='.length));
    expect(maxAge).toBe(180 * 24 * 3600);
    // Failures set none.
    expect(cookiesSetBy(await apiSignIn('198.51.100.50', 'teacher@riverside.example', 'wrong')).sg_device).toBe(
      undefined,
    );
  });

  describe('(a) a school shares one network address', () => {
    const school = '198.51.100.1';

    it("lets a DSP on their known device sign in after 100 failures from the school's address for made-up emails", async () => {
      const dspDevice = await knownDevice(school, 'dsp@riverside.example');

      // Someone at the school (or behind the same address) sprays made-up emails, in small bursts.
      for (let burst = 0; burst < 10; burst += 1) {
        const answers = await Promise.all(
          Array.from({ length: 10 }, (_, i) => apiSignIn(school, `made-up-${burst}-${i}@riverside.example`, 'guess')),
        );
        expect(answers.map((answer) => answer.status)).toEqual(Array(10).fill(401));
      }

      // A device not known to its account is refused from that address, and told it is the address.
      const stranger = await apiSignIn(school, 'head@riverside.example', DEMO_PASSWORD);
      expect(stranger.status).toBe(429);
      expect(stranger.body).toMatchObject({ limit: 'address', code: 'too_many_attempts' });
      expect(stranger.body.message).toMatch(/from this network address/);
      expect(stranger.body.message).not.toMatch(/for this account/);
      expect(Number(stranger.headers['retry-after'])).toBeGreaterThan(0);

      // The DSP's own browser signs in, from the same address, through the form.
      const { response } = await formSignIn(school, 'dsp@riverside.example', DEMO_PASSWORD, { sg_device: dspDevice });
      expect(response.status).toBe(303);
      expect(cookiesSetBy(response).sg_session?.value).toEqual(expect.any(String));
    });
  });

  describe("(b) someone who knows a DSP's email", () => {
    it('does not stop the DSP signing in from their known device with wrong passwords from elsewhere', async () => {
      const email = 'dsp@hillcrest.example';
      const dspDevice = await knownDevice('198.51.100.2', email);

      await fail('203.0.113.9', email, 5);
      const attacker = await apiSignIn('203.0.113.9', email, 'wrong-again');
      expect(attacker.status).toBe(429);
      expect(attacker.body.limit).toBe('account_address');

      const { response } = await formSignIn('198.51.100.2', email, DEMO_PASSWORD, { sg_device: dspDevice });
      expect(response.status).toBe(303);
      // Even from the attacker's own address (a shared network), the known device is not refused.
      const sameNetwork = await apiSignIn('203.0.113.9', email, DEMO_PASSWORD, { device: dspDevice });
      expect(sameNetwork.status).toBe(200);
    });

    it("does not let a device cookie made for another account stand in for the DSP's", async () => {
      const email = 'head@hillcrest.example';
      const othersDevice = await knownDevice('203.0.113.10', 'teacher@hillcrest.example');
      await fail('203.0.113.10', email, 5);
      const refused = await apiSignIn('203.0.113.10', email, DEMO_PASSWORD, { device: othersDevice });
      expect(refused.status).toBe(429);
      expect(refused.body.limit).toBe('account_address');
    });
  });

  describe('(c) guessing from devices the account does not know is still limited', () => {
    const email = 'lead@cardiff.example';

    it('refuses every unknown device for the account after 20 failures spread over addresses: 429, truthful, in English and Welsh', async () => {
      for (let address = 0; address < 5; address += 1) await fail(`192.0.2.${address + 1}`, email, 4);

      const english = await apiSignIn('192.0.2.99', email, DEMO_PASSWORD);
      expect(english.status).toBe(429);
      expect(english.body.accessToken).toBeUndefined();
      expect(english.body).toMatchObject({ statusCode: 429, limit: 'account' });
      expect(english.body.message).toMatch(/for this account from devices it has not been used on before/);
      const retryAfter = Number(english.headers['retry-after']);
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(15 * 60);
      expect(english.body.retryAfterSeconds).toBe(retryAfter);

      const welsh = await apiSignIn('192.0.2.98', email, DEMO_PASSWORD, { language: 'cy' });
      expect(welsh.status).toBe(429);
      expect(welsh.body.message).toMatch(/Gormod o gyfrineiriau anghywir ar gyfer y cyfrif hwn o ddyfeisiau/);

      const page = await formSignIn('192.0.2.97', email, DEMO_PASSWORD, { sg_lang: 'cy' });
      expect(page.response.status).toBe(429);
      expect(page.response.headers['retry-after']).toEqual(expect.stringMatching(/^\d+$/));
      expect(page.response.text).toContain('o ddyfeisiau na chawsant eu defnyddio ar ei gyfer o&#x27;r blaen');
      expect(page.response.text).toMatch(/ymhen \d+ munud/);
      expect(cookiesSetBy(page.response).sg_session).toBeUndefined();
    });

    it('refuses a known device after five wrong passwords of its own', async () => {
      const device = await knownDevice('192.0.2.50', 'earlyhelp@cardiff.example');
      for (let i = 0; i < 5; i += 1)
        expect((await apiSignIn('192.0.2.50', 'earlyhelp@cardiff.example', 'wrong', { device })).status).toBe(401);
      const refused = await apiSignIn('192.0.2.50', 'earlyhelp@cardiff.example', DEMO_PASSWORD, { device });
      expect(refused.status).toBe(429);
      expect(refused.body.limit).toBe('device');
      expect(refused.body.message).toMatch(/on this device/);
    });
  });

  describe('(d) sign-ins in the audit log', () => {
    const email = 'teacher@hillcrest.example';
    const address = '198.51.100.77';

    it('records success, failure, lockout, refusal and sign-out, never the password, and shows them to the head teacher', async () => {
      const entries = await auditEntries(testApp);
      const before = await entries.count();

      const signedIn = await formSignIn(address, email);
      expect(signedIn.response.status).toBe(303);
      await fail(address, 'Teacher@Hillcrest.example', 5);
      expect((await apiSignIn(address, email, 'the-secret-guess-6')).status).toBe(429);
      expect((await apiSignIn(address, 'nobody-here@hillcrest.example', 'the-secret-guess-7')).status).toBe(401);
      const logoutPage = await testApp.http().get('/logout').set('Cookie', cookieHeader(signedIn.cookies));
      const signedOut = await testApp
        .http()
        .post('/logout')
        .set('X-Forwarded-For', address)
        .set('Cookie', cookieHeader(signedIn.cookies))
        .type('form')
        .send({ _csrf: csrfFieldOf(logoutPage.text) });
      expect(signedOut.status).toBe(303);

      const recorded = (await (await auditEntries(testApp)).find({ order: { seq: 'ASC' } })).slice(before);
      const teacher = (await testApp.as(email).me()).id;
      expect(recorded.map((entry) => [entry.action, entry.details?.limit ?? null])).toEqual([
        ['account.signed_in', null],
        ...Array.from({ length: 5 }, () => ['account.sign_in_failed', null]),
        ['account.locked_out', 'account_address'],
        ['account.sign_in_refused', 'account_address'],
        ['account.sign_in_failed', null],
        ['account.signed_out', null],
      ]);
      const [success, failure] = recorded;
      expect(success).toMatchObject({ actorUserId: teacher, subjectType: 'account', subjectId: teacher });
      expect(success.details).toMatchObject({ address, knownDevice: false });
      // An attempt proves nothing about who made it: the email as typed, under the account's school.
      expect(failure).toMatchObject({ actorUserId: null, actorName: 'Teacher@Hillcrest.example', subjectId: teacher });
      expect(failure.actorOrganisationId).toBe(success.actorOrganisationId);
      expect(failure.details).toMatchObject({ email: 'Teacher@Hillcrest.example', address });
      const unknown = recorded[8];
      expect(unknown).toMatchObject({ actorUserId: null, actorName: 'unknown account', subjectId: '' });
      expect(unknown.details).toEqual({ address, email: 'unknown account' });
      expect(recorded[9]).toMatchObject({ actorUserId: teacher, subjectId: teacher });
      expect(recorded[9].details).toEqual({ address });
      const everything = JSON.stringify(recorded);
      expect(everything).not.toMatch(/wrong-|the-secret-guess|nobody-here/);

      // The school's head teacher reads them in the log, in words.
      const head = testApp.as('head@hillcrest.example');
      const listed = await head.read<Paged<AuditItem>>('/api/audit', { action: 'account.locked_out' });
      expect(listed.items.map((item) => item.subjectId)).toContain(teacher);
      const page = await testApp
        .http()
        .get('/audit?action=account.sign_in_refused')
        .set(await head.authorization());
      expect(page.status).toBe(200);
      expect(page.text).toContain('Was refused sign-in: too many failed attempts');
    });
  });
});
