import { Response } from 'supertest';
import { CATALOGUES } from '../../src/i18n/catalogues';
import { translate } from '../../src/i18n/i18n.service';
import { bootTestApp, TestApp } from '../support/test-app';
import { cookieHeader, cookiesSetBy, openPageSession, openSignInForm, signInThroughForm } from '../support/web-session';

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
const unescapeHtml = (text: string) =>
  text
    .replace(/&#x3D;/g, '=')
    .replace(/&#x27;/g, "'")
    .replace(/&amp;/g, '&');
/** The header's language switch: a form that posts the other language and the page to come back to. */
const languageSwitchOf = (response: Response) => {
  const form = /<form method="post" action="([^"]*)" class="app-header__language-form">([\s\S]*?)<\/form>/.exec(
    response.text,
  );
  if (!form) return null;
  const field = (name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(form[2])?.[1];
  const button = /<button type="submit" class="app-header__language" lang="([^"]*)">([^<]*)<\/button>/.exec(form[2]);
  return {
    action: form[1],
    csrf: Boolean(field('_csrf')),
    language: field('language'),
    returnTo: unescapeHtml(field('returnTo') ?? ''),
    lang: button?.[1],
    text: button?.[2],
  };
};
const htmlLang = (response: Response) => /<html lang="([^"]*)"/.exec(response.text)?.[1];

