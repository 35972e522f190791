import { Response } from 'supertest';
import { DEMO_PASSWORD, TestApp } from './test-app';

export interface SetCookie {
  value: string;
  /** The attributes after the value, lower-cased, e.g. `httponly`, `samesite=lax`, `path=/`. */
  attributes: string[];
}

/** The cookies a response sets, by name. */
export function cookiesSetBy(response: Response): Record<string, SetCookie> {
  const header = response.headers['set-cookie'] as unknown as string[] | string | undefined;
  const lines = header === undefined ? [] : Array.isArray(header) ? header : [header];
  const cookies: Record<string, SetCookie> = {};
  for (const line of lines) {
    const [pair, ...attributes] = line.split(';').map((part) => part.trim());
    const index = pair.indexOf('=');
    cookies[pair.slice(0, index)] = {
      value: decodeURIComponent(pair.slice(index + 1)),
      attributes: attributes.map((a) => a.toLowerCase()),
    };
  }
  return cookies;
}

/** A `Cookie:` request header from name/value pairs. */
export function cookieHeader(cookies: Record<string, string>): string {
  return Object.entries(cookies)
    .map(([name, value]) => `${name}=${encodeURIComponent(value)}`)
    .join('; ');
}

/** The value of the hidden `_csrf` field of the first form on a page. */
export function csrfFieldOf(html: string): string {
  const match = /<input type="hidden" name="_csrf" value="([^"]+)">/.exec(html);
  if (!match) throw new Error('The page has no _csrf field');
  return match[1];
}

/** The one-use `submissionKey` of the form on a page that posts to `action`, if it has one. */
export function submissionKeyOf(html: string, action: string): string | undefined {
  const start = html.indexOf(`action="${action}"`);
  if (start < 0) return undefined;
  const form = html.slice(start, html.indexOf('</form>', start));
  return /name="submissionKey" value="([^"]+)"/.exec(form)?.[1];
}

/** What a browser holds after opening the sign-in page: the CSRF cookie and the form's token. */
export async function openSignInForm(testApp: TestApp, extraCookies: Record<string, string> = {}) {
  const page = await testApp.http().get('/login').set('Cookie', cookieHeader(extraCookies));
  const csrfCookie = cookiesSetBy(page).sg_csrf?.value;
  if (!csrfCookie) throw new Error('GET /login set no sg_csrf cookie');
  return { page, csrfCookie, csrfToken: csrfFieldOf(page.text) };
}

/**
 * Signs in as a person would: opens the form, posts it with its CSRF token, keeps the cookies.
 * `browserCookies` are what the browser already holds (e.g. `sg_lang`). Returns the cookies to send
 * on later page requests, the sign-in response itself, and a CSRF token for the browser's forms.
 *
 * CSRF tokens are bound to the session, and signing in sets a new CSRF cookie: after a successful
 * sign-in the token is the one the next page would carry (read from the sign-out page's form); after a
 * failed one it is the sign-in form's.
 */
export async function signInThroughForm(
  testApp: TestApp,
  email: string,
  password = DEMO_PASSWORD,
  browserCookies: Record<string, string> = {},
) {
  const { csrfCookie, csrfToken: signInToken } = await openSignInForm(testApp, browserCookies);
  const response = await testApp
    .http()
    .post('/login')
    .set('Cookie', cookieHeader({ ...browserCookies, sg_csrf: csrfCookie }))
    .type('form')
    .send({ email, password, _csrf: signInToken });
  const set = cookiesSetBy(response);
  const cookies: Record<string, string> = { ...browserCookies, sg_csrf: set.sg_csrf?.value ?? csrfCookie };
  if (set.sg_session) cookies.sg_session = set.sg_session.value;
  if (set.sg_lang) cookies.sg_lang = set.sg_lang.value;
  let csrfToken = signInToken;
  if (set.sg_session) {
    const page = await testApp.http().get('/logout').set('Cookie', cookieHeader(cookies));
    csrfToken = csrfFieldOf(page.text);
  }
  return { response, cookies, csrfToken };
}

/** Form fields as pairs (repeated names allowed), an object, or URLSearchParams. */
export type FormFields = Array<[string, string]> | Record<string, string> | URLSearchParams;

/**
 * A person's browser on the pages, signed in through the form: requests carry its cookies, and form
 * posts carry a CSRF token (the session's, or the one on the page the form came from).
 */
export class PageSession {
  constructor(
    private readonly testApp: TestApp,
    readonly email: string,
    readonly cookies: Record<string, string>,
    readonly csrfToken: string,
  ) {}

  /** Opens a page. */
  get(path: string) {
    return this.testApp.http().get(path).set('Cookie', cookieHeader(this.cookies));
  }

  /** Posts a form, urlencoded, with `csrf` (by default the session's token) as `_csrf`. */
  post(path: string, fields: FormFields, csrf = this.csrfToken) {
    const body = new URLSearchParams([['_csrf', csrf]]);
    const pairs = fields instanceof URLSearchParams || Array.isArray(fields) ? fields : Object.entries(fields);
    for (const [name, value] of pairs) body.append(name, value);
    return this.testApp.http().post(path).set('Cookie', cookieHeader(this.cookies)).type('form').send(body.toString());
  }

  /**
   * Opens `page` and posts one of its forms to `action` with the tokens that page carries, as a browser
   * would: the CSRF token, and the form's one-use `submissionKey` when it has one and `fields` do not.
   */
  async submit(page: string, action: string, fields: FormFields): Promise<Response> {
    const opened = await this.get(page);
    if (opened.status !== 200) throw new Error(`GET ${page} as ${this.email}: ${opened.status}`);
    const pairs = fields instanceof URLSearchParams || Array.isArray(fields) ? [...fields] : Object.entries(fields);
    const key = submissionKeyOf(opened.text, action);
    if (key && !pairs.some(([name]) => name === 'submissionKey')) pairs.push(['submissionKey', key]);
    return this.post(action, pairs, csrfFieldOf(opened.text));
  }
}

/** Signs `email` in through the form (optionally with a language cookie already set) and keeps the browser. */
export async function openPageSession(
  testApp: TestApp,
  email: string,
  options: { language?: 'en' | 'cy' } = {},
): Promise<PageSession> {
  const { response, cookies, csrfToken } = await signInThroughForm(
    testApp,
    email,
    DEMO_PASSWORD,
    options.language ? { sg_lang: options.language } : {},
  );
  if (response.status !== 303) throw new Error(`Signing in to the pages as ${email} answered ${response.status}`);
  return new PageSession(testApp, email, cookies, csrfToken);
}
