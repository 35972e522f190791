import { Response } from 'supertest';
import { CATALOGUES } from '../../src/i18n/catalogues';
import { translate } from '../../src/i18n/i18n.service';
import { bootTestApp, TestApp } from '../support/test-app';
import { cookieHeader, cookiesSetBy, signInThroughForm } from '../support/web-session';

/**
 * A catalogue key shown instead of its text, e.g. `pupils.title` or `login.errors.locked`: one of the
 * catalogue's top-level sections followed by a dot and a name.
 */
const RAW_KEY = new RegExp(`(?<![\\w/.-])(?:${Object.keys(CATALOGUES.en).join('|')})\\.[A-Za-z_]`, 'g');
const rawKeysIn = (html: string) => html.match(RAW_KEY) ?? [];

const escapeHtml = (text: string) =>
  text
    .replace(/&/g, '&amp;')
    .replace(/'/g, '&#x27;')
    .replace(/"/g, '&quot;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
/** The header's link to the other language, with its href decoded as a browser would. */
const languageSwitchOf = (response: Response) => {
  const match =
    /<a href="([^"]*)" class="[^"]*app-header__language[^"]*"[^>]*hreflang="([^"]*)"[^>]*>([^<]*)<\/a>/.exec(
      response.text,
    );
  return match && { href: match[1].replace(/&#x3D;/g, '=').replace(/&amp;/g, '&'), hreflang: match[2], text: match[3] };
};
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

      const next = await testApp
        .http()
        .get('/login')
        .set('Cookie', cookieHeader({ sg_lang: remembered.value }));
      expect(htmlLang(next)).toBe('cy');
      expect(next.text).toContain('Mewngofnodi');
    });

    it('switches back to English with ?lang=en, even over a remembered Welsh choice', async () => {
      const response = await testApp
        .http()
        .get('/login?lang=en')
        .set('Cookie', cookieHeader({ sg_lang: 'cy' }));
      expect(htmlLang(response)).toBe('en');
      expect(response.text).toContain('Sign in');
      expect(cookiesSetBy(response).sg_lang?.value).toBe('en');
    });

    it('follows a browser that asks for Welsh (Accept-Language) when nothing else was chosen', async () => {
      const response = await testApp.http().get('/login').set('Accept-Language', 'cy');
      expect(htmlLang(response)).toBe('cy');
      expect(response.text).toContain('Mewngofnodi');

      const regional = await testApp.http().get('/login').set('Accept-Language', 'cy-GB,cy;q=0.9,en;q=0.5');
      expect(htmlLang(regional)).toBe('cy');
    });

    it('offers the other language from the header', async () => {
      expect(languageSwitchOf(await testApp.http().get('/login'))).toEqual({
        href: '/login?lang=cy',
        hreflang: 'cy',
        text: 'Cymraeg',
      });
      expect(languageSwitchOf(await testApp.http().get('/login?lang=cy'))).toEqual({
        href: '/login?lang=en',
        hreflang: 'en',
        text: 'English',
      });
    });

    it('shows sign-in errors in Welsh to a browser that chose Welsh', async () => {
      const { response } = await signInThroughForm(testApp, 'teacher@hillcrest.example', 'not-the-password', {
        sg_lang: 'cy',
      });
      expect(response.status).toBe(401);
      expect(htmlLang(response)).toBe('cy');
      expect(response.text).toContain('Mae problem wedi codi');
      expect(response.text).toContain('Mae&#x27;r cyfeiriad e-bost neu&#x27;r cyfrinair yn anghywir');
    });
  });

  describe("a signed-in person's language", () => {
    it('switches their pages to Welsh with ?lang=cy and keeps it on their account', async () => {
      const email = 'teacher@riverside.example';
      const me = () => testApp.as(email).me();
      expect((await me()).language).toBe('en');

      const { cookies } = await signInThroughForm(testApp, email);
      const english = await testApp.http().get('/').set('Cookie', cookieHeader(cookies));
      expect(htmlLang(english)).toBe('en');
      expect(english.text).toContain('Welcome, Tomos Evans');

      const welsh = await testApp.http().get('/?lang=cy').set('Cookie', cookieHeader(cookies));
      expect(welsh.status).toBe(200);
      expect(htmlLang(welsh)).toBe('cy');
      expect(welsh.text).toContain('Croeso, Tomos Evans');
      expect((await me()).language).toBe('cy');

      // Another browser, with no language cookie: signing in brings back the saved choice.
      const elsewhere = await signInThroughForm(testApp, email);
      expect(elsewhere.cookies.sg_lang).toBe('cy');
      const dashboard = await testApp
        .http()
        .get('/')
        .set('Cookie', cookieHeader({ sg_session: elsewhere.cookies.sg_session }));
      expect(htmlLang(dashboard)).toBe('cy');
      expect(dashboard.text).toContain('Croeso, Tomos Evans');
    });
  });

  describe('choosing Welsh on the sign-in page', () => {
    it('keeps the pages in Welsh after signing in, and saves the choice to the account', async () => {
      const email = 'head@hillcrest.example';
      expect((await testApp.as(email).me()).language).toBe('en');
      const { cookies } = await signInThroughForm(testApp, email, undefined, { sg_lang: 'cy' });
      const dashboard = await testApp.http().get('/').set('Cookie', cookieHeader(cookies));
      expect(htmlLang(dashboard)).toBe('cy');
      expect((await testApp.as(email).me()).language).toBe('cy');
    });
  });

  describe('no untranslated text', () => {
    let pupilId: string;
    const sessions: Record<string, Record<string, string>> = {};

    beforeAll(async () => {
      for (const email of ['dsp@riverside.example', 'head@riverside.example']) {
        sessions[email] = (await signInThroughForm(testApp, email)).cookies;
      }
      const dsp = testApp.as('dsp@riverside.example');
      // A pupil with needs and circumstances, so that every label on the record page is drawn.
      pupilId = (await dsp.pupilNamed('Yusuf')).id;
      // Put something in the audit log for the head teacher's page to show.
      await dsp.get(`/api/pupils/${pupilId}`);
    });

    it('recognises a raw catalogue key when it sees one (the check below is not blind)', () => {
      expect(
        rawKeysIn('<h1>pupils.title</h1><p>login.errors.locked</p><a aria-label="layout.languageSwitchLabel">'),
      ).toEqual(['pupils.t', 'login.e', 'layout.l']);
      expect(rawKeysIn('<link href="/assets/app.css"><a href="/audit">dsp@riverside.example</a>')).toEqual([]);
    });

    const PAGES: Array<{ who: string; email: string | null; path: string; status?: number }> = [
      { who: 'a visitor', email: null, path: '/login' },
      { who: 'the DSP', email: 'dsp@riverside.example', path: '/' },
      { who: 'the DSP', email: 'dsp@riverside.example', path: '/pupils' },
      { who: 'the DSP', email: 'dsp@riverside.example', path: '/pupils?q=zzz' },
      { who: 'the DSP', email: 'dsp@riverside.example', path: '/pupils/:id' },
      { who: 'the head teacher', email: 'head@riverside.example', path: '/' },
      { who: 'the head teacher', email: 'head@riverside.example', path: '/pupils/:id' },
      { who: 'the head teacher', email: 'head@riverside.example', path: '/audit' },
      {
        who: 'the DSP',
        email: 'dsp@riverside.example',
        path: '/pupils/00000000-0000-4000-8000-000000000000',
        status: 404,
      },
    ];

    for (const lang of ['en', 'cy'] as const) {
      it.each(PAGES)(
        `shows $path to $who in ${lang === 'cy' ? 'Welsh' : 'English'} with no raw catalogue keys`,
        async ({ email, path, status }) => {
          const url = path.replace(':id', pupilId);
          const response = await testApp
            .http()
            .get(`${url}${url.includes('?') ? '&' : '?'}lang=${lang}`)
            .set('Cookie', cookieHeader(email ? sessions[email] : {}));
          expect(response.status).toBe(status ?? 200);
          expect(htmlLang(response)).toBe(lang);
          expect(rawKeysIn(response.text)).toEqual([]);
        },
      );
    }

    it("shows the audit log's actions in words, in both languages", async () => {
      const english = await testApp
        .http()
        .get('/audit?lang=en')
        .set('Cookie', cookieHeader(sessions['head@riverside.example']));
      expect(english.text).toContain('Opened a pupil&#x27;s record');
      const welsh = await testApp
        .http()
        .get('/audit?lang=cy')
        .set('Cookie', cookieHeader(sessions['head@riverside.example']));
      expect(welsh.text).toContain(escapeHtml(translate('cy', 'audit.actions.pupil.viewed')));
      expect(welsh.text).not.toContain('Opened a pupil');
    });
  });
});