describe('Welsh and English', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await bootTestApp();
  });

  afterAll(() => testApp.close());

  /** The language stored on the account, read straight from the database. */
  const savedLanguageOf = async (email: string) => {
    const rows = await testApp.dataSource.query<Array<{ language: string }>>(
      `SELECT language FROM users WHERE email = '${email}'`,
    );
    return rows[0].language;
  };
  const firstReasonOf = (response: Response) => (response.body as { reasons: Array<{ message: string }> }).reasons[0];
  const meLanguageOf = (response: Response) => (response.body as { language: string }).language;

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

    it('offers the other language from the header, as a form that comes back to the same page', async () => {
      expect(languageSwitchOf(await testApp.http().get('/login'))).toEqual({
        action: '/language',
        csrf: true,
        language: 'cy',
        returnTo: '/login',
        lang: 'cy',
        text: 'Cymraeg',
      });
      expect(languageSwitchOf(await testApp.http().get('/login?next=%2Fpupils&lang=cy'))).toEqual({
        action: '/language',
        csrf: true,
        language: 'en',
        returnTo: '/login?next=%2Fpupils',
        lang: 'en',
        text: 'English',
      });
    });

    it('switches a visitor to Welsh with the switch (POST), back to the same page, and keeps it on signing in', async () => {
      const email = 'earlyhelp@cardiff.example';
      const { csrfCookie, csrfToken } = await openSignInForm(testApp);
      const switched = await testApp
        .http()
        .post('/language')
        .set('Cookie', cookieHeader({ sg_csrf: csrfCookie }))
        .type('form')
        .send({ _csrf: csrfToken, language: 'cy', returnTo: '/login?next=%2Fpupils' });
      expect(switched.status).toBe(303);
      expect(switched.headers.location).toBe('/login?next=%2Fpupils');
      expect(cookiesSetBy(switched).sg_lang?.value).toBe('cy');

      const page = await testApp
        .http()
        .get(switched.headers.location)
        .set('Cookie', cookieHeader({ sg_csrf: csrfCookie, sg_lang: 'cy' }));
      expect(htmlLang(page)).toBe('cy');
      expect(await savedLanguageOf(email)).toBe('en');

      const { cookies } = await signInThroughForm(testApp, email, undefined, { sg_lang: 'cy' });
      expect(await savedLanguageOf(email)).toBe('cy');
      expect(htmlLang(await testApp.http().get('/').set('Cookie', cookieHeader(cookies)))).toBe('cy');
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
    /** Every UPDATE the database is sent while `work` runs, on either engine. */
    async function updatesDuring(work: () => Promise<unknown>): Promise<string[]> {
      const runner = testApp.dataSource.createQueryRunner();
      const prototype = Object.getPrototypeOf(runner) as { query: (sql: string) => Promise<unknown> };
      await runner.release();
      const spy = jest.spyOn(prototype, 'query');
      try {
        await work();
        return spy.mock.calls.map(([sql]) => String(sql)).filter((sql) => /^\s*UPDATE\b/i.test(sql));
      } finally {
        spy.mockRestore();
      }
    }

    it('shows a page in Welsh for ?lang=cy, from this site or another, but a GET saves nothing', async () => {
      const email = 'dsp@hillcrest.example';
      const { cookies } = await signInThroughForm(testApp, email);
      expect(await savedLanguageOf(email)).toBe('en');
      const bearer = { Authorization: `Bearer ${await testApp.tokenFor(email)}` };
      const updates = await updatesDuring(async () => {
        for (const site of ['same-origin', 'cross-site', 'none']) {
          const welsh = await testApp
            .http()
            .get('/?lang=cy')
            .set('Cookie', cookieHeader(cookies))
            .set('Sec-Fetch-Site', site);
          expect(welsh.status).toBe(200);
          expect(htmlLang(welsh)).toBe('cy');
          expect(cookiesSetBy(welsh).sg_lang?.value).toBe('cy');
        }
        expect((await testApp.http().get('/pupils?lang=cy').set(bearer)).status).toBe(200);
      });
      expect(updates).toEqual([]);
      expect(await savedLanguageOf(email)).toBe('en');
      expect(meLanguageOf(await testApp.http().get('/api/me').set(bearer))).toBe('en');
    });

    it("answers a page's script in that page's language, and a scripted client in the account's", async () => {
      const email = 'dsp@hillcrest.example';
      const { cookies, csrfToken } = await signInThroughForm(testApp, email);
      const draft = { category: 'wellbeing', issues: ['housing'] };
      // The guidance panel's request from a page opened with ?lang=cy (the cookie says Welsh; the account, English).
      const fromPage = await testApp
        .http()
        .post('/api/guidance/evaluate')
        .set('Cookie', cookieHeader({ ...cookies, sg_lang: 'cy' }))
        .set('X-CSRF-Token', csrfToken)
        .send(draft);
      expect(fromPage.status).toBe(200);
      expect(firstReasonOf(fromPage).message).toMatch(/^Cadw Dysgwyr yn Ddiogel: /);

      const scripted = await testApp
        .http()
        .post('/api/guidance/evaluate')
        .set('Authorization', `Bearer ${await testApp.tokenFor(email)}`)
        .set('Cookie', cookieHeader({ sg_lang: 'cy' }))
        .send(draft);
      expect(scripted.status).toBe(200);
      expect(firstReasonOf(scripted).message).toMatch(/^Keeping Learners Safe: /);
      expect(await savedLanguageOf(email)).toBe('en');
    });

    it('refuses a switch without the form’s CSRF token, and saves nothing', async () => {
      const email = 'dsp@hillcrest.example';
      const { cookies } = await signInThroughForm(testApp, email);
      const refused = await testApp
        .http()
        .post('/language')
        .set('Cookie', cookieHeader(cookies))
        .type('form')
        .send({ language: 'cy', returnTo: '/' });
      expect(refused.status).toBe(403);
      expect(await savedLanguageOf(email)).toBe('en');
    });

    it('goes back only to a page of this site after a switch', async () => {
      const { cookies, csrfToken } = await signInThroughForm(testApp, 'dsp@hillcrest.example');
      for (const returnTo of ['https://evil.example/', '//evil.example/', '/\\evil.example', 'pupils']) {
        const switched = await testApp
          .http()
          .post('/language')
          .set('Cookie', cookieHeader(cookies))
          .type('form')
          .send({ _csrf: csrfToken, language: 'en', returnTo });
        expect(switched.status).toBe(303);
        expect(switched.headers.location).toBe('/');
      }
      const malformed = await testApp
        .http()
        .post('/language')
        .set('Cookie', cookieHeader(cookies))
        .type('form')
        .send({ _csrf: csrfToken, language: 'fr', returnTo: '/' });
      expect(malformed.status).toBe(400);
    });

    it('switches their pages to Welsh with the header’s switch (POST) and keeps it on their account', async () => {
      const email = 'teacher@riverside.example';
      const me = () => testApp.as(email).me();
      expect((await me()).language).toBe('en');

      const { cookies, csrfToken } = await signInThroughForm(testApp, email);
      const english = await testApp.http().get('/pupils?q=jones').set('Cookie', cookieHeader(cookies));
      expect(htmlLang(english)).toBe('en');
      const control = languageSwitchOf(english)!;
      expect(control).toMatchObject({ action: '/language', language: 'cy', returnTo: '/pupils?q=jones' });

      let switched: Response | undefined;
      const updates = await updatesDuring(async () => {
        switched = await testApp
          .http()
          .post(control.action)
          .set('Cookie', cookieHeader(cookies))
          .type('form')
          .send({ _csrf: csrfToken, language: control.language, returnTo: control.returnTo });
      });
      // The spy sees the switch's one write (so its silence for a GET above means something).
      expect(updates.filter((sql) => /users/i.test(sql))).toHaveLength(1);
      if (!switched) throw new Error('no answer');
      expect(switched.status).toBe(303);
      expect(switched.headers.location).toBe('/pupils?q=jones');
      expect(cookiesSetBy(switched).sg_lang?.value).toBe('cy');
      expect(await savedLanguageOf(email)).toBe('cy');

      const welsh = await testApp
        .http()
        .get('/')
        .set('Cookie', cookieHeader({ ...cookies, sg_lang: 'cy' }));
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

  describe('the switch on a form that came back with errors', () => {
    it('goes back to the form’s page, not to the path the form posted to (which has no page)', async () => {
      const dsp = await openPageSession(testApp, 'dsp@riverside.example');
      const pupilId = (await testApp.as('dsp@riverside.example').pupilNamed('Zofia', 'Nowak')).id;
      const concernId = (
        await testApp.as('dsp@riverside.example').created('/api/concerns', {
          pupilId,
          occurredAt: '2026-01-15T10:30:00Z',
          category: 'neglect',
          summary: 'Arrived hungry and cold again.',
          evidenceBasis: 'observed',
        })
      ).id;
      const cases: Array<[string, string, Record<string, string>, string]> = [
        ['/concerns/new?pupilId=' + pupilId, '/concerns', { pupilId }, `/concerns/new?pupilId=${pupilId}`],
        [`/concerns/${concernId}`, `/concerns/${concernId}/decision`, {}, `/concerns/${concernId}`],
        [`/concerns/${concernId}`, `/concerns/${concernId}/escalations`, {}, `/concerns/${concernId}`],
        [`/concerns/${concernId}`, `/concerns/${concernId}/close`, {}, `/concerns/${concernId}`],
      ];
      for (const [page, action, fields, formPage] of cases) {
        const withErrors = await dsp.submit(page, action, fields);
        expect(withErrors.status).toBeGreaterThanOrEqual(400);
        expect(languageSwitchOf(withErrors)?.returnTo).toBe(formPage);
        expect((await dsp.get(formPage)).status).toBe(200);
      }

      const lead = await openPageSession(testApp, 'lead@cardiff.example');
      const thresholds = await lead.submit('/la/services', '/la/services/thresholds', { patternFrequencyCount: 'abc' });
      expect(thresholds.status).toBe(400);
      expect(languageSwitchOf(thresholds)?.returnTo).toBe('/la/services');
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
      expect(english.text).toContain('Opened the pupil&#x27;s record');
      const welsh = await testApp
        .http()
        .get('/audit?lang=cy')
        .set('Cookie', cookieHeader(sessions['head@riverside.example']));
      expect(welsh.text).toContain(escapeHtml(translate('cy', 'audit.actions.pupil.viewed')));
      expect(welsh.text).not.toContain('Opened a pupil');
    });
  });
});
