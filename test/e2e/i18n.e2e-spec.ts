import { Response } from 'supertest';
import { CATALOGUES } from '../../src/i18n/catalogues';
import { bootTestApp, TestApp } from '../support/test-app';
import { cookieHeader, cookiesSetBy, signInThroughForm } from '../support/web-session';

/**
 * A catalogue key shown instead of its text, e.g. `pupils.title` or `login.errors.locked`: one of the
 * catalogue's top-level sections followed by a dot and a name.
 */
const RAW_KEY = new RegExp(`(?<![\\w/.-])(?:${Object.keys(CATALOGUES.en).join('|')})\\.[A-Za-z_]`, 'g');
const rawKeysIn = (html: string) => html.match(RAW_KEY) ?? [];

const htmlLang = (response: Response) => /<html lang="([^"]*)"/.exec(response.text)?.[1];

describe('Welsh and English', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await bootTestApp();
  });

  afterAll(() => testApp.close());

  describe('choosing the language of the sign-in page', () => {
    it('is English by default', async () => {
      const response = await testApp.http().get('/login');
      expect(response.status).toBe(200);
      expect(htmlLang(response)).toBe('en');
      expect(response.text).toContain('Sign in');
      expect(response.text).not.toContain('Mewngofnodi');
    });

    it('switches to Welsh with ?lang=cy, remembers it in a cookie, and stays Welsh on the next visit', async () => {
      const first = await testApp.http().get('/login?lang=cy');
      expect(first.status).toBe(200);
      expect(htmlLang(first)).toBe('cy');
      expect(first.text).toContain('Mewngofnodi');
      expect(first.text).not.toContain('Sign in');

      const remembered = cookiesSetBy(first).sg_lang;
      expect(remembered?.value).toBe('cy');

      const next = await testApp.http().get('/login').set('Cookie', cookieHeader({ sg_lang: remembered.value }));
      expect(htmlLang(next)).toBe('cy');
      expect(next.text).toContain('Mewngofnodi');
    });

    it('switches back to English with ?lang=en, even over a remembered Welsh choice', async () => {
      const response = await testApp.http().get('/login?lang=en').set('Cookie', cookieHeader({ sg_lang: 'cy' }));
      expect(htmlLang(response)).toBe('en');
      expect(response.text).toContain('Sign in');
      expect(cookiesSetBy(response).sg_lang?.value).toBe('en');
    });

    it("follows a browser that asks for Welsh (Accept-Language) when nothing else was chosen", async () => {
      const response = await testApp.http().get('/login').set('Accept-Language', 'cy');
      expect(htmlLang(response)).toBe('cy');
      expect(response.text).toContain('Mewngofnodi');

      const regional = await testApp.http().get('/login').set('Accept-Language', 'cy-GB,cy;q=0.9,en;q=0.5');
      expect(htmlLang(regional)).toBe('cy');
    });

    it('offers the other language from every page', async () => {
      const english = await testApp.http().get('/login');
      expect(english.text).toMatch(/<a href="\/login\?lang=cy"[^>]*hreflang="cy"[^>]*>Cymraeg<\/a>/);
      const welsh = await testApp.http().get('/login?lang=cy');
      expect(welsh.text).toMatch(/<a href="\/login\?lang=en"[^>]*hreflang="en"[^>]*>English<\/a>/);
    });

    it('shows sign-in errors in Welsh', async () => {
      const { response } = await signInThroughForm(testApp, 'teacher@hillcrest.example', 'not-the-password').then(async (english) => {
        // Same flow, but the browser holds the Welsh choice.
        void english;
        const page = await testApp.http().get('/login?lang=cy');
        const csrfCookie = cookiesSetBy(page).sg_csrf.value;
        const csrfToken = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
        const posted = await testApp
          .http()
          .post('/login')
          .set('Cookie', cookieHeader({ sg_csrf: csrfCookie, sg_lang: 'cy' }))
          .type('form')
          .send({ email: 'teacher@hillcrest.example', password: 'not-the-password', _csrf: csrfToken });
        return { response: posted };
      });
      expect(response.status).toBe(401);
      expect(htmlLang(response)).toBe('cy');
      expect(response.text).toContain('Mae problem wedi codi');
      expect(response.text).toContain("Mae&#x27;r cyfeiriad e-bost neu&#x27;r cyfrinair yn anghywir");
    });
  });

  describe("a signed-in person's language", () => {
    it('switches their pages to Welsh with ?lang=cy and keeps it on their account', async () => {
      const email = 'teacher@riverside.example';
      const token = await testApp.tokenFor(email);
      const me = () => testApp.http().get('/api/me').set('Authorization', `Bearer ${token}`);
      expect((await me()).body.language).toBe('en');

      const { cookies } = await signInThroughForm(testApp, email);
      const english = await testApp.http().get('/').set('Cookie', cookieHeader(cookies));
      expect(htmlLang(english)).toBe('en');
      expect(english.text).toContain('Welcome, Tomos Evans');

      const welsh = await testApp.http().get('/?lang=cy').set('Cookie', cookieHeader(cookies));
      expect(welsh.status).toBe(200);
      expect(htmlLang(welsh)).toBe('cy');
      expect(welsh.text).toContain('Croeso, Tomos Evans');
      expect((await me()).body.language).toBe('cy');

      // Another browser, with no language cookie: signing in brings back the saved choice.
      const elsewhere = await signInThroughForm(testApp, email);
      expect(elsewhere.cookies.sg_lang).toBe('cy');
      const dashboard = await testApp.http().get('/').set('Cookie', cookieHeader({ sg_session: elsewhere.cookies.sg_session }));
      expect(htmlLang(dashboard)).toBe('cy');
      expect(dashboard.text).toContain('Croeso, Tomos Evans');
    });
  });

  describe('no untranslated text', () => {
    let pupilId: string;
    const sessions: Record<string, Record<string, string>> = {};

    beforeAll(async () => {
      for (const email of ['dsp@riverside.example', 'head@riverside.example']) {
        sessions[email] = (await signInThroughForm(testApp, email)).cookies;
      }
      const roll = await testApp.http().get('/api/pupils').set('Authorization', `Bearer ${await testApp.tokenFor('dsp@riverside.example')}`);
      // A pupil with needs and circumstances, so that every label on the record page is drawn.
      pupilId = roll.body.items.find((pupil: { firstName: string }) => pupil.firstName === 'Yusuf').id;
      // Put something in the audit log for the head teacher's page to show.
      await testApp.http().get(`/api/pupils/${pupilId}`).set('Authorization', `Bearer ${await testApp.tokenFor('dsp@riverside.example')}`);
    });

    it('recognises a raw catalogue key when it sees one (the check below is not blind)', () => {
      expect(rawKeysIn('<h1>pupils.title</h1><p>login.errors.locked</p><a aria-label="layout.languageSwitchLabel">')).toEqual([
        'pupils.t',
        'login.e',
        'layout.l',
      ]);
      expect(rawKeysIn('<link href="/assets/app.css"><a href="/audit">dsp@riverside.example</a>')).toEqual([]);
    });

    const PAGES: Array<{ email: string; path: string }> = [
      { email: 'dsp@riverside.example', path: '/login' },
      { email: 'dsp@riverside.example', path: '/' },
      { email: 'dsp@riverside.example', path: '/pupils' },
      { email: 'dsp@riverside.example', path: '/pupils?q=zzz' },
      { email: 'dsp@riverside.example', path: '/pupils/:id' },
      { email: 'head@riverside.example', path: '/' },
      { email: 'head@riverside.example', path: '/pupils/:id' },
      { email: 'head@riverside.example', path: '/audit' },
    ];

    for (const lang of ['en', 'cy'] as const) {
      it.each(PAGES)(`shows $path to $email in ${lang === 'cy' ? 'Welsh' : 'English'} with no raw catalogue keys`, async ({ email, path }) => {
        const url = path.replace(':id', pupilId);
        const response = await testApp
          .http()
          .get(`${url}${url.includes('?') ? '&' : '?'}lang=${lang}`)
          .set('Cookie', cookieHeader(path === '/login' ? {} : sessions[email]));
        expect(response.status).toBe(200);
        expect(htmlLang(response)).toBe(lang);
        expect(rawKeysIn(response.text)).toEqual([]);
      });
    }

    it("shows the audit log's actions in words, in both languages", async () => {
      const english = await testApp.http().get('/audit?lang=en').set('Cookie', cookieHeader(sessions['head@riverside.example']));
      expect(english.text).toContain('Opened a pupil&#x27;s record');
      const welsh = await testApp.http().get('/audit?lang=cy').set('Cookie', cookieHeader(sessions['head@riverside.example']));
      expect(welsh.text).toContain(CATALOGUES.cy.audit && (CATALOGUES.cy.audit as Record<string, Record<string, string>>).actions['pupil.viewed'].replace(/'/g, '&#x27;'));
    });
  });
});
