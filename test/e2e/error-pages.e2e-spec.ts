import { bootTestApp, TestApp } from '../support/test-app';
import { openPageSession } from '../support/web-session';

/** The visible text of a page, without markup. */
const textOf = (html: string) =>
  html
    .replace(/<(script|style)[\s\S]*?<\/\1>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/\s+/g, ' ');

/**
 * Issue 8: the error pages keep the header and menu of a signed-in person (also for an address no route
 * knows), the 403 page tells each kind of person something true about whom to ask, and the account
 * administrator's home says what this version lets them do.
 */
describe('Error pages and the account administrator’s home', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await bootTestApp();
  });

  afterAll(() => testApp.close());

  describe('404 while signed in', () => {
    it.each(['/no-such-page', '/pupils/00000000-0000-4000-8000-000000000000'])(
      'keeps the header, the menu and the sign-out button on %s',
      async (path) => {
        const dsp = await openPageSession(testApp, 'dsp@riverside.example');
        const page = await dsp.get(path);
        expect(page.status).toBe(404);
        expect(textOf(page.text)).toContain('Page not found');
        expect(textOf(page.text)).toContain('Signed in as Siân Morgan');
        expect(page.text).toContain('class="govuk-service-navigation"');
        expect(page.text).toContain('href="/pupils"');
        expect(page.text).toContain('action="/logout"');
      },
    );

    it('keeps the chosen language on an unknown address', async () => {
      // Signing in with Welsh chosen saves it on the account: another account than the other tests'.
      const dsp = await openPageSession(testApp, 'dsp@hillcrest.example', { language: 'cy' });
      const page = await dsp.get('/no-such-page');
      expect(page.status).toBe(404);
      expect(textOf(page.text)).toContain("Heb ddod o hyd i'r dudalen");
      expect(textOf(page.text)).toContain('Wedi mewngofnodi fel Owain Hughes');
      expect(page.text).toContain('href="/pupils"');
    });

    it('shows a visitor the 404 page with no one signed in, and the API still answers JSON', async () => {
      const page = await testApp.http().get('/no-such-page');
      expect(page.status).toBe(404);
      expect(textOf(page.text)).toContain('Page not found');
      expect(page.text).not.toContain('action="/logout"');
      const api = await testApp.http().get('/api/no-such-thing');
      expect(api.status).toBe(404);
      expect(api.body).toMatchObject({ statusCode: 404 });
    });
  });

  describe('403', () => {
    it.each([
      ['mash@cardiff.example', '/audit', 'ask your local authority safeguarding lead'],
      ['earlyhelp@cardiff.example', '/audit', 'ask your local authority safeguarding lead'],
      ['teacher@riverside.example', '/audit', 'Ask your designated safeguarding person'],
      ['dsp@riverside.example', '/audit', "ask your head teacher or your local authority's account administrator"],
      ['admin@cardiff.example', '/audit', 'This account is for managing accounts only'],
    ])('tells %s (refused %s) whom to ask: "%s"', async (email, path, expected) => {
      const session = await openPageSession(testApp, email);
      const page = await session.get(path);
      expect(page.status).toBe(403);
      const text = textOf(page.text);
      expect(text).toContain('You cannot do this');
      expect(text).toContain(expected);
      if (!email.endsWith('riverside.example')) expect(text).not.toContain('designated safeguarding person');
      expect(page.text).toContain('action="/logout"');
    });

    it('says it in Welsh too', async () => {
      const mash = await openPageSession(testApp, 'mash@cardiff.example', { language: 'cy' });
      const page = await mash.get('/audit');
      expect(page.status).toBe(403);
      expect(textOf(page.text)).toContain('holwch arweinydd diogelu eich awdurdod lleol');
      expect(textOf(page.text)).not.toContain('person diogelu dynodedig');
    });
  });

  describe("the account administrator's home", () => {
    it.each([
      ['en', "it cannot open any pupil's record", 'Manage organisations', 'Manage accounts'],
      ['cy', 'ni all agor cofnod unrhyw ddisgybl', 'Rheoli sefydliadau', 'Rheoli cyfrifon'],
    ] as const)('says what it is for and links to it (%s)', async (language, noPupils, organisations, accounts) => {
      const admin = await openPageSession(testApp, 'admin@cardiff.example', { language });
      const home = await admin.get('/');
      expect(home.status).toBe(200);
      const text = textOf(home.text);
      expect(text).toContain(noPupils);
      expect(text).toContain(organisations);
      expect(text).toContain(accounts);
      expect(home.text).toMatch(/href="\/admin\/organisations"/);
      expect(home.text).toMatch(/href="\/admin\/users"/);
      // Their own account is there, as for everyone.
      expect(home.text).toContain('href="/account"');
    });
  });
});
