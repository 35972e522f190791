import { meWithToken, signInToApi } from '../support/api';
import { bootTestApp, DEMO_PASSWORD, TestApp } from '../support/test-app';
import { cookieHeader, cookiesSetBy, csrfFieldOf, openSignInForm, signInThroughForm } from '../support/web-session';

const EMAIL = 'dsp@riverside.example';

describe('Sessions: signing out, the session cookie and CSRF tokens', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await bootTestApp();
  });

  afterAll(() => testApp.close());

  const me = (token: string) => meWithToken(testApp, token);
  const apiToken = async (email = EMAIL) => {
    const response = await signInToApi(testApp, { email, password: DEMO_PASSWORD });
    expect(response.status).toBe(200);
    return response.body.accessToken;
  };
  const dashboard = (cookies: Record<string, string>) => testApp.http().get('/').set('Cookie', cookieHeader(cookies));
  const postLogout = (cookies: Record<string, string>, csrfToken: string | undefined) =>
    testApp
      .http()
      .post('/logout')
      .set('Cookie', cookieHeader(cookies))
      .type('form')
      .send(csrfToken === undefined ? {} : { _csrf: csrfToken });

  describe('signing out through the page', () => {
    it('ends that session for good: the old cookie and the same token as Bearer are refused, while other sessions go on', async () => {
      const signedOut = await signInThroughForm(testApp, EMAIL);
      const otherBrowser = await signInThroughForm(testApp, EMAIL);
      const script = await apiToken();
      expect((await dashboard(signedOut.cookies)).status).toBe(200);

      const response = await postLogout(signedOut.cookies, signedOut.csrfToken);
      expect(response.status).toBe(303);
      expect(response.headers.location).toBe('/login?signedOut=1');
      expect(cookiesSetBy(response).sg_session?.value).toBe('');

      // Someone who kept a copy of the cookie gets nothing from it.
      const again = await dashboard(signedOut.cookies);
      expect(again.status).toBe(303);
      expect(again.headers.location).toBe('/login?next=%2F');
      expect((await testApp.http().get('/api/me').set('Cookie', cookieHeader(signedOut.cookies))).status).toBe(401);
      expect((await me(signedOut.cookies.sg_session)).status).toBe(401);

      // The same person's other sessions are untouched.
      expect((await dashboard(otherBrowser.cookies)).status).toBe(200);
      expect((await me(script)).status).toBe(200);
    });
  });

  describe('signing out through the API (POST /api/auth/logout)', () => {
    it('revokes the Bearer token it is called with (204), and only that one', async () => {
      const first = await apiToken();
      const second = await apiToken();
      const browser = await signInThroughForm(testApp, EMAIL);

      const response = await testApp.http().post('/api/auth/logout').set('Authorization', `Bearer ${first}`);
      expect(response.status).toBe(204);
      expect(response.text).toBe('');

      expect((await me(first)).status).toBe(401);
      expect((await testApp.http().post('/api/auth/logout').set('Authorization', `Bearer ${first}`)).status).toBe(401);
      expect((await me(second)).status).toBe(200);
      expect((await dashboard(browser.cookies)).status).toBe(200);
    });

    it('needs a session: without one it is a 401', async () => {
      const response = await testApp.http().post('/api/auth/logout');
      expect(response.status).toBe(401);
      expect(response.body).toMatchObject({ statusCode: 401 });
    });

    it('needs the CSRF token when it rides on the session cookie, then ends that session', async () => {
      const browser = await signInThroughForm(testApp, EMAIL);
      const forged = await testApp.http().post('/api/auth/logout').set('Cookie', cookieHeader(browser.cookies));
      expect(forged.status).toBe(403);
      expect((await dashboard(browser.cookies)).status).toBe(200);

      const response = await testApp
        .http()
        .post('/api/auth/logout')
        .set('Cookie', cookieHeader(browser.cookies))
        .set('X-CSRF-Token', browser.csrfToken);
      expect(response.status).toBe(204);
      expect((await dashboard(browser.cookies)).status).toBe(303);
    });
  });

  describe('the session cookie', () => {
    it('is a browser-session cookie (no Max-Age or Expires): it ends when the browser closes', async () => {
      const { response } = await signInThroughForm(testApp, EMAIL);
      const session = cookiesSetBy(response).sg_session;
      expect(session.attributes).toEqual(expect.arrayContaining(['httponly', 'samesite=lax', 'path=/']));
      expect(
        session.attributes.filter((attribute) => attribute.startsWith('max-age') || attribute.startsWith('expires')),
      ).toEqual([]);
    });

    it('comes with a new CSRF cookie, so one held (or planted) before signing in does not survive it', async () => {
      const { csrfCookie, csrfToken } = await openSignInForm(testApp);
      const response = await testApp
        .http()
        .post('/login')
        .set('Cookie', cookieHeader({ sg_csrf: csrfCookie }))
        .type('form')
        .send({ email: EMAIL, password: DEMO_PASSWORD, _csrf: csrfToken });
      expect(response.status).toBe(303);
      const set = cookiesSetBy(response);
      expect(set.sg_csrf?.value).toEqual(expect.any(String));
      expect(set.sg_csrf.value).not.toBe(csrfCookie);
      expect(set.sg_csrf.attributes).toEqual(expect.arrayContaining(['httponly', 'samesite=lax', 'path=/']));

      // The sign-in form's token is no good once signed in, with the new cookie or the old one.
      const session = set.sg_session.value;
      expect((await postLogout({ sg_csrf: set.sg_csrf.value, sg_session: session }, csrfToken)).status).toBe(403);
      expect((await postLogout({ sg_csrf: csrfCookie, sg_session: session }, csrfToken)).status).toBe(403);
      expect((await dashboard({ sg_csrf: set.sg_csrf.value, sg_session: session })).status).toBe(200);
    });
  });

  describe('CSRF tokens are bound to the session', () => {
    /** The `_csrf` field of a page opened with these cookies. */
    const tokenOnPage = async (path: string, cookies: Record<string, string>) => {
      const page = await testApp.http().get(path).set('Cookie', cookieHeader(cookies));
      expect(page.status).toBe(200);
      return csrfFieldOf(page.text);
    };

    it('refuses a token worked out while signed out, even with the same CSRF cookie', async () => {
      // An attacker plants a CSRF cookie they know, and reads the signed-out sign-in form's token for it.
      const planted = (await openSignInForm(testApp)).csrfCookie;
      const signedOutToken = await tokenOnPage('/login', { sg_csrf: planted });

      const victim = await signInThroughForm(testApp, EMAIL);
      const victimCookies = { ...victim.cookies, sg_csrf: planted };
      expect((await postLogout(victimCookies, signedOutToken)).status).toBe(403);
      expect((await dashboard(victimCookies)).status).toBe(200);

      // The token a page shows for the victim's own cookies is the one that works.
      expect((await postLogout(victimCookies, await tokenOnPage('/logout', victimCookies))).status).toBe(303);
    });

    it("refuses one session's token for another session's form, even with the same CSRF cookie", async () => {
      const attacker = await signInThroughForm(testApp, 'teacher@riverside.example');
      const victim = await signInThroughForm(testApp, EMAIL);
      const shared = attacker.cookies.sg_csrf;
      const attackersToken = await tokenOnPage('/logout', { ...attacker.cookies, sg_csrf: shared });

      const victimCookies = { ...victim.cookies, sg_csrf: shared };
      const response = await postLogout(victimCookies, attackersToken);
      expect(response.status).toBe(403);
      expect(response.text).toContain('The form has expired');
      expect((await dashboard(victimCookies)).status).toBe(200);

      // The same holds for an API call riding on the cookie.
      const api = await testApp
        .http()
        .post('/api/auth/logout')
        .set('Cookie', cookieHeader(victimCookies))
        .set('X-CSRF-Token', attackersToken);
      expect(api.status).toBe(403);
      expect((await dashboard(victimCookies)).status).toBe(200);
    });
  });
});

