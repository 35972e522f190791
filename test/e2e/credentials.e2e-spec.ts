import { ErrorBody, JsonResponse, Me } from '../support/api';
import { SmtpInbox } from '../support/smtp-inbox';
import { bootTestApp, DEMO_PASSWORD, TestApp } from '../support/test-app';
import { cookieHeader, cookiesSetBy, csrfFieldOf, openPageSession, openSignInForm } from '../support/web-session';

const NEW_PASSWORD = 'heron kettle lantern orchard';
const tokenIn = (link: string) => link.slice(link.lastIndexOf('/reset/') + '/reset/'.length);

describe('Passwords and the account (API, pages, and a real SMTP server)', () => {
  let inbox: SmtpInbox;
  let testApp: TestApp;

  const signIn = (email: string, password: string) =>
    testApp.http().post('/api/auth/login').send({ email, password }) as Promise<
      JsonResponse<{ accessToken: string } & ErrorBody>
    >;
  const tokenOf = async (email: string, password = DEMO_PASSWORD) => {
    const response = await signIn(email, password);
    expect(response.status).toBe(200);
    return response.body.accessToken;
  };
  const me = (token: string) =>
    testApp.http().get('/api/me').set('Authorization', `Bearer ${token}`) as Promise<JsonResponse<Me & ErrorBody>>;
  const changePassword = (token: string, body: object) =>
    testApp.http().post('/api/auth/password').set('Authorization', `Bearer ${token}`).send(body) as Promise<
      JsonResponse<ErrorBody>
    >;
  const askForReset = (email: unknown) =>
    testApp.http().post('/api/auth/password-reset').send({ email }) as Promise<JsonResponse<ErrorBody>>;
  const reset = (token: string, password: unknown) =>
    testApp.http().post(`/api/auth/password-reset/${token}`).send({ password }) as Promise<JsonResponse<ErrorBody>>;
  /** The entries a head teacher reads about their school's accounts. */
  const auditActions = async (action: string, reader: string) => {
    const token = await tokenOf(reader);
    const response = await testApp
      .http()
      .get(`/api/audit?action=${action}&pageSize=200`)
      .set('Authorization', `Bearer ${token}`);
    return (response.body as { items: Array<{ action: string; subjectId: string; details?: unknown }> }).items;
  };

  beforeAll(async () => {
    inbox = await SmtpInbox.start();
    testApp = await bootTestApp({ env: { SMTP_URL: inbox.url, APP_URL: 'https://safeguarding.test' } });
  });
  afterAll(async () => {
    await testApp.close();
    await inbox.close();
  });

  describe('a forgotten password', () => {
    it('emails a link that sets a new password once, ending every session of the account', async () => {
      const email = 'teacher@riverside.example';
      const before = [await tokenOf(email), await tokenOf(email)];

      const asked = await askForReset(email);
      expect(asked.status).toBe(202);
      const sent = await inbox.waitFor(email, (message) => message.text.includes('/reset/'));
      const link = SmtpInbox.linkIn(sent, '/reset/');
      expect(link.startsWith('https://safeguarding.test/reset/')).toBe(true);
      expect(sent.subject).toContain('Reset your password');
      const token = tokenIn(link);

      // The policy answers 400 `password` and leaves the link usable.
      const weak = await reset(token, 'too short');
      expect(weak.status).toBe(400);
      expect(Object.keys(weak.body.errors ?? {})).toEqual(['password']);
      expect((await reset(token, 'my teacher password')).status).toBe(400);

      expect((await reset(token, NEW_PASSWORD)).status).toBe(204);
      for (const old of before) expect((await me(old)).status).toBe(401);
      expect((await signIn(email, DEMO_PASSWORD)).status).toBe(401);
      expect((await signIn(email, NEW_PASSWORD)).status).toBe(200);

      // Single use.
      expect((await reset(token, 'another long passphrase')).status).toBe(404);
    });

    it('sends nothing to an account that has not accepted its invitation, and a deactivated account’s link dies for good', async () => {
      const admin = testApp.as('admin@cardiff.example');
      const organisations = await admin.read<{ items: Array<{ id: string; name: string }> }>('/api/organisations');
      const hillcrest = organisations.items.find((o) => o.name === 'Hillcrest High')!;
      // Invited, never accepted: the invitation (sent to whom the inviter chose) is the only way in.
      const invited = await admin.post<{ id: string }>('/api/users', {
        email: 'not.yet@hillcrest.example',
        name: 'Not Yet',
        organisationId: hillcrest.id,
        role: 'staff',
      });
      expect(invited.status).toBe(201);
      expect((await askForReset('not.yet@hillcrest.example')).status).toBe(202);

      const email = 'teacher@hillcrest.example';
      expect((await askForReset(email)).status).toBe(202);
      const link = SmtpInbox.linkIn(await inbox.waitFor(email, (m) => m.text.includes('/reset/')), '/reset/');
      const users = await admin.read<{ items: Array<{ id: string }> }>('/api/users', { q: email });
      const id = users.items[0].id;
      expect((await admin.post(`/api/users/${id}/deactivate`)).status).toBe(204);
      expect((await reset(tokenIn(link), NEW_PASSWORD)).status).toBe(404);
      expect((await admin.post(`/api/users/${id}/reactivate`)).status).toBe(204);
      expect((await reset(tokenIn(link), NEW_PASSWORD)).status).toBe(404);
      expect((await signIn(email, NEW_PASSWORD)).status).toBe(401);
      expect((await signIn(email, DEMO_PASSWORD)).status).toBe(200);
      // By now the invited account's request has long been dealt with (the teacher's email came after it).
      expect(inbox.to('not.yet@hillcrest.example').filter((m) => m.text.includes('/reset/'))).toEqual([]);
    });

    it('answers 202 alike whether or not the email has an account, and emails only an account', async () => {
      const known = await askForReset('dsp@bridge.example');
      const unknown = await askForReset('nobody-here@bridge.example');
      expect([known.status, unknown.status]).toEqual([202, 202]);
      expect(unknown.body).toEqual(known.body);
      expect(unknown.text).toBe(known.text);
      await inbox.waitFor('dsp@bridge.example');
      expect(inbox.to('nobody-here@bridge.example')).toEqual([]);
    });

    it('refuses an unknown or malformed link with 404, and malformed requests with 400', async () => {
      expect((await reset('A'.repeat(43), NEW_PASSWORD)).status).toBe(404);
      expect((await reset('not-a-token', NEW_PASSWORD)).status).toBe(404);
      expect((await askForReset(42)).status).toBe(400);
      const noPassword = await testApp
        .http()
        .post(`/api/auth/password-reset/${'A'.repeat(43)}`)
        .send({});
      expect(noPassword.status).toBe(400);
    });

    it('audits the request and the reset without the link or any password', async () => {
      const requested = await auditActions('password.reset_requested', 'head@riverside.example');
      const done = await auditActions('password.reset', 'head@riverside.example');
      expect(requested.length).toBeGreaterThan(0);
      expect(done.length).toBeGreaterThan(0);
      const text = JSON.stringify([...requested, ...done]);
      expect(text).not.toContain('nobody-here');
      expect(text).not.toContain(NEW_PASSWORD);
      expect(text).not.toMatch(/[A-Za-z0-9_-]{43}/);
    });
  });

  describe('changing a password', () => {
    const email = 'dsp@hillcrest.example';

    it('needs the current password (422, counted as a failed sign-in) and a new one the policy accepts (400 password)', async () => {
      const token = await tokenOf(email);
      const wrong = await changePassword(token, { currentPassword: 'not it', newPassword: NEW_PASSWORD });
      expect(wrong.status).toBe(422);
      expect(Object.keys(wrong.body.errors ?? {})).toEqual(['currentPassword']);
      const weak = await changePassword(token, { currentPassword: DEMO_PASSWORD, newPassword: 'short' });
      expect(weak.status).toBe(400);
      expect(weak.body.errors?.password).toEqual(weak.body.errors?.newPassword);
      expect(weak.body.errors?.password?.[0]).toMatch(/at least 12/);
      expect((await changePassword(token, { currentPassword: DEMO_PASSWORD })).status).toBe(400);
      expect((await signIn(email, DEMO_PASSWORD)).status).toBe(200);
      expect((await auditActions('account.sign_in_failed', 'head@hillcrest.example')).length).toBeGreaterThan(0);
    });

    it('keeps this session, ends the others, and emails the person', async () => {
      const [mine, other] = [await tokenOf(email), await tokenOf(email)];
      const changed = await changePassword(mine, { currentPassword: DEMO_PASSWORD, newPassword: NEW_PASSWORD });
      expect(changed.status).toBe(204);
      expect((await me(mine)).status).toBe(200);
      expect((await me(other)).status).toBe(401);
      expect((await signIn(email, NEW_PASSWORD)).status).toBe(200);
      const told = await inbox.waitFor(email, (message) => message.subject.includes('was changed'));
      expect(told.text).toContain('https://safeguarding.test/reset\n');
      expect((await auditActions('password.changed', 'head@hillcrest.example')).length).toBe(1);
    });
  });

  describe('/api/me', () => {
    it('adds emailNotifications, and PATCH changes it and the language', async () => {
      const token = await tokenOf('head@riverside.example');
      expect((await me(token)).body).toMatchObject({ email: 'head@riverside.example', emailNotifications: true });
      const patched = await testApp
        .http()
        .patch('/api/me')
        .set('Authorization', `Bearer ${token}`)
        .send({ emailNotifications: false, language: 'cy' });
      expect(patched.status).toBe(200);
      expect(patched.body).toMatchObject({ language: 'cy', emailNotifications: false });
      expect((await me(token)).body).toMatchObject({ language: 'cy', emailNotifications: false });
      const empty = await testApp.http().patch('/api/me').set('Authorization', `Bearer ${token}`).send({});
      expect(empty.status).toBe(200);
      expect(empty.body).toMatchObject({ language: 'cy', emailNotifications: false });
    });

    it.each([[{ language: 'fr' }], [{ emailNotifications: 'yes' }], [{ name: 'New name' }]])(
      'answers 400 to %j and changes nothing',
      async (body) => {
        const token = await tokenOf('teacher@hillcrest.example');
        const response = await testApp.http().patch('/api/me').set('Authorization', `Bearer ${token}`).send(body);
        expect(response.status).toBe(400);
        expect((await me(token)).body).toMatchObject({ language: 'en', emailNotifications: true });
      },
    );
  });

  describe('pages', () => {
    it('links "Forgotten your password?" from the sign-in page, and answers /reset alike for any email', async () => {
      const { page, csrfCookie, csrfToken } = await openSignInForm(testApp);
      expect(page.text).toContain('href="/reset"');
      const post = (email: string) =>
        testApp
          .http()
          .post('/reset')
          .set('Cookie', cookieHeader({ sg_csrf: csrfCookie }))
          .type('form')
          .send({ _csrf: csrfToken, email });
      const known = await post('mash@cardiff.example');
      const unknown = await post('nobody@cardiff.example');
      expect([known.status, unknown.status]).toEqual([200, 200]);
      expect(unknown.text.replace(/nobody@cardiff\.example/g, 'X')).toBe(
        known.text.replace(/mash@cardiff\.example/g, 'X'),
      );
      expect(known.text).toContain('Check your email');
      await inbox.waitFor('mash@cardiff.example');
    });

    it('says clearly that a used or unknown link cannot be used, and how to ask again', async () => {
      const page = await testApp.http().get(`/reset/${'B'.repeat(43)}`);
      expect(page.status).toBe(404);
      expect(page.text).toContain('This link cannot be used');
      expect(page.text).toContain('href="/reset"');
    });

    it('chooses a new password from the emailed link, then signs in with it', async () => {
      const email = 'earlyhelp@cardiff.example';
      const { csrfCookie, csrfToken } = await openSignInForm(testApp);
      const cookies = cookieHeader({ sg_csrf: csrfCookie });
      await testApp.http().post('/reset').set('Cookie', cookies).type('form').send({ _csrf: csrfToken, email });
      const link = SmtpInbox.linkIn(await inbox.waitFor(email), '/reset/');
      const path = new URL(link).pathname;
      const form = await testApp.http().get(path).set('Cookie', cookies);
      expect(form.status).toBe(200);
      const token = csrfFieldOf(form.text);
      const mismatch = await testApp
        .http()
        .post(path)
        .set('Cookie', cookies)
        .type('form')
        .send({ _csrf: token, password: NEW_PASSWORD, confirmPassword: 'something else' });
      expect(mismatch.status).toBe(400);
      expect(mismatch.text).toContain('The two new passwords are not the same');
      const done = await testApp
        .http()
        .post(path)
        .set('Cookie', cookies)
        .type('form')
        .send({ _csrf: token, password: NEW_PASSWORD, confirmPassword: NEW_PASSWORD });
      expect(done.status).toBe(303);
      expect(done.headers.location).toBe('/login?reset=1');
      expect((await testApp.http().get(path)).status).toBe(404);
      expect((await signIn(email, NEW_PASSWORD)).status).toBe(200);
    });

    it('shows /account in Welsh, with the menu link, and saves the settings', async () => {
      const session = await openPageSession(testApp, 'dsp@riverside.example', { language: 'cy' });
      const page = await session.get('/account');
      expect(page.status).toBe(200);
      expect(page.text).toContain('<h1 class="govuk-heading-l">Eich cyfrif</h1>');
      expect(page.text).toContain('href="/account/two-factor"');
      expect(page.text).toMatch(/href="\/account" aria-current="page">Eich cyfrif</);
      const saved = await session.post('/account/preferences', { language: 'cy', emailNotifications: 'off' });
      expect(saved.status).toBe(303);
      expect(saved.headers.location).toBe('/account?done=preferences');
      const after = await session.get('/account?done=preferences');
      expect(after.text).toContain('Mae eich gosodiadau wedi');
      expect(after.text).toMatch(/id="emailNotifications-off"[^>]*checked/);
    });

    it('changes the password on /account, keeping this browser signed in', async () => {
      const session = await openPageSession(testApp, 'head@hillcrest.example');
      const elsewhere = await tokenOf('head@hillcrest.example');
      const wrong = await session.post('/account/password', {
        currentPassword: 'wrong',
        newPassword: NEW_PASSWORD,
        confirmPassword: NEW_PASSWORD,
      });
      expect(wrong.status).toBe(422);
      expect(wrong.text).toContain('Your current password is wrong');
      const weak = await session.post('/account/password', {
        currentPassword: DEMO_PASSWORD,
        newPassword: 'hillcrest-head-2026',
        confirmPassword: 'hillcrest-head-2026',
      });
      expect(weak.status).toBe(400);
      expect(weak.text).toContain('must not contain the part of your email address');
      const done = await session.post('/account/password', {
        currentPassword: DEMO_PASSWORD,
        newPassword: NEW_PASSWORD,
        confirmPassword: NEW_PASSWORD,
      });
      expect(done.status).toBe(303);
      expect((await session.get('/account?done=password')).text).toContain('Your password has been changed');
      expect((await me(elsewhere)).status).toBe(401);
      expect(cookiesSetBy(done).sg_session).toBeUndefined();
    });
  });
});
