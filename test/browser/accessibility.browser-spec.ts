import { join } from 'node:path';
import { AccountsService } from '../../src/accounts/accounts.service';
import { readFileSync } from 'node:fs';
import type * as Axe from 'axe-core';
import { BrowserContext, Page } from 'playwright-core';
import { ConcernListItem, InboxItem, Paged } from '../support/api';
import { ACTION_TIMEOUT_MS, BrowserHarness, pupilIdOf, signedInPage, startBrowserHarness } from '../support/browser';
import { DEMO_PASSWORD } from '../support/test-app';
import { turnOnTwoFactor } from '../support/two-factor';

const TEACHER = 'teacher@riverside.example';
const DSP = 'dsp@riverside.example';
const HEAD = 'head@riverside.example';
const MASH = 'mash@cardiff.example';
const LEAD = 'lead@cardiff.example';
const ADMIN = 'admin@cardiff.example';
/** Two-factor on (turned on in beforeAll): the sign-in's code step. */
const TWO_FACTOR = 'dsp@bridge.example';
/** Turns two-factor on from its own signed-in page, for the page's "on" view. */
const TWO_FACTOR_ON = 'teacher@hillcrest.example';

type Lang = 'en' | 'cy';
const LANGUAGES: Lang[] = ['en', 'cy'];

/** WCAG 2.0 and 2.1, levels A and AA: the standard public-sector bodies in Wales are held to. */
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/**
 * Also on, though axe files them outside those tags: the structure a screen-reader user navigates
 * by (landmarks, one h1, headings in order) and duplicate ids (axe marks WCAG 4.1.1 obsolete, but a
 * duplicate id still breaks a `label for`, an `aria-describedby` or an error summary's link).
 */
const STRUCTURE_RULES = [
  'region',
  'landmark-one-main',
  'landmark-unique',
  'landmark-no-duplicate-banner',
  'landmark-no-duplicate-contentinfo',
  'landmark-no-duplicate-main',
  'landmark-banner-is-top-level',
  'landmark-contentinfo-is-top-level',
  'landmark-main-is-top-level',
  'page-has-heading-one',
  'heading-order',
  'empty-heading',
  'duplicate-id',
  'duplicate-id-active',
];

/**
 * axe-core's own build, evaluated in the page through the DevTools protocol. The app's CSP
 * (script-src 'self') rightly blocks `page.addScriptTag`, which injects an inline script; an
 * evaluation through the protocol is not subject to the page's CSP, so the app's real headers stay
 * on for the check and nothing about the page changes but the presence of `window.axe`.
 */
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

interface Violation {
  id: string;
  impact: string | null | undefined;
  help: string;
  targets: string[];
}

/** Runs axe on the page as it is now and returns every WCAG 2.1 A/AA violation. */
async function axeViolations(page: Page, disabledRules: string[] = []): Promise<Violation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  return page.evaluate(
    async ({ tags, extra, disabled }) => {
      const axe = (window as unknown as { axe: typeof Axe }).axe;
      const rules: Axe.RuleObject = {};
      for (const rule of extra) rules[rule] = { enabled: true };
      for (const rule of disabled) rules[rule] = { enabled: false };
      const results = await axe.run(document, {
        runOnly: { type: 'tag', values: tags },
        rules,
        resultTypes: ['violations'],
      });
      return results.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        targets: v.nodes.map((n) => n.target.map(String).join(' ')),
      }));
    },
    { tags: WCAG_TAGS, extra: STRUCTURE_RULES, disabled: disabledRules },
  );
}

