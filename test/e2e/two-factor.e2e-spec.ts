import { generate } from 'otplib';
import { JsonResponse, Me } from '../support/api';
import { bootTestApp, DEMO_PASSWORD, TestApp } from '../support/test-app';
import { codeFor, codeStep, passwordStep, turnOnTwoFactor } from '../support/two-factor';
import { cookiesSetBy, csrfFieldOf, openSignInForm, cookieHeader } from '../support/web-session';
import { auditCaughtUp } from '../support/audit-chain';

type MeWithTwoFactor = Me & { twoFactorEnabled: boolean };

describe('Two-factor sign-in (API.md, Accounts: Two-factor sign-in)', () => {
  let testApp: TestApp;

  // Ten failures per account and address (five by default), so this file's own mistakes, all from one
  // address and no device cookie, leave room; the limit is what the lockout test counts up to.
  const MAX_FAILURES = 10;
  beforeAll(async () => {
    testApp = await bootTestApp({ env: { SIGN_IN_MAX_FAILURES_PER_ACCOUNT_ADDRESS: String(MAX_FAILURES) } });
  });

  afterAll(() => testApp.close());

  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
  const me = async (token: string) =>
    ((await testApp.http().get('/api/me').set(bearer(token))) as JsonResponse<MeWithTwoFactor>).body;
  const auditEntries = (action: string, userId: string) =>
    testApp.dataSource.query<Array<{ action: string; details: string | null }>>(
      `SELECT action, details FROM audit_entries WHERE action = $1 AND subject_id = $2
       UNION ALL SELECT action, details FROM audit_pending WHERE action = $1 AND subject_id = $2`,
      [action, userId],
    );

  describe('setting it up, signing in with it, and turning it off', () => {
    const email = 'dsp@riverside.example';
    let token: string;
    let secret: string;
    let recoveryCodes: string[];

    it('starts off; setup gives a base32 secret and an otpauth address naming the product and the account', async () => {
      token = await testApp.tokenFor(email);
      expect((await me(token)).twoFactorEnabled).toBe(false);
      const setup = await testApp.http().post('/api/auth/2fa/setup').set(bearer(token));
      expect(setup.status).toBe(200);
      const body = setup.body as { secret: string; otpauthUrl: string };
      expect(body.secret).toMatch(/^[A-Z2-7]{32}$/);
      expect(body.otpauthUrl).toBe(
        `otpauth://totp/Safeguarding%20record:dsp%40riverside.example?secret=${body.secret}&issuer=Safeguarding%20record`,
      );
      secret = body.secret;
    });

    it('is turned on only by a right code from that secret, and answers ten recovery codes once', async () => {
      const wrong = await testApp.http().post('/api/auth/2fa/enable').set(bearer(token)).send({ code: '000000' });
      expect(wrong.status).toBe(422);
      expect(wrong.body).toMatchObject({ rule: 'two_factor_code_wrong', errors: { code: [expect.any(String)] } });
      const notDigits = await testApp.http().post('/api/auth/2fa/enable').set(bearer(token)).send({ code: 123456 });
      expect(notDigits.status).toBe(400);

      const enabled = await testApp
        .http()
        .post('/api/auth/2fa/enable')
        .set(bearer(token))
        .send({ code: await codeFor(secret) });
      expect(enabled.status).toBe(200);
      recoveryCodes = (enabled.body as { recoveryCodes: string[] }).recoveryCodes;
      expect(recoveryCodes).toHaveLength(10);
      expect(new Set(recoveryCodes).size).toBe(10);
      expect((await me(token)).twoFactorEnabled).toBe(true);
      // The secret in use is never answered again: setting up again (for a new phone) gives another.
      const again = await testApp.http().post('/api/auth/2fa/setup').set(bearer(token));
      expect(again.status).toBe(200);
      expect((again.body as { secret: string }).secret).not.toBe(secret);
      const status = await testApp.http().get('/api/auth/2fa').set(bearer(token));
      expect(status.body).toMatchObject({ enabled: true, recoveryCodesLeft: 10, required: false });
      expect(JSON.stringify(status.body)).not.toContain(secret);
    });

    it('keeps the secret sealed and the recovery codes hashed, and none of them in the audit log', async () => {
      const [stored] = await testApp.dataSource.query<Array<{ secret: string }>>(
        'SELECT secret FROM two_factor_credentials WHERE user_id = $1',
        [(await me(token)).id],
      );
      expect(stored.secret).not.toContain(secret);
      const hashes = await testApp.dataSource.query<Array<{ code_hash: string }>>(
        'SELECT code_hash FROM two_factor_recovery_codes',
      );
      for (const code of recoveryCodes) {
        expect(JSON.stringify(hashes)).not.toContain(code);
        expect(JSON.stringify(hashes)).not.toContain(code.replace(/-/g, ''));
      }
      const entries = await auditEntries('two_factor.enabled', (await me(token)).id);
      expect(entries).toHaveLength(1);
      await auditCaughtUp(testApp);
      const allEntries = JSON.stringify(await testApp.dataSource.query('SELECT details FROM audit_entries'));
      expect(allEntries).not.toContain(secret);
      for (const code of recoveryCodes) expect(allEntries).not.toContain(code);
    });

    it('asks for a code after the password: no access token and no cookies until the code is right', async () => {
      const answer = await testApp.http().post('/api/auth/login').send({ email, password: DEMO_PASSWORD });
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({ twoFactorRequired: true, challengeToken: expect.any(String) });
      expect(cookiesSetBy(answer).sg_device).toBeUndefined();
      expect(cookiesSetBy(answer).sg_session).toBeUndefined();
      // A wrong password is still the plain 401.
      const wrong = await testApp.http().post('/api/auth/login').send({ email, password: 'not the password' });
      expect(wrong.status).toBe(401);
    });

    it('takes the next code once: a wrong code and a replay of the code are 401', async () => {
      const challenge = await passwordStep(testApp, email);
      expect((await codeStep(testApp, challenge, '000000')).status).toBe(401);
      // The code that turned two-factor on was accepted once already.
      const used = await codeFor(secret);
      expect((await codeStep(testApp, challenge, used)).status).toBe(401);
      const next = await codeFor(secret, 1);
      const signedIn = await codeStep(testApp, challenge, next);
      expect(signedIn.status).toBe(200);
      expect(signedIn.body).toMatchObject({ accessToken: expect.any(String), user: { email } });
      expect(cookiesSetBy(signedIn).sg_device).toBeDefined();
      expect((await me((signedIn.body as { accessToken: string }).accessToken)).email).toBe(email);
      // The same code again, on a fresh challenge: refused.
      const replay = await codeStep(testApp, await passwordStep(testApp, email), next);
      expect(replay.status).toBe(401);
    });

    it('uses a challenge once: a used or made-up challenge is 401, and a refused code is not used up', async () => {
      const challenge = await passwordStep(testApp, email);
      expect((await codeStep(testApp, challenge, recoveryCodes[0])).status).toBe(200);
      const reused = await codeStep(testApp, challenge, recoveryCodes[1]);
      expect(reused.status).toBe(401);
      expect((reused.body as { message: string }).message).toMatch(/expired or was already used/);
      expect((await codeStep(testApp, 'made-up-challenge', recoveryCodes[1])).status).toBe(401);
      // The refused recovery code was not used up by those refusals.
      expect((await codeStep(testApp, await passwordStep(testApp, email), recoveryCodes[1])).status).toBe(200);
    });

    it('takes each recovery code once, whatever its case and spacing, and audits it', async () => {
      const typed = recoveryCodes[2].toUpperCase().replace(/-/g, ' ');
      expect((await codeStep(testApp, await passwordStep(testApp, email), typed)).status).toBe(200);
      expect((await codeStep(testApp, await passwordStep(testApp, email), recoveryCodes[2])).status).toBe(401);
      const used = await auditEntries('two_factor.recovery_code_used', (await me(token)).id);
      expect(used).toHaveLength(3);
      const status = await testApp.http().get('/api/auth/2fa').set(bearer(token));
      expect(status.body).toMatchObject({ recoveryCodesLeft: 7 });
    });

    it('makes new recovery codes with a code, and the old ones stop working', async () => {
      const missing = await testApp.http().post('/api/auth/2fa/recovery-codes').set(bearer(token)).send({});
      expect(missing.status).toBe(400);
      const wrong = await testApp
        .http()
        .post('/api/auth/2fa/recovery-codes')
        .set(bearer(token))
        .send({ code: recoveryCodes[0] });
      expect(wrong.status).toBe(422);
      expect(wrong.body).toMatchObject({ rule: 'two_factor_code_wrong' });
      const renewed = await testApp
        .http()
        .post('/api/auth/2fa/recovery-codes')
        .set(bearer(token))
        .send({ code: recoveryCodes[3] });
      expect(renewed.status).toBe(200);
      const fresh = (renewed.body as { recoveryCodes: string[] }).recoveryCodes;
      expect(fresh).toHaveLength(10);
      expect((await codeStep(testApp, await passwordStep(testApp, email), recoveryCodes[4])).status).toBe(401);
      expect((await codeStep(testApp, await passwordStep(testApp, email), fresh[0])).status).toBe(200);
      expect(await auditEntries('two_factor.recovery_codes_regenerated', (await me(token)).id)).toHaveLength(1);
      recoveryCodes = fresh.slice(1);
    });

    it('is turned off with the password and a code; then the password alone signs in', async () => {
      const wrongPassword = await testApp
        .http()
        .post('/api/auth/2fa/disable')
        .set(bearer(token))
        .send({ password: 'not the password', code: recoveryCodes[0] });
      expect(wrongPassword.status).toBe(422);
      expect(wrongPassword.body).toMatchObject({ rule: 'password_wrong', errors: { password: [expect.any(String)] } });
      const off = await testApp
        .http()
        .post('/api/auth/2fa/disable')
        .set(bearer(token))
        .send({ password: DEMO_PASSWORD, code: recoveryCodes[0] });
      expect(off.status).toBe(204);
      expect((await me(token)).twoFactorEnabled).toBe(false);
      const signedIn = await testApp.http().post('/api/auth/login').send({ email, password: DEMO_PASSWORD });
      expect(signedIn.body).toMatchObject({ accessToken: expect.any(String) });
      expect(await auditEntries('two_factor.disabled', (await me(token)).id)).toHaveLength(1);
    });
  });

  describe('failures of the code step count towards the sign-in limits', () => {
    it('refuses with 429 once password steps and wrong codes reach the limit, as wrong passwords do', async () => {
      const email = 'head@hillcrest.example';
      const { secret } = await turnOnTwoFactor(testApp, await testApp.tokenFor(email));
      // A password step counts as a failure until its code is accepted; so does each wrong code.
      const first = await passwordStep(testApp, email);
      for (let i = 0; i < 5; i += 1) expect((await codeStep(testApp, first, '000000')).status).toBe(401);
      // Five wrong codes use a challenge up: the password again (not counted, it is refused before).
      const usedUp = await codeStep(testApp, first, await codeFor(secret, 1));
      expect(usedUp.status).toBe(401);
      expect((usedUp.body as { message: string }).message).toMatch(/enter your password again/);
      const second = await passwordStep(testApp, email);
      for (let i = 0; i < MAX_FAILURES - 7; i += 1)
        expect((await codeStep(testApp, second, '000000')).status).toBe(401);
      // 2 password steps + 8 wrong codes = the limit: even the right code is refused now.
      const refused = await codeStep(testApp, second, await codeFor(secret, 1));
      expect(refused.status).toBe(429);
      expect(refused.body).toMatchObject({ limit: 'account_address', retryAfterSeconds: expect.any(Number) });
      expect(refused.headers['retry-after']).toBeDefined();
      const password = await testApp.http().post('/api/auth/login').send({ email, password: DEMO_PASSWORD });
      expect(password.status).toBe(429);
      expect(
        (await auditEntries('account.two_factor_failed', (await me(await testApp.tokenFor(email))).id)).length,
      ).toBe(8);
    });
  });

  describe('the pages', () => {
    const email = 'dsp@hillcrest.example';
    let secret: string;

    beforeAll(async () => {
      ({ secret } = await turnOnTwoFactor(testApp, await testApp.tokenFor(email)));
    });

    /** Posts the password step through the sign-in form; the code page and the browser's cookies. */
    const passwordThroughForm = async (cookies: Record<string, string> = {}) => {
      const { csrfCookie, csrfToken } = await openSignInForm(testApp, cookies);
      const browser = { ...cookies, sg_csrf: csrfCookie };
      const page = await testApp
        .http()
        .post('/login')
        .set('Cookie', cookieHeader(browser))
        .type('form')
        .send({ email, password: DEMO_PASSWORD, _csrf: csrfToken, next: '/pupils' });
      return { page, browser, csrfToken };
    };
    const challengeOf = (html: string) => /name="challengeToken" value="([^"]+)"/.exec(html)?.[1] ?? '';

    it('asks for the code after a right password, without a session cookie, in a form that works without script', async () => {
      const { page } = await passwordThroughForm();
      expect(page.status).toBe(200);
      expect(cookiesSetBy(page).sg_session).toBeUndefined();
      expect(page.text).toContain('Enter your code');
      expect(page.text).toContain('autocomplete="one-time-code"');
      expect(page.text).toContain('inputmode="numeric"');
      expect(page.text).toContain('action="/login/code"');
      expect(page.text).not.toContain('<script');
    });

    it('says what is wrong: no code, a wrong code; then signs in and goes where the person was going', async () => {
      const { page, browser, csrfToken } = await passwordThroughForm();
      const post = (code: string) =>
        testApp
          .http()
          .post('/login/code')
          .set('Cookie', cookieHeader(browser))
          .type('form')
          .send({ _csrf: csrfToken, challengeToken: challengeOf(page.text), next: '/pupils', code });
      const blank = await post('');
      expect(blank.status).toBe(400);
      expect(blank.text).toContain('Enter the code from your authenticator app, or a recovery code');
      const wrong = await post('000000');
      expect(wrong.status).toBe(401);
      expect(wrong.text).toContain('The code is wrong, out of date or already used');
      expect(cookiesSetBy(wrong).sg_session).toBeUndefined();
      const right = await post(await codeFor(secret, 1));
      expect(right.status).toBe(303);
      expect(right.headers.location).toBe('/pupils');
      expect(cookiesSetBy(right).sg_session).toBeDefined();
    });

    it('sends an expired or used challenge back to the password, in Welsh for a Welsh reader', async () => {
      const { browser, csrfToken } = await passwordThroughForm({ sg_lang: 'cy' });
      const answer = await testApp
        .http()
        .post('/login/code')
        .set('Cookie', cookieHeader(browser))
        .type('form')
        .send({ _csrf: csrfToken, challengeToken: 'not-a-challenge', code: '123456' });
      expect(answer.status).toBe(401);
      expect(answer.text).toContain('Cymerodd eich mewngofnodi ormod o amser');
    });

    it('shows the setup page with the QR code as inline SVG under the strict CSP, and the key in groups', async () => {
      const token = await testApp.tokenFor('dsp@bridge.example');
      const started = await testApp.http().post('/account/two-factor/setup').set(bearer(token));
      expect(started.status).toBe(303);
      const page = await testApp.http().get('/account/two-factor').set(bearer(token));
      expect(page.status).toBe(200);
      expect(page.text).toMatch(/<div class="app-qr-code" role="img" aria-label="[^"]+"><svg /);
      expect(page.text).not.toMatch(/<svg[^>]* style=/);
      expect(page.headers['content-security-policy']).toContain("img-src 'self' data:");
      const groups = /<p class="govuk-body app-secret" id="secret" lang="en"><code>([A-Z2-7 ]+)<\/code>/.exec(
        page.text,
      );
      expect(groups?.[1]).toMatch(/^([A-Z2-7]{4} ){7}[A-Z2-7]{4}$/);
      // Turning it on from the page shows the ten codes once.
      const form = await testApp
        .http()
        .post('/account/two-factor/enable')
        .set(bearer(token))
        .type('form')
        .send({ code: await generate({ secret: groups![1].replace(/ /g, '') }) });
      expect(form.status).toBe(200);
      expect(form.text.match(/<li><code>[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}<\/code><\/li>/g)).toHaveLength(10);
      const after = await testApp.http().get('/account/two-factor').set(bearer(token));
      expect(after.text).not.toContain('app-qr-code');
      expect(after.text).not.toMatch(/<li><code>/);
      expect(after.text).toContain('Unused recovery codes: 10');
      expect(csrfFieldOf(after.text)).toBeTruthy();

      // A new phone: a new key and QR code, confirmed with a code from the old phone or a recovery code.
      await testApp.http().post('/account/two-factor/setup').set(bearer(token));
      const moving = await testApp.http().get('/account/two-factor').set(bearer(token));
      expect(moving.text).toContain('app-qr-code');
      expect(moving.text).toContain('name="currentCode"');
      const newKey = /<code>([A-Z2-7 ]+)<\/code>/.exec(moving.text)![1].replace(/ /g, '');
      const noProof = await testApp
        .http()
        .post('/account/two-factor/enable')
        .set(bearer(token))
        .type('form')
        .send({ code: await generate({ secret: newKey }) });
      expect(noProof.status).toBe(400);
      expect(noProof.text).toContain('Enter a code from your old phone');
      const wrongProof = await testApp
        .http()
        .post('/account/two-factor/enable')
        .set(bearer(token))
        .type('form')
        .send({ code: await generate({ secret: newKey }), currentCode: '000000' });
      expect(wrongProof.status).toBe(422);
      expect(wrongProof.text).toContain('The code from your old phone (or the recovery code) is wrong');
    });
  });
});