describe('Session cookies over HTTPS (COOKIE_SECURE=true)', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await bootTestApp({ env: { COOKIE_SECURE: 'true' } });
  });

  afterAll(() => testApp.close());

  it('names them with the __Host- prefix, Secure, for the whole site, and works end to end', async () => {
    const page = await testApp.http().get('/login');
    const csrf = cookiesSetBy(page)['__Host-sg_csrf'];
    expect(csrf?.attributes).toEqual(expect.arrayContaining(['secure', 'httponly', 'path=/']));
    expect(csrf.attributes.some((attribute) => attribute.startsWith('domain'))).toBe(false);
    expect(cookiesSetBy(page).sg_csrf).toBeUndefined();

    const signIn = await testApp
      .http()
      .post('/login')
      .set('Cookie', cookieHeader({ '__Host-sg_csrf': csrf.value }))
      .type('form')
      .send({ email: EMAIL, password: DEMO_PASSWORD, _csrf: csrfFieldOf(page.text) });
    expect(signIn.status).toBe(303);
    const set = cookiesSetBy(signIn);
    const session = set['__Host-sg_session'];
    expect(session?.attributes).toEqual(expect.arrayContaining(['secure', 'httponly', 'samesite=lax', 'path=/']));
    expect(set['__Host-sg_csrf']?.value).not.toBe(csrf.value);

    // The device cookie too: Secure, httpOnly, SameSite=Lax, and long-lived.
    expect(set['__Host-sg_device']?.attributes).toEqual(
      expect.arrayContaining(['secure', 'httponly', 'samesite=lax', 'path=/']),
    );
    expect(set.sg_device).toBeUndefined();

    const cookies = { '__Host-sg_csrf': set['__Host-sg_csrf'].value, '__Host-sg_session': session.value };
    const home = await testApp.http().get('/').set('Cookie', cookieHeader(cookies));
    expect(home.status).toBe(200);
    // The unprefixed name, which a plain-HTTP page or a sibling subdomain could set, is not read.
    expect(
      (
        await testApp
          .http()
          .get('/')
          .set('Cookie', cookieHeader({ sg_session: session.value }))
      ).status,
    ).toBe(303);

    const signOut = await testApp
      .http()
      .post('/logout')
      .set('Cookie', cookieHeader(cookies))
      .type('form')
      .send({ _csrf: csrfFieldOf(home.text) });
    expect(signOut.status).toBe(303);
    const cleared = cookiesSetBy(signOut)['__Host-sg_session'];
    expect(cleared?.value).toBe('');
    expect(cleared.attributes).toEqual(expect.arrayContaining(['secure', 'path=/']));
    expect((await testApp.http().get('/').set('Cookie', cookieHeader(cookies))).status).toBe(303);
  });
});
