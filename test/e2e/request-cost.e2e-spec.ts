import { countQueries } from '../support/count-queries';
import { meWithToken, signInToApi } from '../support/api';
import { bootTestApp, DEMO_PASSWORD, TestApp } from '../support/test-app';
import { cookieHeader, signInThroughForm } from '../support/web-session';

const DSP = 'dsp@riverside.example';

/**
 * What every signed-in request pays before its own work (issue 9): who the caller is (the session check
 * and the actor, with the account's state) in one statement, read once whichever guards, interceptors
 * and error pages need it; and the counts every page's layout shows in one more. Counted, not timed.
 */
describe('The cost of being signed in', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await bootTestApp();
  });

  afterAll(() => testApp.close());

  const statements = (work: () => Promise<unknown>) => countQueries(testApp.dataSource, work);

  it('GET /api/me checks the session and reads the account, its preferences and two-factor state in one statement', async () => {
    const token = await testApp.tokenFor(DSP);
    let status = 0;
    const count = await statements(async () => (status = (await meWithToken(testApp, token)).status));
    expect(status).toBe(200);
    expect(count).toBe(1);
  });

  it('a page reads who is signed in once and all its layout counts (notices, unread notifications) in one statement', async () => {
    const browser = await signInThroughForm(testApp, DSP);
    let html = '';
    // The account page's own work is the person's roles: one more.
    const count = await statements(
      async () => (html = (await testApp.http().get('/account').set('Cookie', cookieHeader(browser.cookies))).text),
    );
    expect(html).toContain('Siân Morgan');
    expect(count).toBe(3);
  });

  it('an error page after the session guard (a refused form) uses the actor the guard loaded, not a second load', async () => {
    const browser = await signInThroughForm(testApp, DSP);
    let response = { status: 0, text: '' };
    const count = await statements(
      async () =>
        (response = await testApp
          .http()
          .post('/account/preferences')
          .set('Cookie', cookieHeader(browser.cookies))
          .type('form')
          .send({ language: 'en', emailNotifications: 'on', _csrf: 'not-the-token' })),
    );
    expect(response.status).toBe(403);
    expect(response.text).toContain('Siân Morgan');
    expect(count).toBe(1);
  });

  it('what /api/me says of the account is read afresh at every request, never kept from an earlier one', async () => {
    const { body } = await signInToApi(testApp, { email: 'dsp@hillcrest.example', password: DEMO_PASSWORD });
    const token = body.accessToken;
    const auth = { Authorization: `Bearer ${token}` };
    expect((await meWithToken(testApp, token)).body).toMatchObject({ emailNotifications: true, language: 'en' });
    expect(
      (await testApp.http().patch('/api/me').set(auth).send({ emailNotifications: false, language: 'cy' })).status,
    ).toBe(200);
    expect((await meWithToken(testApp, token)).body).toMatchObject({ emailNotifications: false, language: 'cy' });
    await testApp.http().patch('/api/me').set(auth).send({ emailNotifications: true, language: 'en' });
    expect((await meWithToken(testApp, token)).body).toMatchObject({ emailNotifications: true, language: 'en' });
  });

  it('a signed-out session is refused at its very next request', async () => {
    const { body } = await signInToApi(testApp, { email: DSP, password: DEMO_PASSWORD });
    const token = body.accessToken;
    expect((await meWithToken(testApp, token)).status).toBe(200);
    expect((await testApp.http().post('/api/auth/logout').set('Authorization', `Bearer ${token}`)).status).toBe(204);
    expect((await meWithToken(testApp, token)).status).toBe(401);
  });
});