/** One line per violation, so a failure lists everything wrong on the page at once. */
const describeViolations = (violations: Violation[]) =>
  violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.targets.join(', ')}`);

interface PageCheck {
  name: string;
  /** Who looks at the page; null for signed out. */
  as: string | null;
  /** Brings the page to the state to check, in the given language. */
  open(page: Page, lang: Lang): Promise<void>;
  /** Rules that cannot apply to this page, each with the reason beside it. */
  disabledRules?: string[];
}

describe('Every page meets WCAG 2.1 AA as far as axe-core can tell, in English and Welsh (real browser)', () => {
  let harness: BrowserHarness;
  const contexts = new Map<string, BrowserContext>();
  const ids = {
    ffion: '',
    ffionConcern: '',
    grace: '',
    meganReferral: '',
    freshReferral: '',
    invitation: '',
    transfer: '',
  };

  const url = (path: string, lang: Lang) => `${harness.baseUrl}${path}${path.includes('?') ? '&' : '?'}lang=${lang}`;
  const goto = async (page: Page, path: string, lang: Lang) => {
    await page.goto(url(path, lang));
  };

  /** One signed-in browser context per person, reused across pages; a fresh one when signed out. */
  async function pageFor(email: string | null): Promise<Page> {
    if (email === null) {
      const context = await harness.browser.newContext();
      context.setDefaultTimeout(ACTION_TIMEOUT_MS);
      contexts.set(`signed-out-${contexts.size}`, context);
      return context.newPage();
    }
    let context = contexts.get(email);
    if (!context) {
      context = (await signedInPage(harness, email)).context;
      contexts.set(email, context);
    }
    for (const open of context.pages()) await open.close();
    return context.newPage();
  }

  beforeAll(async () => {
    harness = await startBrowserHarness();
    const { testApp } = harness;
    ids.ffion = await pupilIdOf(testApp, DSP, 'Ffion', 'Jones');
    ids.grace = await pupilIdOf(testApp, DSP, 'Grace', 'Okafor');
    const dsp = testApp.as(DSP);
    const concerns = (await dsp.read<Paged<ConcernListItem>>('/api/concerns')).items;
    ids.ffionConcern = concerns.find((c) => c.pupil.id === ids.ffion)!.id;

    const inbox = (await testApp.as(MASH).read<Paged<InboxItem>>('/api/la/escalations')).items;
    ids.meganReferral = inbox.find((item) => item.pupil.firstName === 'Megan')!.id;

    // A referral MASH has not yet acknowledged, so its page shows the acknowledge and outcome forms.
    const recorded = await dsp.post<{ id: string }>('/api/concerns', {
      pupilId: ids.grace,
      occurredAt: new Date(Date.now() - 3_600_000).toISOString(),
      category: 'neglect',
      issues: ['financial_hardship'],
      summary: 'Grace said there is no food at home and asked for extra fruit at break.',
      evidenceBasis: 'disclosed_by_child',
    });
    expect(recorded.status).toBe(201);
    expect(
      (
        await dsp.post(`/api/concerns/${recorded.body.id}/decision`, {
          outcome: 'mash',
          rationale: 'Neglect with a disclosure: refer to MASH.',
        })
      ).status,
    ).toBe(201);
    const sent = await dsp.post<{ id: string }>(`/api/concerns/${recorded.body.id}/escalations`, {
      route: 'mash',
      reasonForRoute: 'Her mother has not answered calls for two days and Grace is hungry every morning.',
      consent: { sought: true, given: true, givenBy: 'Mother (Ngozi Okafor)' },
      referral: {},
    });
    expect(sent.status).toBe(201);
    ids.freshReferral = sent.body.id;
    await turnOnTwoFactor(testApp, await testApp.tokenFor(TWO_FACTOR));
    // An invitation link, as admin:create prints it (its token is in no email here).
    const invited = await testApp.app.get(AccountsService).createFirstAdmin({
      email: 'a11y.admin@cardiff.example',
      name: 'Ana Admin',
      authority: 'Cardiff (demo)',
    });
    ids.invitation = invited!.token;
  });

  afterAll(async () => {
    for (const context of contexts.values()) await context.close();
    await harness?.close();
  });

  const PAGES: PageCheck[] = [
    { name: 'sign-in', as: null, open: (page, lang) => goto(page, '/login', lang) },
    {
      name: 'sign-in with a validation error',
      as: null,
      async open(page, lang) {
        await goto(page, '/login', lang);
        await page.locator('form[action="/login"] button[type="submit"]').click();
        await page.locator('.govuk-error-summary').waitFor();
        // axe cannot tell that an error message belongs to its field; the field must say so.
        expect(await page.locator('#email').getAttribute('aria-describedby')).toBe('email-error');
        expect(await page.locator('#password').getAttribute('aria-describedby')).toBe('password-error');
      },
    },
    {
      name: 'sign-in: the two-factor code step, with an error',
      as: null,
      async open(page, lang) {
        await goto(page, '/login', lang);
        await page.locator('#email').fill(TWO_FACTOR);
        await page.locator('#password').fill(DEMO_PASSWORD);
        await page.locator('form[action="/login"] button[type="submit"]').click();
        await page.locator('form[action="/login/code"]').waitFor();
        await page.locator('form[action="/login/code"] button[type="submit"]').click();
        await page.locator('.govuk-error-summary').waitFor();
        expect(await page.locator('#code').getAttribute('aria-describedby')).toBe('code-hint code-error');
      },
    },
    { name: 'two-factor sign-in (off)', as: TEACHER, open: (page, lang) => goto(page, '/account/two-factor', lang) },
    {
      name: 'two-factor sign-in: setting up (QR code and key)',
      as: TEACHER,
      async open(page, lang) {
        await goto(page, '/account/two-factor', lang);
        await page.locator('form[action="/account/two-factor/setup"] button').click();
        await page.locator('.app-qr-code svg').waitFor();
      },
    },
    {
      name: 'two-factor sign-in (on)',
      as: TWO_FACTOR_ON,
      async open(page, lang) {
        const { testApp } = harness;
        const token = await testApp.tokenFor(TWO_FACTOR_ON);
        const status = await testApp.http().get('/api/auth/2fa').set('Authorization', `Bearer ${token}`);
        if (!(status.body as { enabled: boolean }).enabled) await turnOnTwoFactor(testApp, token);
        await goto(page, '/account/two-factor', lang);
      },
    },
    ...[DSP, TEACHER, HEAD, MASH, LEAD, ADMIN].map((email): PageCheck => ({
      name: `home for ${email}`,
      as: email,
      open: (page, lang) => goto(page, '/', lang),
    })),
    { name: 'your account', as: HEAD, open: (page, lang) => goto(page, '/account', lang) },
    { name: 'ask for a password reset link', as: null, open: (page, lang) => goto(page, '/reset', lang) },
    {
      name: 'a reset link that cannot be used',
      as: null,
      open: (page, lang) => goto(page, `/reset/${'x'.repeat(43)}`, lang),
    },
    {
      name: 'notifications (unread, with their forms)',
      as: DSP,
      open: async (page, lang) => {
        const told = await harness.testApp.as(TEACHER).post('/api/concerns', {
          pupilId: ids.grace,
          occurredAt: new Date(Date.now() - 3_600_000).toISOString(),
          category: 'wellbeing',
          summary: 'Grace was upset at break.',
          evidenceBasis: 'observed',
        });
        expect(told.status).toBe(201);
        await goto(page, '/notifications', lang);
      },
    },
    { name: 'pupils', as: DSP, open: (page, lang) => goto(page, '/pupils', lang) },
    { name: 'pupil search', as: DSP, open: (page, lang) => goto(page, '/pupils?q=jones', lang) },
    { name: 'pupil record', as: DSP, open: (page, lang) => goto(page, `/pupils/${ids.ffion}`, lang) },
    { name: 'chronology', as: DSP, open: (page, lang) => goto(page, `/pupils/${ids.ffion}/chronology`, lang) },
    {
      name: 'record a concern',
      as: TEACHER,
      open: (page, lang) => goto(page, `/concerns/new?pupilId=${ids.ffion}`, lang),
    },
    {
      name: 'record a concern, after a failed submit',
      as: TEACHER,
      async open(page, lang) {
        await goto(page, `/concerns/new?pupilId=${ids.ffion}`, lang);
        await page.locator('button.govuk-button[name="action"][value="record"]').click();
        await page.locator('.govuk-error-summary').waitFor();
      },
    },
    {
      name: 'record a concern, with the live guidance panel and the emergency banner',
      as: DSP,
      async open(page, lang) {
        await goto(page, `/concerns/new?pupilId=${ids.ffion}`, lang);
        await page.locator('input[name="category"][value="wellbeing"]').check();
        await page.locator('input[name="issues"][value="self_harm"]').check();
        await page.locator('#guidance-panel section').waitFor();
        await page.locator('input[name="indicators"][value="immediate_danger"]').check();
        await page.locator('#emergency-indicators [role="alert"]').waitFor();
      },
    },
    {
      name: 'concern with history, as the DSP with the forms',
      as: DSP,
      open: (page, lang) => goto(page, `/concerns/${ids.ffionConcern}`, lang),
    },
    {
      name: 'concern, with a referral refused (422)',
      as: DSP,
      async open(page, lang) {
        await goto(page, `/concerns/${ids.ffionConcern}`, lang);
        const form = page.locator(`form[action="/concerns/${ids.ffionConcern}/escalations"]`);
        // Early help without the family's consent: refused (422), so nothing is sent in either language.
        await form.locator('input[name="route"][value="early_help"]').check();
        await form.locator('input[name="consentSought"][value="no"]').check();
        await form.locator('button[type="submit"]').click();
        await page.locator('.govuk-error-summary').waitFor();
      },
    },
    { name: 'LA inbox', as: MASH, open: (page, lang) => goto(page, '/la/inbox', lang) },
    {
      name: 'LA referral, waiting (with forms)',
      as: MASH,
      open: (page, lang) => goto(page, `/la/escalations/${ids.freshReferral}`, lang),
    },
    {
      name: 'LA referral, decided',
      as: MASH,
      open: (page, lang) => goto(page, `/la/escalations/${ids.meganReferral}`, lang),
    },
    { name: 'referral balance report', as: LEAD, open: (page, lang) => goto(page, '/reports/referral-balance', lang) },
    {
      name: 'referral balance, sorted',
      as: LEAD,
      open: (page, lang) => goto(page, '/reports/referral-balance?sort=concerns&dir=desc', lang),
    },
    // A DSP's report is their own school's figures in full (the drill-down).
    {
      name: 'referral balance, one school',
      as: DSP,
      open: (page, lang) => goto(page, '/reports/referral-balance', lang),
    },
    { name: 'services directory', as: LEAD, open: (page, lang) => goto(page, '/la/services', lang) },
    {
      name: 'edit a service',
      as: LEAD,
      async open(page, lang) {
        await goto(page, '/la/services', lang);
        const href = await page.locator('a[href^="/la/services/"][href$="/edit"]').first().getAttribute('href');
        await goto(page, href!, lang);
      },
    },
    { name: 'audit log', as: HEAD, open: (page, lang) => goto(page, '/audit', lang) },
    { name: 'roll import', as: HEAD, open: (page, lang) => goto(page, '/roll/import', lang) },
    {
      name: 'roll import preview',
      as: HEAD,
      async open(page, lang) {
        await goto(page, '/roll/import', lang);
        await page.locator('#file').setInputFiles(join(__dirname, '..', '..', 'docs', 'samples', 'roll-riverside.csv'));
        await page.locator('#mode-partial').check();
        await Promise.all([
          page.waitForURL(/\/roll\/import\/[0-9a-f-]{36}/),
          page.locator('form[action="/roll/import"] button').click(),
        ]);
      },
    },
    { name: 'organisations', as: ADMIN, open: (page, lang) => goto(page, '/admin/organisations', lang) },
    {
      name: 'an organisation',
      as: ADMIN,
      async open(page, lang) {
        await goto(page, '/admin/organisations', lang);
        const href = await page.locator('a[href^="/admin/organisations/"]').first().getAttribute('href');
        await goto(page, href!, lang);
      },
    },
    { name: 'accounts', as: ADMIN, open: (page, lang) => goto(page, '/admin/users', lang) },
    { name: 'staff accounts', as: HEAD, open: (page, lang) => goto(page, '/admin/users', lang) },
    { name: 'invite someone', as: ADMIN, open: (page, lang) => goto(page, '/admin/users/new', lang) },
    {
      name: 'an account',
      as: ADMIN,
      async open(page, lang) {
        await goto(page, '/admin/users?q=teacher%40riverside', lang);
        const href = await page.locator('tbody a[href^="/admin/users/"]').first().getAttribute('href');
        await goto(page, href!, lang);
      },
    },
    { name: 'invitation', as: null, open: (page, lang) => goto(page, `/invite/${ids.invitation}`, lang) },
    { name: 'transfers', as: DSP, open: (page, lang) => goto(page, '/transfers', lang) },
    {
      name: 'send a pupil’s file, with errors',
      as: DSP,
      async open(page, lang) {
        await goto(page, `/pupils/${ids.ffion}/transfer`, lang);
        await page.locator(`form[action="/pupils/${ids.ffion}/transfer"] button[type="submit"]`).click();
        await page.locator('.govuk-error-summary').waitFor();
      },
    },
    {
      name: 'a transfer waiting for the receiving DSP',
      as: 'dsp@hillcrest.example',
      async open(page, lang) {
        if (!ids.transfer) {
          // A Riverside pupil no other check uses, sent to Hillcrest once.
          const roll = await harness.testApp.as(DSP).pupils({ pageSize: '200' });
          const pupil = roll.filter((p) => p.id !== ids.ffion && p.id !== ids.grace).at(-1)!;
          const hillcrest = (await harness.testApp.as('dsp@hillcrest.example').me()).organisationId;
          ids.transfer = (
            await harness.testApp.as(DSP).created(`/api/pupils/${pupil.id}/transfers`, {
              toOrganisationId: hillcrest,
              leavingOn: new Date().toISOString().slice(0, 10),
            })
          ).id;
        }
        await goto(page, `/transfers/${ids.transfer}`, lang);
      },
    },
    {
      name: 'not found',
      as: DSP,
      open: (page, lang) => goto(page, '/pupils/00000000-0000-4000-8000-000000000000', lang),
    },
  ];

  const cases = PAGES.flatMap((check) => LANGUAGES.map((lang) => [`${check.name} (${lang})`, check, lang] as const));

  it.each(cases)('%s', async (_name, check, lang) => {
    const page = await pageFor(check.as);
    await check.open(page, lang);
    expect(await page.locator('html').getAttribute('lang')).toBe(lang);
    expect(describeViolations(await axeViolations(page, check.disabledRules))).toEqual([]);
  });

  /**
   * axe does not check that keyboard focus can be seen (WCAG 2.4.7). Tab from the top of the page
   * and, at each of the first few stops, compare the focused element's computed outline and
   * box-shadow with the same element's at rest: focus must draw an outline (not a transparent one)
   * or change the box-shadow to one that draws something. govuk-frontend draws focus as a yellow
   * background with a box-shadow underline and a transparent outline (for Windows high contrast), and
   * its buttons carry a box-shadow at rest, so neither "has an outline" nor "has a shadow" alone says
   * the focus is visible.
   */
  describe('keyboard focus is visible', () => {
    const TAB_STOPS = 8;
    const FOCUSABLE = 'a[href], button, input:not([type="hidden"]), select, textarea, summary, [tabindex]';

    interface FocusLook {
      outline: string;
      outlineDrawn: boolean;
      boxShadow: string;
    }
    interface FocusStop {
      element: string;
      atRest: FocusLook;
      focused: FocusLook;
    }

    async function tabThrough(page: Page): Promise<FocusStop[]> {
      // Nothing has focus yet: how every focusable element looks at rest.
      const atRest = await page.evaluate((selector) => {
        const look = (style: CSSStyleDeclaration) => ({
          outline: `${style.outlineStyle} ${style.outlineWidth} ${style.outlineColor}`,
          outlineDrawn:
            style.outlineStyle !== 'none' &&
            parseFloat(style.outlineWidth) > 0 &&
            !/^rgba\(.*,\s*0\)$|transparent/.test(style.outlineColor),
          boxShadow: style.boxShadow,
        });
        return Array.from(document.querySelectorAll(selector)).map((element) => look(getComputedStyle(element)));
      }, FOCUSABLE);
      const stops: FocusStop[] = [];
      for (let i = 0; i < TAB_STOPS; i += 1) {
        await page.keyboard.press('Tab');
        const stop = await page.evaluate((selector) => {
          const element = document.activeElement as HTMLElement | null;
          if (!element || element === document.body) return null;
          const style = getComputedStyle(element);
          const name =
            (element.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 40) || element.getAttribute('name') || '';
          return {
            index: Array.from(document.querySelectorAll(selector)).indexOf(element),
            element: `${element.tagName.toLowerCase()}${element.id ? `#${element.id}` : ''} "${name}"`,
            focused: {
              outline: `${style.outlineStyle} ${style.outlineWidth} ${style.outlineColor}`,
              outlineDrawn:
                style.outlineStyle !== 'none' &&
                parseFloat(style.outlineWidth) > 0 &&
                !/^rgba\(.*,\s*0\)$|transparent/.test(style.outlineColor),
              boxShadow: style.boxShadow,
            },
          };
        }, FOCUSABLE);
        // Past the last stop, focus leaves the page: a short page has fewer stops.
        if (!stop) break;
        stops.push({
          element: stop.element,
          focused: stop.focused,
          atRest: atRest[stop.index] ?? { outline: '', outlineDrawn: false, boxShadow: 'none' },
        });
      }
      return stops;
    }

    const focusShows = ({ atRest, focused }: FocusStop) =>
      focused.outlineDrawn || (focused.boxShadow !== 'none' && focused.boxShadow !== atRest.boxShadow);

    const invisible = (stops: FocusStop[]) =>
      stops
        .filter((stop) => !focusShows(stop))
        .map(
          (stop) =>
            `${stop.element}: focused outline ${stop.focused.outline}, box-shadow ${stop.focused.boxShadow} (at rest ${stop.atRest.boxShadow})`,
        );

    it('on the sign-in page (links, fields and the button)', async () => {
      const page = await pageFor(null);
      await goto(page, '/login', 'en');
      const stops = await tabThrough(page);
      expect(invisible(stops)).toEqual([]);
      // The skip link, the service name, the language switch (a button: it posts the choice), the form,
      // then "Forgotten your password?".
      expect(stops.map((stop) => stop.element.split(' ')[0])).toEqual([
        'a',
        'a',
        'button',
        'input#email',
        'input#password',
        'button',
        'a',
      ]);
    });

    it('on the home page (skip link, header links, sign out button and the menu)', async () => {
      const page = await pageFor(DSP);
      await goto(page, '/', 'en');
      const stops = await tabThrough(page);
      expect(invisible(stops)).toEqual([]);
      // The skip link, the service name, the language switch (a button), "Notifications", "Two-factor
      // sign-in", "Sign out", then the menu's links.
      expect(stops.map((stop) => stop.element.split(' ')[0])).toEqual([
        'a',
        'a',
        'button',
        'a#header-notifications',
        'a',
        'button',
        'a',
        'a',
      ]);
    });
  });
});
